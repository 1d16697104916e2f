#include "compose/talk_scripts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace cutroom::compose {
namespace {

// Lowercase words without punctuation ("It's 4, uh." -> "its", "4", "uh").
std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string raw; in >> raw;) {
    std::string word;
    for (char c : raw) {
      if (std::isalnum(static_cast<unsigned char>(c)))
        word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (!word.empty()) words.push_back(word);
  }
  return words;
}

std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> sentences;
  std::string current;
  for (char c : text) {
    current += c;
    if (c == '.' || c == '?' || c == '!') {
      sentences.push_back(current);
      current.clear();
    }
  }
  if (current.find_first_not_of(' ') != std::string::npos) sentences.push_back(current);
  return sentences;
}

std::string Join(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += (s.empty() ? "" : " ") + w;
  return s;
}

std::set<std::string> AdjacentPairs(const std::vector<std::string>& words, size_t begin,
                                    size_t end) {
  std::set<std::string> pairs;
  for (size_t i = begin; i + 1 < end; ++i) pairs.insert(words[i] + " " + words[i + 1]);
  return pairs;
}

TEST(LongConversation, TenMinutesOfSpeechWithoutARepeatedSentence) {
  auto turns = LongConversation(10);
  ASSERT_TRUE(turns.ok()) << turns.status().message();
  EXPECT_GE(EstimatedTalkSeconds(*turns), 600.0);
  std::set<std::string> seen;
  for (const TalkTurn& turn : *turns) {
    for (const std::string& sentence : Sentences(turn.text)) {
      std::string key = Join(Words(sentence));
      EXPECT_TRUE(seen.insert(key).second) << "repeated sentence: " << sentence;
    }
  }
}

TEST(LongConversation, SpeakersAlternateAndEveryTopicHasStrongAndWeakTurns) {
  auto turns = LongConversation(10);
  ASSERT_TRUE(turns.ok()) << turns.status().message();
  ASSERT_FALSE(turns->empty());
  EXPECT_EQ((*turns)[0].speaker, 0);
  for (size_t i = 1; i < turns->size(); ++i) {
    EXPECT_NE((*turns)[i].speaker, (*turns)[i - 1].speaker) << "turn " << i;
  }
  // A topic starts at a strong turn after a weak one: a hook question, a strong answer by the
  // other speaker, then one or two weak turns.
  int topics = 0;
  for (size_t i = 0; i < turns->size();) {
    const TalkTurn& hook = (*turns)[i];
    ASSERT_TRUE(hook.strong) << "turn " << i << " should open a topic: " << hook.text;
    EXPECT_EQ(hook.text.back(), '?') << hook.text;
    ASSERT_LT(i + 1, turns->size());
    const TalkTurn& answer = (*turns)[i + 1];
    EXPECT_TRUE(answer.strong) << answer.text;
    EXPECT_GE(Words(answer.text).size(), 20u) << answer.text;
    size_t weak = 0;
    for (i += 2; i < turns->size() && !(*turns)[i].strong; ++i) ++weak;
    EXPECT_GE(weak, 1u) << "topic " << topics << " has no weak turn";
    EXPECT_LE(weak, 2u) << "topic " << topics;
    ++topics;
  }
  EXPECT_GE(topics, 20);
}

// Clip selection drops a clip that repeats another clip's words, so any two stretches of the talk
// must read differently: consecutive 75-word passages share at most 30% of their word pairs.
TEST(LongConversation, NoTwoPassagesShareManyWordPairs) {
  auto turns = LongConversation(10);
  ASSERT_TRUE(turns.ok()) << turns.status().message();
  std::vector<std::string> words;
  for (const TalkTurn& turn : *turns) {
    auto w = Words(turn.text);
    words.insert(words.end(), w.begin(), w.end());
  }
  constexpr size_t kPassage = 75;
  std::vector<std::set<std::string>> passages;
  for (size_t at = 0; at + kPassage <= words.size(); at += kPassage) {
    passages.push_back(AdjacentPairs(words, at, at + kPassage));
  }
  ASSERT_GE(passages.size(), 20u);
  double worst = 0;
  for (size_t a = 0; a < passages.size(); ++a) {
    for (size_t b = a + 1; b < passages.size(); ++b) {
      size_t shared = 0;
      for (const auto& pair : passages[a]) shared += passages[b].count(pair);
      const double share =
          static_cast<double>(shared) / std::min(passages[a].size(), passages[b].size());
      worst = std::max(worst, share);
      EXPECT_LE(share, 0.30) << "passages " << a << " and " << b;
    }
  }
  std::printf("%zu passages, the most similar two share %.0f%% of their word pairs\n",
              passages.size(), worst * 100);
}

TEST(LongConversation, LengthFollowsTheRequestUpToTheBank) {
  const double max_minutes = MaxLongConversationMinutes();
  EXPECT_GE(max_minutes, 12.0);
  auto one = LongConversation(1);
  ASSERT_TRUE(one.ok());
  EXPECT_GE(EstimatedTalkSeconds(*one), 60.0);
  EXPECT_LT(EstimatedTalkSeconds(*one), 100.0) << "whole topics, stopping once a minute is reached";
  auto all = LongConversation(max_minutes);
  ASSERT_TRUE(all.ok()) << all.status().message();
  EXPECT_GE(EstimatedTalkSeconds(*all), max_minutes * 60);

  auto too_long = LongConversation(max_minutes + 0.5);
  ASSERT_FALSE(too_long.ok());
  std::ostringstream max_text;
  max_text << "at most " << max_minutes << " minutes";
  EXPECT_NE(too_long.status().message().find(max_text.str()), std::string::npos)
      << too_long.status().message();
  EXPECT_FALSE(LongConversation(0).ok());
}

// The built-in script renders to 72.4 s; the estimate must not exceed the real length, or a
// talk asked for M minutes could come out shorter.
TEST(EstimatedTalkSeconds, IsALowerBoundOfTheRenderedBuiltInScript) {
  const double estimate = EstimatedTalkSeconds(DefaultConversation());
  EXPECT_LE(estimate, 72.4);
  EXPECT_GE(estimate, 72.4 * 0.85);
}

}  // namespace
}  // namespace cutroom::compose
