#include "analysis/audio/loudness_meter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

namespace cutroom::analysis {
namespace {

constexpr int kRate = 48000;
constexpr unsigned kAllModes = static_cast<unsigned>(LoudnessModes::kIntegrated) |
                               static_cast<unsigned>(LoudnessModes::kMomentary) |
                               static_cast<unsigned>(LoudnessModes::kTruePeak);

// Same sine on every channel, `amplitude` peak, starting at phase `phase`.
AudioBuffer Sine(int channels, double frequency_hz, double amplitude, double seconds,
                 double phase = 0.0) {
  AudioBuffer buffer;
  buffer.sample_rate = kRate;
  const auto frames = static_cast<size_t>(seconds * kRate);
  buffer.channels.assign(static_cast<size_t>(channels), std::vector<float>(frames));
  for (size_t i = 0; i < frames; ++i) {
    const double value =
        amplitude *
        std::sin(2.0 * std::numbers::pi * frequency_hz * static_cast<double>(i) / kRate + phase);
    for (auto& channel : buffer.channels) channel[i] = static_cast<float>(value);
  }
  return buffer;
}

std::unique_ptr<LoudnessMeter> MakeMeter(int channels, unsigned modes = kAllModes) {
  auto meter = LoudnessMeter::Create(channels, kRate, modes);
  EXPECT_TRUE(meter.ok()) << meter.status().ToString();
  return std::move(meter).value();
}

// EBU Tech 3341 test 1: a 1 kHz sine at -23 dBFS on both stereo channels reads -23 LUFS.
TEST(LoudnessMeterTest, ReferenceSineReadsMinus23Lufs) {
  auto meter = MakeMeter(2);
  const double amplitude = std::pow(10.0, -23.0 / 20.0);
  ASSERT_TRUE(meter->Add(Sine(2, 1000.0, amplitude, 20.0)).ok());
  EXPECT_NEAR(meter->IntegratedLufs(), -23.0, 0.5);
  EXPECT_NEAR(meter->MomentaryLufs(), -23.0, 0.5);
  EXPECT_NEAR(meter->ShortTermLufs(), -23.0, 0.5);
  std::printf("integrated %.3f LUFS, momentary %.3f, short-term %.3f\n", meter->IntegratedLufs(),
              meter->MomentaryLufs(), meter->ShortTermLufs());
}

TEST(LoudnessMeterTest, ChunkingDoesNotChangeTheResult) {
  const AudioBuffer whole = Sine(2, 440.0, 0.3, 6.0);
  auto one_call = MakeMeter(2);
  ASSERT_TRUE(one_call->Add(whole).ok());
  auto chunked = MakeMeter(2);
  constexpr size_t kChunk = 1000;
  for (size_t start = 0; start < whole.channels[0].size(); start += kChunk) {
    AudioBuffer chunk;
    chunk.sample_rate = kRate;
    for (const auto& channel : whole.channels) {
      const size_t end = std::min(channel.size(), start + kChunk);
      chunk.channels.emplace_back(channel.begin() + static_cast<long>(start),
                                  channel.begin() + static_cast<long>(end));
    }
    ASSERT_TRUE(chunked->Add(chunk).ok());
  }
  EXPECT_DOUBLE_EQ(one_call->IntegratedLufs(), chunked->IntegratedLufs());
  EXPECT_DOUBLE_EQ(one_call->TruePeakDb(), chunked->TruePeakDb());
}

TEST(LoudnessMeterTest, FullScaleSineHasZeroDbTruePeak) {
  auto meter = MakeMeter(2, static_cast<unsigned>(LoudnessModes::kTruePeak));
  ASSERT_TRUE(meter->Add(Sine(2, 997.0, 1.0, 2.0)).ok());
  EXPECT_NEAR(meter->TruePeakDb(), 0.0, 0.2);
  std::printf("full-scale true peak %.3f dBTP\n", meter->TruePeakDb());
}

TEST(LoudnessMeterTest, HalfAmplitudeSineReadsMinus6DbTruePeak) {
  auto meter = MakeMeter(2, static_cast<unsigned>(LoudnessModes::kTruePeak));
  ASSERT_TRUE(meter->Add(Sine(2, 997.0, 0.5, 2.0)).ok());
  EXPECT_NEAR(meter->TruePeakDb(), -6.02, 0.2);
  std::printf("half-amplitude true peak %.3f dBTP\n", meter->TruePeakDb());
}

// A sine at fs/4 sampled 45 degrees off its crests: samples reach only 0.707 but the waveform
// reaches 1.0. The true peak must see the crest that the samples miss.
TEST(LoudnessMeterTest, TruePeakSeesInterSamplePeaks) {
  auto meter = MakeMeter(1, static_cast<unsigned>(LoudnessModes::kTruePeak));
  ASSERT_TRUE(meter->Add(Sine(1, kRate / 4.0, 1.0, 1.0, std::numbers::pi / 4)).ok());
  EXPECT_GT(meter->TruePeakDb(), -0.5);
}

TEST(LoudnessMeterTest, SilenceReadsBelowMinus70) {
  auto meter = MakeMeter(2);
  ASSERT_TRUE(meter->Add(Sine(2, 1000.0, 0.0, 5.0)).ok());
  EXPECT_LE(meter->IntegratedLufs(), -70.0);
  EXPECT_LE(meter->TruePeakDb(), -70.0);
}

TEST(LoudnessMeterTest, RejectsBadFormats) {
  EXPECT_EQ(LoudnessMeter::Create(0, kRate, kAllModes).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(LoudnessMeter::Create(2, 0, kAllModes).status().code(), StatusCode::kInvalidArgument);

  auto meter = MakeMeter(2);
  const Status wrong_channels = meter->Add(Sine(1, 1000.0, 0.5, 0.1));
  EXPECT_EQ(wrong_channels.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(wrong_channels.message().find("channels"), std::string::npos);

  AudioBuffer wrong_rate = Sine(2, 1000.0, 0.5, 0.1);
  wrong_rate.sample_rate = 44100;
  EXPECT_EQ(meter->Add(wrong_rate).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cutroom::analysis
