// Forced alignment against flite's own word times (the ground truth), and subtitle cues aligned
// inside their cues.
#include "speech/forced_aligner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "speech/speech_synthesizer.h"

namespace cutroom::speech {
namespace {

constexpr char kText[] =
    "We need to find a better way to share what we know with the people around us. When you "
    "start a new project, the first thing you should do is talk to the people who will use it. "
    "Ask them what they want and listen to what they say.";

Speech Synthesize(const std::string& voice, const std::string& text) {
  auto synth = CreateFliteSynthesizer(voice);
  EXPECT_TRUE(synth.ok());
  Result<Speech> speech = (*synth)->Synthesize(text);
  EXPECT_TRUE(speech.ok()) << speech.status().ToString();
  return std::move(speech).value();
}

double Percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5)];
}

class ForcedAlignerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto aligner = ForcedAligner::Create();
    ASSERT_TRUE(aligner.ok()) << aligner.status().ToString();
    aligner_ = std::move(aligner).value();
  }
  std::unique_ptr<ForcedAligner> aligner_;
};

TEST_P(ForcedAlignerTest, StartTimesMatchTheSynthesizer) {
  Speech speech = Synthesize(GetParam(), kText);
  AlignmentStats stats;
  Result<Transcript> t = aligner_->AlignText(speech.audio, kText, &stats);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->words.size(), speech.words.size()) << "every word placed";
  EXPECT_EQ(t->source, TranscriptSource::kAlignment);
  std::vector<double> start_errors;
  for (size_t i = 0; i < t->words.size(); ++i) {
    EXPECT_EQ(NormalizeWord(t->words[i].text), NormalizeWord(speech.words[i].text));
    start_errors.push_back(std::abs(t->words[i].start.ToSeconds() - speech.words[i].start.ToSeconds()));
  }
  const double median = Percentile(start_errors, 0.5);
  const double p95 = Percentile(start_errors, 0.95);
  std::printf("[ measured ] %s: %zu words, %d placed by the decoder, start error median %.0f ms, "
              "p95 %.0f ms, max %.0f ms\n",
              GetParam().c_str(), start_errors.size(), stats.placed_by_decoder, median * 1000,
              p95 * 1000, Percentile(start_errors, 1.0) * 1000);
  EXPECT_EQ(stats.placed_by_decoder, stats.words);
  EXPECT_LE(median, 0.030);
  EXPECT_LE(p95, 0.100);
  // Sentences come from the text's punctuation.
  EXPECT_EQ(t->sentences.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Voices, ForcedAlignerTest, ::testing::Values("slt", "awb"));

// Numbers and made-up names are not in the dictionary: they get interpolated times between
// their placed neighbours and are never dropped.
TEST_F(ForcedAlignerTest, WordsMissingFromTheDictionaryAreInterpolated) {
  const std::string text = "Please call Zorblatt tomorrow about the 42 boxes.";
  Speech speech = Synthesize("slt", text);
  AlignmentStats stats;
  Result<Transcript> t = aligner_->AlignText(speech.audio, text, &stats);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  std::vector<std::string> texts;
  for (const Word& w : t->words) texts.push_back(w.text);
  EXPECT_THAT(texts, ::testing::ElementsAre("Please", "call", "Zorblatt", "tomorrow", "about",
                                            "the", "42", "boxes."));
  EXPECT_EQ(stats.placed_by_decoder, 6);
  for (size_t i = 0; i < t->words.size(); ++i) {
    EXPECT_LT(t->words[i].start, t->words[i].end) << t->words[i].text;
    if (i > 0) {
      EXPECT_GE(t->words[i].start, t->words[i - 1].end) << t->words[i].text;
    }
  }
  EXPECT_LT(t->words[2].confidence, 1.0f);
  EXPECT_FLOAT_EQ(t->words[3].confidence, 1.0f);
}

TEST(InterpolateUnplacedTest, SpreadsUnplacedWordsBetweenNeighboursByLength) {
  std::vector<Word> words(4);
  words[0] = {"a", MediaTime(0, {1, 10}), MediaTime(10, {1, 10})};
  words[1] = {"xx", {}, {}};
  words[2] = {"yyyy", {}, {}};
  words[3] = {"b", MediaTime(20, {1, 10}), MediaTime(25, {1, 10})};
  InterpolateUnplaced(&words, {true, false, false, true}, MediaTime(0, {1, 1}), MediaTime(3, {1, 1}));
  EXPECT_EQ(words[1].start, MediaTime(1, {1, 1}));
  EXPECT_EQ(words[1].end, MediaTime(1375, {1, 1000}));  // 3 of 8 length units
  EXPECT_EQ(words[2].start, words[1].end);
  EXPECT_EQ(words[2].end, MediaTime(2, {1, 1}));
}

TEST_F(ForcedAlignerTest, CueWordsStayInsideTheirCues) {
  Speech first = Synthesize("slt", "The boat left the harbour at dawn.");
  Speech second = Synthesize("slt", "Nobody on the island saw it go.");
  AudioBuffer audio = first.audio;
  std::vector<float>& samples = audio.channels[0];
  const int64_t second_at = static_cast<int64_t>(samples.size()) + 16000;
  samples.resize(static_cast<size_t>(second_at), 0.0f);
  samples.insert(samples.end(), second.audio.channels[0].begin(), second.audio.channels[0].end());
  const Rational ms{1, 1000};
  std::vector<Cue> cues = {
      {MediaTime(0, ms), MediaTime(first.words.back().end.Rescale(ms) + 100, ms),
       "The boat left\nthe harbour at dawn.", "Ann"},
      {MediaTime(second_at / 16, ms), MediaTime(static_cast<int64_t>(samples.size()) / 16, ms),
       "Nobody on the island saw it go.", ""}};
  Result<Transcript> t = aligner_->AlignCues(audio, cues);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->source, TranscriptSource::kSubtitles);
  ASSERT_EQ(t->words.size(), 7u + 7u);
  for (size_t i = 0; i < t->words.size(); ++i) {
    const Cue& cue = cues[i < 7 ? 0 : 1];
    EXPECT_GE(t->words[i].start, cue.start) << t->words[i].text;
    EXPECT_LE(t->words[i].end, cue.end) << t->words[i].text;
    const Speech& truth = i < 7 ? first : second;
    const double offset = i < 7 ? 0.0 : static_cast<double>(second_at) / 16000.0;
    EXPECT_NEAR(t->words[i].start.ToSeconds(), truth.words[i % 7].start.ToSeconds() + offset, 0.1)
        << t->words[i].text;
  }
  EXPECT_EQ(t->words[0].speaker, "Ann");
  EXPECT_EQ(t->sentences.size(), 2u);
}

}  // namespace
}  // namespace cutroom::speech
