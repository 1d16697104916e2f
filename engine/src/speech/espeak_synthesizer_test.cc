#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "speech/speech_synthesizer.h"
#include "speech/text_words.h"

namespace cutroom::speech {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> Texts(const std::vector<TimedWord>& words) {
  std::vector<std::string> out;
  for (const TimedWord& w : words) out.push_back(w.text);
  return out;
}

int64_t Ticks(const MediaTime& t, int rate) { return t.Rescale({1, rate}); }

TEST(TextWordsTest, SplitsTokensStripsPunctuationAndCountsCodePoints) {
  const std::vector<TextWord> words = SplitTextWords("Grüße, aus  Köln -- ja... don't!");
  ASSERT_EQ(words.size(), 5u);
  EXPECT_EQ(words[0].text, "Grüße");
  EXPECT_EQ(words[0].char_begin, 0);
  EXPECT_EQ(words[0].char_end, 6);  // "Grüße," is 6 code points (8 bytes)
  EXPECT_EQ(words[1].text, "aus");
  EXPECT_EQ(words[1].char_begin, 7);
  EXPECT_EQ(words[2].text, "Köln");
  EXPECT_EQ(words[2].char_begin, 12);
  EXPECT_EQ(words[3].text, "ja");  // "--" is not a word
  EXPECT_EQ(words[3].char_begin, 20);
  EXPECT_EQ(words[4].text, "don't");
}

TEST(TextWordsTest, EventsMapToWordsByPositionNotIndex) {
  // "the cat, the cat: 42 dogs": the number is spoken as two words (two events), and the
  // repeated words must still get their own events.
  const std::vector<TextWord> words = SplitTextWords("the cat, the cat: 42 dogs");
  ASSERT_EQ(words.size(), 6u);
  const std::vector<WordStartEvent> events = {{0, 100},  {4, 200},  {9, 300}, {13, 400},
                                              {18, 500}, {19, 600}, {21, 700}};
  const std::vector<TimedWord> timed = TimeWordsFromStarts(words, events, 1000, 1000);
  EXPECT_THAT(Texts(timed), ElementsAre("the", "cat", "the", "cat", "42", "dogs"));
  std::vector<int64_t> starts, ends;
  for (const TimedWord& w : timed) {
    starts.push_back(Ticks(w.start, 1000));
    ends.push_back(Ticks(w.end, 1000));
  }
  EXPECT_THAT(starts, ElementsAre(100, 200, 300, 400, 500, 700));
  EXPECT_THAT(ends, ElementsAre(200, 300, 400, 500, 700, 1000));
}

TEST(TextWordsTest, EventBetweenTokensGoesToTheNextWordAndMissingWordsAreInterpolated) {
  const std::vector<TextWord> words = SplitTextWords("one - two three four");
  ASSERT_EQ(words.size(), 4u);
  // An event on the dash (offset 4) belongs to "two"; "three" has none.
  const std::vector<WordStartEvent> events = {{0, 0}, {4, 400}, {16, 800}};
  const std::vector<TimedWord> timed = TimeWordsFromStarts(words, events, 1200, 1000);
  ASSERT_EQ(timed.size(), 4u);
  EXPECT_EQ(Ticks(timed[1].start, 1000), 400);
  EXPECT_EQ(Ticks(timed[2].start, 1000), 600);
  EXPECT_EQ(Ticks(timed[3].start, 1000), 800);
  EXPECT_EQ(Ticks(timed[3].end, 1000), 1200);
}

Speech SpeakOrDie(const std::string& voice, const std::string& text) {
  Result<std::unique_ptr<SpeechSynthesizer>> synth = CreateEspeakSynthesizer(voice);
  EXPECT_TRUE(synth.ok()) << synth.status().ToString();
  if (!synth.ok()) return {};
  Result<Speech> speech = (*synth)->Synthesize(text);
  EXPECT_TRUE(speech.ok()) << speech.status().ToString();
  return speech.ok() ? std::move(speech).value() : Speech{};
}

// Word times in order, none overlapping or empty, from the start of the audio to its end.
void ExpectWordsCoverAudio(const Speech& speech) {
  const int rate = speech.audio.sample_rate;
  ASSERT_GT(rate, 0);
  ASSERT_FALSE(speech.words.empty());
  EXPECT_LT(speech.words.front().start.ToSeconds(), 0.3);
  int64_t previous_end = 0;
  for (const TimedWord& w : speech.words) {
    EXPECT_EQ(w.start.time_base(), (Rational{1, rate})) << w.text;
    EXPECT_GE(Ticks(w.start, rate), previous_end) << w.text << " overlaps the word before";
    EXPECT_GT(w.end, w.start) << w.text;
    EXPECT_GT(w.end.ToSeconds() - w.start.ToSeconds(), 0.05) << w.text << " is implausibly short";
    previous_end = Ticks(w.end, rate);
  }
  EXPECT_EQ(previous_end, speech.audio.frames());
}

struct LanguageCase {
  std::string voice;
  std::string text;
  std::vector<std::string> words;
};

class EspeakLanguageTest : public ::testing::TestWithParam<LanguageCase> {};

TEST_P(EspeakLanguageTest, OneTimedWordPerWordOfTheText) {
  const LanguageCase& c = GetParam();
  const Speech speech = SpeakOrDie(c.voice, c.text);
  ASSERT_EQ(speech.audio.channel_count(), 1);
  EXPECT_GT(speech.audio.frames(), speech.audio.sample_rate);  // more than a second of speech
  EXPECT_EQ(Texts(speech.words), c.words);
  ExpectWordsCoverAudio(speech);
}

INSTANTIATE_TEST_SUITE_P(
    Languages, EspeakLanguageTest,
    ::testing::Values(
        LanguageCase{"en",
                     "The quick brown fox jumps over the lazy dog. Then the cat runs away.",
                     {"The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "Then",
                      "the", "cat", "runs", "away"}},
        LanguageCase{"de",
                     "Grüße aus Köln, sagte der Fuchs. Über alles!",
                     {"Grüße", "aus", "Köln", "sagte", "der", "Fuchs", "Über", "alles"}}),
    [](const auto& info) { return info.param.voice; });

TEST(EspeakSynthesizerTest, PunctuationRepeatsAndNumbersKeepWordsInPlace) {
  // espeak-ng reports "1234567" as several spoken words (several events); matching by index
  // would push every later word onto an earlier event.
  const Speech speech = SpeakOrDie("en", "The cat, the cat: 1234567 -- the dog!");
  ASSERT_THAT(Texts(speech.words),
              ElementsAre("The", "cat", "the", "cat", "1234567", "the", "dog"));
  ExpectWordsCoverAudio(speech);
  const auto seconds = [](const TimedWord& w) { return w.end.ToSeconds() - w.start.ToSeconds(); };
  // "one million two hundred thirty-four thousand ..." takes far longer than "cat".
  EXPECT_GT(seconds(speech.words[4]), 4 * seconds(speech.words[3]));
  // The repeated "the cat" is said in the same time both times (within 40%).
  EXPECT_NEAR(seconds(speech.words[3]), seconds(speech.words[1]), 0.4 * seconds(speech.words[1]));
}

TEST(EspeakSynthesizerTest, ListsCommonLanguages) {
  Result<std::vector<std::string>> names = EspeakVoiceNames();
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  for (const char* language : {"en", "de", "fr", "es"}) {
    EXPECT_THAT(*names, ::testing::Contains(language));
  }
}

TEST(EspeakSynthesizerTest, UnknownVoiceListsTheAvailableOnes) {
  Result<std::unique_ptr<SpeechSynthesizer>> synth = CreateEspeakSynthesizer("klingon");
  ASSERT_FALSE(synth.ok());
  EXPECT_THAT(synth.status().message(), HasSubstr("klingon"));
  EXPECT_THAT(synth.status().message(), HasSubstr("available:"));
  EXPECT_THAT(synth.status().message(), HasSubstr(", de,"));
  EXPECT_THAT(synth.status().message(), HasSubstr(", fr,"));
}

TEST(EspeakSynthesizerTest, TextWithoutWordsIsAnError) {
  Result<std::unique_ptr<SpeechSynthesizer>> synth = CreateEspeakSynthesizer("fr");
  ASSERT_TRUE(synth.ok());
  EXPECT_FALSE((*synth)->Synthesize(" ... ").ok());
  EXPECT_FALSE((*synth)->Synthesize("").ok());
}

TEST(EspeakSynthesizerTest, ConcurrentSynthesizersDoNotMixVoices) {
  const std::string en_text = "Good morning to everyone here.";
  const std::string es_text = "Buenos días a todos aquí.";
  const Speech en_alone = SpeakOrDie("en", en_text);
  const Speech es_alone = SpeakOrDie("es", es_text);
  Speech en_together, es_together;
  std::thread a([&] {
    for (int i = 0; i < 3; ++i) en_together = SpeakOrDie("en", en_text);
  });
  std::thread b([&] {
    for (int i = 0; i < 3; ++i) es_together = SpeakOrDie("es", es_text);
  });
  a.join();
  b.join();
  // espeak-ng's output varies by a few samples from call to call even alone (state carried
  // between calls), so equal words and a length within 5% stand for "not mixed up".
  EXPECT_EQ(Texts(en_together.words), Texts(en_alone.words));
  EXPECT_EQ(Texts(es_together.words), Texts(es_alone.words));
  EXPECT_NEAR(static_cast<double>(en_together.audio.frames()),
              static_cast<double>(en_alone.audio.frames()), 0.05 * en_alone.audio.frames());
  EXPECT_NEAR(static_cast<double>(es_together.audio.frames()),
              static_cast<double>(es_alone.audio.frames()), 0.05 * es_alone.audio.frames());
}

}  // namespace
}  // namespace cutroom::speech
