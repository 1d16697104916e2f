#include "analysis/audio/audio_analyzer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <random>

#include "test_support.h"

namespace cutroom::analysis {
namespace {

constexpr int kRate = 48000;

// Stereo signal built from segments; fed in 1024-sample buffers like a decoder would.
class Signal {
 public:
  void Tone(double seconds, double amplitude, double hz = 1000.0) {
    for (int64_t i = 0; i < static_cast<int64_t>(seconds * kRate); ++i, ++n_) {
      samples_.push_back(static_cast<float>(amplitude * std::sin(2 * std::numbers::pi * hz * n_ / kRate)));
    }
  }
  void Silence(double seconds) { samples_.resize(samples_.size() + static_cast<size_t>(seconds * kRate), 0.0f); }
  void Noise(double seconds, double amplitude) {
    std::normal_distribution<double> g(0.0, amplitude);
    for (int64_t i = 0; i < static_cast<int64_t>(seconds * kRate); ++i) samples_.push_back(static_cast<float>(g(rng_)));
  }
  void Append(const std::vector<float>& s) { samples_.insert(samples_.end(), s.begin(), s.end()); }

  AudioAnalysis Analyze(const AudioAnalyzerOptions& options = {}) const {
    auto analyzer = AudioAnalyzer::Create(2, kRate, options);
    EXPECT_TRUE(analyzer.ok());
    for (size_t start = 0; start < samples_.size(); start += 1024) {
      AudioBuffer b;
      b.sample_rate = kRate;
      b.pts = MediaTime(static_cast<int64_t>(start), {1, kRate});
      const size_t end = std::min(samples_.size(), start + 1024);
      std::vector<float> part(samples_.begin() + static_cast<long>(start), samples_.begin() + static_cast<long>(end));
      b.channels = {part, part};
      EXPECT_TRUE((*analyzer)->Add(b).ok());
    }
    return (*analyzer)->Finish();
  }

 private:
  std::vector<float> samples_;
  int64_t n_ = 0;
  std::mt19937 rng_{7};
};

TEST(AudioAnalyzerTest, MinusTwentyThreeLufsToneMeasuresMinusTwentyThree) {
  Signal s;
  s.Tone(10.0, std::pow(10.0, -23.0 / 20.0));
  const AudioAnalysis a = s.Analyze();
  EXPECT_NEAR(a.integrated_lufs, -23.0, 0.5);
  ASSERT_EQ(a.loudness.size(), 100u);  // every 100 ms
  EXPECT_NEAR(a.loudness[50].momentary_lufs, -23.0, 0.5);
  EXPECT_NEAR(a.loudness[50].short_term_lufs, -23.0, 0.5);
  EXPECT_NEAR(a.loudness[50].rms_dbfs, -26.0, 0.1);  // a sine's RMS is 3 dB under its peak
  std::printf("integrated %.3f LUFS\n", a.integrated_lufs);
}

TEST(AudioAnalyzerTest, SilencesAreFoundWithin50Ms) {
  Signal s;
  s.Tone(1.23, 0.3);
  s.Silence(0.8);   // 1.23 .. 2.03
  s.Noise(1.5, 0.1);
  s.Silence(0.3);   // too short: 3.53 .. 3.83
  s.Tone(1.0, 0.2);
  s.Silence(1.37);  // 4.83 .. 6.20 (end)
  const AudioAnalysis a = s.Analyze();
  ASSERT_EQ(a.silences.size(), 2u);
  EXPECT_NEAR(a.silences[0].start.ToSeconds(), 1.23, 0.05);
  EXPECT_NEAR(a.silences[0].end.ToSeconds(), 2.03, 0.05);
  EXPECT_NEAR(a.silences[1].start.ToSeconds(), 4.83, 0.05);
  EXPECT_NEAR(a.silences[1].end.ToSeconds(), 6.20, 0.05);
  EXPECT_NEAR(a.duration.ToSeconds(), 6.20, 0.001);
}

TEST(AudioAnalyzerTest, LoudBurstOverSteadyBedIsAPeak) {
  Signal s;
  s.Noise(6.0, 0.02);
  s.Noise(0.5, 0.3);  // +23 dB burst at 6.0 s (applause / shout candidate)
  s.Noise(6.0, 0.02);
  const AudioAnalysis a = s.Analyze();
  ASSERT_EQ(a.peaks.size(), 1u);
  EXPECT_NEAR(a.peaks[0].time.ToSeconds(), 6.0, 0.5);
  EXPECT_GT(a.peaks[0].strength_db, 15.0);
}

TEST(AudioAnalyzerTest, SteadyAudioHasNoPeaks) {
  Signal s;
  s.Noise(12.0, 0.05);
  EXPECT_TRUE(s.Analyze().peaks.empty());
}

// Real read speech (LibriVox via pocketsphinx-testdata) against a steady tone and noise.
TEST(AudioAnalyzerTest, SpeechActivityTellsSpeechFromToneAndNoise) {
  cutroom::testing::TempDir dir;
  const std::string raw = dir.File("speech.f32");
  ASSERT_TRUE(cutroom::testing::Ffmpeg(
      "-i '" + cutroom::testing::SharedTestData("speech/sense_and_sensibility_01_austen_64kb-0870.wav") +
      "' -ac 1 -ar 48000 -f f32le '" + raw + "'"));
  const std::string bytes = cutroom::testing::ReadFile(raw);
  std::vector<float> samples(bytes.size() / sizeof(float));
  std::memcpy(samples.data(), bytes.data(), samples.size() * sizeof(float));
  ASSERT_GT(samples.size(), static_cast<size_t>(kRate));

  Signal talk;
  talk.Append(samples);
  Signal tone;
  tone.Tone(5.0, 0.2, 220.0);
  Signal noise;
  noise.Noise(5.0, 0.1);
  const double talk_fraction = talk.Analyze().speech_fraction;
  const double tone_fraction = tone.Analyze().speech_fraction;
  const double noise_fraction = noise.Analyze().speech_fraction;
  std::printf("speech fraction: speech %.2f, tone %.2f, noise %.2f\n", talk_fraction, tone_fraction,
              noise_fraction);
  EXPECT_GT(talk_fraction, 0.6);
  EXPECT_LT(tone_fraction, 0.1);
  EXPECT_LT(noise_fraction, 0.1);
}

TEST(AudioAnalyzerTest, RejectsAMismatchedBuffer) {
  auto analyzer = AudioAnalyzer::Create(2, kRate);
  ASSERT_TRUE(analyzer.ok());
  AudioBuffer mono;
  mono.sample_rate = kRate;
  mono.channels = {std::vector<float>(100)};
  EXPECT_EQ((*analyzer)->Add(mono).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AudioAnalyzer::Create(0, kRate).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cutroom::analysis
