#include "select/candidates.h"

#include <gtest/gtest.h>

#include <string>

#include "select/test_transcript.h"

namespace cutroom::select {
namespace {

using testing::Sec;
using testing::TranscriptBuilder;

// Sentences of 3 to 14 words (1 to 5 s) with varied pauses.
speech::Transcript VariedTalk(int sentences) {
  TranscriptBuilder b;
  for (int i = 0; i < sentences; ++i) {
    std::string sentence;
    int words = 3 + (i * 7) % 12;
    for (int w = 0; w < words; ++w) sentence += (w ? " word" : "Word") + std::to_string(w);
    b.Say(sentence + ".", 0.2 + 0.1 * (i % 5));
  }
  return b.Build();
}

TEST(CandidatesTest, EveryWindowStartsAndEndsOnSentenceBoundariesWithinRange) {
  speech::Transcript t = VariedTalk(60);
  const MediaTime min = Sec(15), max = Sec(30);
  std::vector<Window> windows = SentenceWindows(t.sentences, min, max);
  ASSERT_FALSE(windows.empty());
  for (const Window& w : windows) {
    ASSERT_GE(w.first_sentence, 0);
    ASSERT_LE(w.first_sentence, w.last_sentence);
    EXPECT_EQ(w.start, t.sentences[static_cast<size_t>(w.first_sentence)].start);
    EXPECT_EQ(w.end, t.sentences[static_cast<size_t>(w.last_sentence)].end);
    EXPECT_GE(w.end - w.start, min);
    EXPECT_LE(w.end - w.start, max);
    for (const speech::Word& word : t.words) {
      bool inside = word.start >= w.start && word.end <= w.end;
      bool outside = word.end <= w.start || word.start >= w.end;
      EXPECT_TRUE(inside || outside) << "word " << word.text << " is cut";
    }
  }
  // Every run of sentences that fits is offered.
  size_t expected = 0;
  for (size_t i = 0; i < t.sentences.size(); ++i) {
    for (size_t j = i; j < t.sentences.size(); ++j) {
      MediaTime d = t.sentences[j].end - t.sentences[i].start;
      if (d >= min && d <= max) ++expected;
    }
  }
  EXPECT_EQ(windows.size(), expected);
}

TEST(CandidatesTest, LongestWindowsKeepSentencesLongerThanMaxWhole) {
  TranscriptBuilder b;
  std::string long_sentence = "This";
  for (int i = 0; i < 30; ++i) long_sentence += " goes";
  b.Say("Short one.").Say(long_sentence + " on.").Say("Another short one.");
  speech::Transcript t = b.Build();
  ASSERT_EQ(t.sentences.size(), 3u);
  for (const Window& w : SentenceWindows(t.sentences, Sec(1), Sec(5))) {
    EXPECT_TRUE(w.first_sentence > 1 || w.last_sentence < 1) << "the long sentence never fits";
  }
  std::vector<Window> windows = LongestWindowsWithin(t.sentences, Sec(5));
  ASSERT_EQ(windows.size(), 3u);
  EXPECT_EQ(windows[1].first_sentence, 1);
  EXPECT_EQ(windows[1].last_sentence, 1);
}

TEST(CandidatesTest, FixedWindowsStayInsideTheSourceAndEndOnSceneCuts) {
  std::vector<Window> windows = FixedWindows(Sec(120), {40.0, 77.0}, Sec(15), Sec(60));
  ASSERT_FALSE(windows.empty());
  bool ends_on_cut = false;
  for (const Window& w : windows) {
    EXPECT_FALSE(w.HasSpeech());
    EXPECT_GE(w.start, MediaTime());
    EXPECT_LE(w.end, Sec(120));
    EXPECT_GE((w.end - w.start).ToSeconds(), 15 - 1e-3);
    EXPECT_LE((w.end - w.start).ToSeconds(), 60 + 1e-3);
    if (w.start == Sec(40)) {
      EXPECT_EQ(w.end, Sec(77)) << "a window from the cut at 40 s ends on the cut at 77 s";
      ends_on_cut = true;
    }
  }
  EXPECT_TRUE(ends_on_cut);
  std::vector<Window> short_source = FixedWindows(Sec(10), {}, Sec(15), Sec(60));
  ASSERT_EQ(short_source.size(), 1u);
  EXPECT_EQ(short_source[0].end, Sec(10));
}

}  // namespace
}  // namespace cutroom::select
