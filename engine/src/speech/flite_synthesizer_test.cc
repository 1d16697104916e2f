#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "speech/speech_synthesizer.h"

namespace cutroom::speech {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Two sentences of plain words (no numbers or abbreviations, which flite expands), so the words
// reported must be exactly these tokens, punctuation stripped.
constexpr char kTwoSentences[] =
    "The quick brown fox jumps over the lazy dog. Then the sleepy cat runs away from the barn.";
constexpr int kWordsInFirstSentence = 9;

std::vector<std::string> PlainWords(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    while (!word.empty() && (word.back() == '.' || word.back() == ',')) word.pop_back();
    words.push_back(word);
  }
  return words;
}

int64_t ToSample(const MediaTime& t, int sample_rate) { return t.Rescale({1, sample_rate}); }

// Mean square of the samples in [begin, end).
double MeanSquare(const std::vector<float>& samples, int64_t begin, int64_t end) {
  double sum = 0;
  for (int64_t i = begin; i < end; ++i) sum += samples[i] * samples[i];
  return end > begin ? sum / static_cast<double>(end - begin) : 0.0;
}

Speech SynthesizeOrDie(const std::string& voice, const std::string& text) {
  Result<std::unique_ptr<SpeechSynthesizer>> synth = CreateFliteSynthesizer(voice);
  EXPECT_TRUE(synth.ok()) << synth.status().ToString();
  if (!synth.ok()) return {};
  Result<Speech> speech = (*synth)->Synthesize(text);
  EXPECT_TRUE(speech.ok()) << speech.status().ToString();
  return speech.ok() ? std::move(speech).value() : Speech{};
}

class FliteVoiceTest : public ::testing::TestWithParam<std::string> {};

TEST_P(FliteVoiceTest, WordsMatchTextInOrderAndCoverTheAudio) {
  Speech speech = SynthesizeOrDie(GetParam(), kTwoSentences);
  const AudioBuffer& audio = speech.audio;
  ASSERT_EQ(audio.channel_count(), 1);
  ASSERT_GT(audio.sample_rate, 0);
  const double duration_s = static_cast<double>(audio.frames()) / audio.sample_rate;
  ASSERT_GT(duration_s, 2.0);  // 18 words cannot be said faster

  std::vector<std::string> texts;
  for (const TimedWord& w : speech.words) texts.push_back(w.text);
  EXPECT_EQ(texts, PlainWords(kTwoSentences));
  ASSERT_EQ(speech.words.size(), PlainWords(kTwoSentences).size());

  MediaTime previous_end = MediaTime::Zero();
  for (const TimedWord& w : speech.words) {
    EXPECT_GE(w.start, previous_end) << w.text << " overlaps the word before it";
    EXPECT_GT(w.end, w.start) << w.text;
    EXPECT_EQ(w.start.time_base(), (Rational{1, audio.sample_rate})) << w.text;
    previous_end = w.end;
  }
  EXPECT_LT(speech.words.front().start.ToSeconds(), 0.5);
  EXPECT_GT(speech.words.front().start.ToSeconds(), 0.0) << "leading silence counted as speech";
  EXPECT_LE(speech.words.back().end.ToSeconds(), duration_s);
  EXPECT_GT(speech.words.back().end.ToSeconds(), duration_s - 0.3);
}

TEST_P(FliteVoiceTest, WordsAreLouderThanThePauseBetweenSentences) {
  Speech speech = SynthesizeOrDie(GetParam(), kTwoSentences);
  ASSERT_EQ(speech.words.size(), PlainWords(kTwoSentences).size());
  const std::vector<float>& samples = speech.audio.channels[0];
  const int rate = speech.audio.sample_rate;

  const double overall_rms = std::sqrt(MeanSquare(samples, 0, speech.audio.frames()));
  EXPECT_GT(overall_rms, 0.01) << "audio is (nearly) silent";

  double word_energy = 0;
  int64_t word_samples = 0;
  for (const TimedWord& w : speech.words) {
    const int64_t begin = ToSample(w.start, rate);
    const int64_t end = ToSample(w.end, rate);
    word_energy += MeanSquare(samples, begin, end) * static_cast<double>(end - begin);
    word_samples += end - begin;
  }
  const double word_mean_square = word_energy / static_cast<double>(word_samples);

  const TimedWord& last_of_first = speech.words[kWordsInFirstSentence - 1];
  const TimedWord& first_of_second = speech.words[kWordsInFirstSentence];
  const int64_t gap_begin = ToSample(last_of_first.end, rate);
  const int64_t gap_end = ToSample(first_of_second.start, rate);
  ASSERT_GT(gap_end - gap_begin, rate / 20) << "no pause at the sentence boundary";
  const double gap_mean_square = MeanSquare(samples, gap_begin, gap_end);
  EXPECT_LT(gap_mean_square, 0.1 * word_mean_square)
      << "gap rms " << std::sqrt(gap_mean_square) << " word rms " << std::sqrt(word_mean_square);
}

INSTANTIATE_TEST_SUITE_P(Voices, FliteVoiceTest, ::testing::Values("slt", "kal"));

TEST(FliteSynthesizerTest, EveryListedVoiceSpeaks) {
  EXPECT_THAT(FliteVoiceNames(), ElementsAre("slt", "rms", "awb", "kal"));
  for (const std::string& voice : FliteVoiceNames()) {
    Speech speech = SynthesizeOrDie(voice, "Good morning.");
    std::vector<std::string> texts;
    for (const TimedWord& w : speech.words) texts.push_back(w.text);
    EXPECT_THAT(texts, ElementsAre("Good", "morning")) << voice;
    EXPECT_EQ(speech.audio.sample_rate, 16000) << voice;
  }
}

TEST(FliteSynthesizerTest, EmptyVoiceNameMeansSlt) {
  Result<std::unique_ptr<SpeechSynthesizer>> synth = CreateFliteSynthesizer("");
  ASSERT_TRUE(synth.ok()) << synth.status().ToString();
  EXPECT_TRUE((*synth)->Synthesize("Yes.").ok());
}

// A token that flite reads as several words is reported as those words, each with its own time;
// a token read as one word keeps its spelling ("don't", not flite's "dont").
TEST(FliteSynthesizerTest, NumbersAreReportedAsSpokenWords) {
  Speech speech = SynthesizeOrDie("slt", "I don't have 42 apples.");
  std::vector<std::string> texts;
  for (const TimedWord& w : speech.words) texts.push_back(w.text);
  EXPECT_THAT(texts, ElementsAre("I", "don't", "have", "forty", "two", "apples"));
  ASSERT_EQ(speech.words.size(), 6u);
  EXPECT_LT(speech.words[3].end, speech.words[4].end);
}

// Synthesizers may be used from several threads at once (flite's global state is guarded inside
// the adapter) and must give the same words as when used one after another.
TEST(FliteSynthesizerTest, ConcurrentSynthesizersMatchSequentialResults) {
  const std::vector<std::string> voices = {"slt", "kal", "slt", "kal"};
  std::vector<Speech> expected;
  for (const std::string& voice : voices) expected.push_back(SynthesizeOrDie(voice, kTwoSentences));
  std::vector<Speech> actual(voices.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < voices.size(); ++i) {
    threads.emplace_back([&, i] { actual[i] = SynthesizeOrDie(voices[i], kTwoSentences); });
  }
  for (std::thread& t : threads) t.join();
  for (size_t i = 0; i < voices.size(); ++i) {
    // slt's samples are compared by count only: clustergen voices excite unvoiced sounds with
    // pseudo-random noise, so even two sequential runs differ in their samples.
    EXPECT_EQ(actual[i].audio.frames(), expected[i].audio.frames()) << voices[i];
    if (voices[i] == "kal") {
      EXPECT_TRUE(actual[i].audio.channels == expected[i].audio.channels) << "kal is deterministic";
    }
    ASSERT_EQ(actual[i].words.size(), expected[i].words.size()) << voices[i];
    for (size_t w = 0; w < actual[i].words.size(); ++w) {
      EXPECT_EQ(actual[i].words[w].text, expected[i].words[w].text);
      EXPECT_EQ(actual[i].words[w].start, expected[i].words[w].start);
      EXPECT_EQ(actual[i].words[w].end, expected[i].words[w].end);
    }
  }
}

TEST(FliteSynthesizerTest, UnknownVoiceIsAnErrorListingTheVoices) {
  Result<std::unique_ptr<SpeechSynthesizer>> synth = CreateFliteSynthesizer("hal9000");
  ASSERT_FALSE(synth.ok());
  EXPECT_EQ(synth.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(synth.status().message(), HasSubstr("hal9000"));
  for (const std::string& voice : FliteVoiceNames()) {
    EXPECT_THAT(synth.status().message(), HasSubstr(voice));
  }
}

TEST(FliteSynthesizerTest, EmptyOrBlankTextIsAnError) {
  Result<std::unique_ptr<SpeechSynthesizer>> synth = CreateFliteSynthesizer("slt");
  ASSERT_TRUE(synth.ok()) << synth.status().ToString();
  for (const std::string text : {"", "   ", " \n\t "}) {
    Result<Speech> speech = (*synth)->Synthesize(text);
    ASSERT_FALSE(speech.ok()) << "text: '" << text << "'";
    EXPECT_EQ(speech.status().code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace cutroom::speech
