#include "render/audio_dsp.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "analysis/audio/loudness_meter.h"

namespace cutroom::render {
namespace {

constexpr int kRate = 48000;
constexpr double kCeilingDb = -1.0;

AudioBuffer Silence(int channels, int64_t frames) {
  AudioBuffer buffer;
  buffer.sample_rate = kRate;
  buffer.channels.assign(static_cast<size_t>(channels),
                         std::vector<float>(static_cast<size_t>(frames), 0.0f));
  return buffer;
}

// Appends `seconds` of a sine with peak `amplitude` to every channel.
void AppendSine(AudioBuffer& buffer, double frequency_hz, double amplitude, double seconds,
                double phase = 0.0) {
  const auto frames = static_cast<int64_t>(seconds * kRate);
  for (auto& channel : buffer.channels) {
    for (int64_t i = 0; i < frames; ++i) {
      channel.push_back(
          static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * frequency_hz *
                                                      static_cast<double>(i) / kRate +
                                                  phase)));
    }
  }
}

// Deterministic white-ish noise in [-amplitude, amplitude].
void AppendNoise(AudioBuffer& buffer, double amplitude, int64_t frames, uint32_t seed) {
  for (auto& channel : buffer.channels) {
    uint32_t state = seed++;
    for (int64_t i = 0; i < frames; ++i) {
      state = state * 1664525u + 1013904223u;
      const double unit = static_cast<double>(state >> 8) / static_cast<double>(1u << 24);
      channel.push_back(static_cast<float>(amplitude * (2.0 * unit - 1.0)));
    }
  }
}

AudioBuffer Slice(const AudioBuffer& buffer, int64_t start, int64_t frames) {
  AudioBuffer out;
  out.sample_rate = buffer.sample_rate;
  for (const auto& channel : buffer.channels) {
    out.channels.emplace_back(channel.begin() + start, channel.begin() + start + frames);
  }
  return out;
}

void Append(AudioBuffer& to, const AudioBuffer& from) {
  if (to.channels.empty()) to.channels.resize(from.channels.size());
  for (size_t c = 0; c < from.channels.size(); ++c) {
    to.channels[c].insert(to.channels[c].end(), from.channels[c].begin(), from.channels[c].end());
  }
}

// Streams `input` through a limiter in `chunk`-sized pieces and returns everything it emitted.
AudioBuffer RunLimiter(TruePeakLimiter& limiter, const AudioBuffer& input, int64_t chunk) {
  AudioBuffer output;
  output.sample_rate = kRate;
  output.channels.resize(input.channels.size());
  for (int64_t start = 0; start < input.frames(); start += chunk) {
    Append(output, limiter.Process(Slice(input, start, std::min(chunk, input.frames() - start))));
  }
  Append(output, limiter.Flush());
  return output;
}

double MeasureTruePeakDb(const AudioBuffer& buffer) {
  auto meter = analysis::LoudnessMeter::Create(
      buffer.channel_count(), kRate, static_cast<unsigned>(analysis::LoudnessModes::kTruePeak));
  EXPECT_TRUE(meter.ok());
  EXPECT_TRUE((*meter)->Add(buffer).ok());
  return (*meter)->TruePeakDb();
}

float PeakAbs(const std::vector<float>& samples, int64_t start, int64_t end) {
  float peak = 0.0f;
  for (int64_t i = start; i < end; ++i) peak = std::max(peak, std::abs(samples[i]));
  return peak;
}

TEST(ApplyGainDbTest, MinusSixDbHalvesTheSignal) {
  AudioBuffer buffer = Silence(2, 0);
  AppendSine(buffer, 440.0, 0.8, 0.01);
  const AudioBuffer original = buffer;
  ApplyGainDb(buffer, -20.0 * std::log10(2.0));
  for (size_t c = 0; c < 2; ++c) {
    for (size_t i = 0; i < original.channels[c].size(); ++i) {
      EXPECT_NEAR(buffer.channels[c][i], original.channels[c][i] * 0.5f, 1e-6);
    }
  }
}

TEST(ApplySegmentFadesTest, ChunkedFadesEqualOneCall) {
  constexpr int64_t kLength = 10000;
  constexpr int64_t kFade = 2400;
  AudioBuffer segment = Silence(2, 0);
  AppendNoise(segment, 0.9, kLength, 7);

  AudioBuffer whole = segment;
  ApplySegmentFades(whole, 0, kLength, kFade);

  AudioBuffer chunked = Silence(2, 0);
  for (int64_t start = 0; start < kLength; start += 1024) {
    AudioBuffer chunk = Slice(segment, start, std::min<int64_t>(1024, kLength - start));
    ApplySegmentFades(chunk, start, kLength, kFade);
    Append(chunked, chunk);
  }
  EXPECT_EQ(chunked.channels, whole.channels);
}

TEST(ApplySegmentFadesTest, FadesReachZeroAtTheEdgesAndLeaveTheMiddle) {
  constexpr int64_t kLength = 4800;
  constexpr int64_t kFade = 480;
  AudioBuffer buffer = Silence(1, kLength);
  std::fill(buffer.channels[0].begin(), buffer.channels[0].end(), 0.5f);
  ApplySegmentFades(buffer, 0, kLength, kFade);
  const auto& s = buffer.channels[0];
  EXPECT_EQ(s.front(), 0.0f);
  EXPECT_EQ(s.back(), 0.0f);
  EXPECT_NEAR(s[kFade / 2], 0.25f, 1e-6);  // raised cosine is at half gain halfway
  for (int64_t i = 1; i < kFade; ++i) EXPECT_GT(s[i], s[i - 1]) << i;
  for (int64_t i = kFade; i < kLength - kFade; ++i) ASSERT_EQ(s[i], 0.5f) << i;
  for (int64_t i = kLength - kFade; i < kLength; ++i) EXPECT_LT(s[i], s[i - 1]) << i;
}

TEST(ApplySegmentFadesTest, ShortSegmentStillReachesFullLevel) {
  AudioBuffer buffer = Silence(1, 101);
  std::fill(buffer.channels[0].begin(), buffer.channels[0].end(), 1.0f);
  ApplySegmentFades(buffer, 0, 101, 4800);
  EXPECT_EQ(buffer.channels[0].front(), 0.0f);
  EXPECT_EQ(buffer.channels[0].back(), 0.0f);
  EXPECT_NEAR(buffer.channels[0][50], 1.0f, 1e-3);
}

// A sine 6 dB over full scale, loud noise bursts, then a quiet passage: the output's true peak
// stays under the ceiling, loud parts stay near it (no over-limiting), and after the release the
// quiet passage passes at unity gain.
TEST(TruePeakLimiterTest, KeepsTruePeakUnderCeilingAndReleases) {
  AudioBuffer input = Silence(2, 0);
  AppendSine(input, 997.0, 2.0, 1.0);
  for (int burst = 0; burst < 5; ++burst) {
    AppendNoise(input, 3.0, kRate / 100, 100 + burst);  // 10 ms at up to +9.5 dBFS
    AppendSine(input, 5000.0, 0.3, 0.05);
  }
  const int64_t quiet_start = input.frames();
  AppendSine(input, 997.0, 0.1, 2.0);  // -20 dBFS
  ASSERT_GT(MeasureTruePeakDb(input), 5.0);

  TruePeakLimiter limiter(2, kRate, kCeilingDb);
  const AudioBuffer output = RunLimiter(limiter, input, 1024);
  ASSERT_EQ(output.frames(), input.frames());

  const double true_peak_db = MeasureTruePeakDb(output);
  std::printf("input true peak %.3f dBTP, output true peak %.3f dBTP\n", MeasureTruePeakDb(input),
              true_peak_db);
  EXPECT_LE(true_peak_db, kCeilingDb);

  // The steady loud sine is brought to the ceiling, not far below it.
  const double loud_peak_db = 20.0 * std::log10(PeakAbs(output.channels[0], kRate / 2, kRate));
  std::printf("steady loud sine sample peak %.3f dBFS\n", loud_peak_db);
  EXPECT_GT(loud_peak_db, kCeilingDb - 0.5);

  // One second after the quiet passage starts (12 release time constants), gain is unity.
  for (size_t c = 0; c < 2; ++c) {
    for (int64_t i = quiet_start + kRate; i < output.frames(); ++i) {
      ASSERT_NEAR(output.channels[c][i], input.channels[c][i], 1e-4) << "sample " << i;
    }
  }
}

// A sine at fs/4 sampled 45 degrees off its crests: sample peaks at -3 dBFS, true peak 0 dBTP.
// A sample-peak limiter would let it through; this one must not.
TEST(TruePeakLimiterTest, CatchesInterSamplePeaks) {
  AudioBuffer input = Silence(1, 0);
  AppendSine(input, kRate / 4.0, 1.0, 1.0, std::numbers::pi / 4);
  ASSERT_LT(PeakAbs(input.channels[0], 0, input.frames()), std::pow(10.0, kCeilingDb / 20.0));
  ASSERT_GT(MeasureTruePeakDb(input), -0.5);

  TruePeakLimiter limiter(1, kRate, kCeilingDb);
  const AudioBuffer output = RunLimiter(limiter, input, 1024);
  const double true_peak_db = MeasureTruePeakDb(output);
  std::printf("fs/4 sine: output true peak %.3f dBTP\n", true_peak_db);
  EXPECT_LE(true_peak_db, kCeilingDb);
  EXPECT_GT(true_peak_db, kCeilingDb - 0.5);
}

TEST(TruePeakLimiterTest, LinksChannels) {
  AudioBuffer input = Silence(2, 0);
  AppendSine(input, 997.0, 2.0, 0.5);
  for (float& sample : input.channels[1]) sample *= 0.1f;  // right channel quiet

  TruePeakLimiter limiter(2, kRate, kCeilingDb);
  const AudioBuffer output = RunLimiter(limiter, input, 1024);
  for (int64_t i = kRate / 4; i < kRate / 2; i += 97) {
    if (std::abs(input.channels[0][i]) < 0.5f) continue;
    const double left_gain = output.channels[0][i] / input.channels[0][i];
    const double right_gain = output.channels[1][i] / input.channels[1][i];
    ASSERT_LT(left_gain, 0.5);
    ASSERT_NEAR(left_gain, right_gain, 1e-4) << "sample " << i;
  }
}

// An impulse below the ceiling passes unchanged, exactly latency_samples() later.
TEST(TruePeakLimiterTest, DelaysByExactlyTheLatency) {
  TruePeakLimiter limiter(2, kRate, kCeilingDb);
  const int latency = limiter.latency_samples();
  EXPECT_EQ(latency, 240);  // 5 ms at 48 kHz
  constexpr int64_t kImpulseAt = 100;
  AudioBuffer input = Silence(2, 1000);
  input.channels[0][kImpulseAt] = 0.5f;
  input.channels[1][kImpulseAt] = -0.25f;

  // Real-time view: after feeding n samples, n - latency have come out.
  AudioBuffer emitted = Silence(2, 0);
  int64_t fed = 0;
  for (int64_t start = 0; start < input.frames(); start += 64) {
    const int64_t count = std::min<int64_t>(64, input.frames() - start);
    const AudioBuffer out = limiter.Process(Slice(input, start, count));
    fed += count;
    EXPECT_EQ(emitted.frames() + out.frames(), std::max<int64_t>(0, fed - latency));
    Append(emitted, out);
  }
  const int64_t impulse_out_at = kImpulseAt + latency;  // in input-sample clock
  ASSERT_GT(emitted.frames(), kImpulseAt);
  for (int64_t i = 0; i < emitted.frames(); ++i) {
    const bool at_impulse = i + latency == impulse_out_at;
    EXPECT_EQ(emitted.channels[0][i], at_impulse ? 0.5f : 0.0f) << i;
    EXPECT_EQ(emitted.channels[1][i], at_impulse ? -0.25f : 0.0f) << i;
  }
  const AudioBuffer tail = limiter.Flush();
  EXPECT_EQ(emitted.frames() + tail.frames(), input.frames());
}

TEST(TruePeakLimiterTest, OutputPtsContinuesFromInput) {
  TruePeakLimiter limiter(1, kRate, kCeilingDb);
  AudioBuffer input = Silence(1, 1000);
  input.pts = MediaTime(2, {1, 1});
  const AudioBuffer first = limiter.Process(input);
  EXPECT_EQ(first.pts, MediaTime(2, {1, 1}));
  const AudioBuffer tail = limiter.Flush();
  EXPECT_EQ(tail.pts, MediaTime(2, {1, 1}) + MediaTime(first.frames(), {1, kRate}));
  // Flush resets: a new stream starts over with its own pts.
  input.pts = MediaTime(7, {1, 1});
  EXPECT_EQ(limiter.Process(input).pts, MediaTime(7, {1, 1}));
}

TEST(TruePeakLimiterTest, ShortStreamFlushReturnsEverything) {
  TruePeakLimiter limiter(2, kRate, kCeilingDb);
  AudioBuffer input = Silence(2, 0);
  AppendSine(input, 997.0, 0.5, 0.001);  // 48 samples, fewer than the latency
  const AudioBuffer first = limiter.Process(input);
  EXPECT_EQ(first.frames(), 0);
  const AudioBuffer tail = limiter.Flush();
  ASSERT_EQ(tail.frames(), input.frames());
  EXPECT_EQ(tail.channels, input.channels);
}

// A sidechain: 1 s of a tone at -20 dBFS, then 1 s of silence.
AudioBuffer SpeechThenPause() {
  AudioBuffer sidechain = Silence(1, 0);
  AppendSine(sidechain, 1000.0, 0.1, 1.0);
  for (auto& channel : sidechain.channels) channel.resize(2 * kRate, 0.0f);
  return sidechain;
}

TEST(DuckingEnvelopeTest, DucksWithinTheAttackAndReleasesSlowly) {
  DuckingEnvelope envelope(kRate);
  std::vector<float> amount = envelope.Process(SpeechThenPause());
  ASSERT_EQ(amount.size(), static_cast<size_t>(2 * kRate));
  EXPECT_EQ(amount[100], 0.0f);  // the first window is still being measured
  // 20 ms to detect, then ~3 attack time constants (150 ms): nearly fully ducked.
  EXPECT_GT(amount[kRate / 5], 0.9f);
  EXPECT_GT(amount[kRate - 1], 0.999f);
  // One release time constant (300 ms) after the pause is detected: about 1/e left.
  const size_t release = static_cast<size_t>(kRate + kRate / 50 + kRate * 3 / 10);
  EXPECT_NEAR(amount[release], std::exp(-1.0), 0.05);
  EXPECT_LT(amount.back(), 0.1f);
}

TEST(DuckingEnvelopeTest, QuietSidechainBelowThresholdDoesNotDuck) {
  DuckingEnvelope envelope(kRate);
  AudioBuffer hum = Silence(2, 0);
  AppendSine(hum, 50.0, 0.004, 1.0);  // about -51 dBFS RMS, under -45
  std::vector<float> amount = envelope.Process(hum);
  EXPECT_EQ(*std::max_element(amount.begin(), amount.end()), 0.0f);
}

TEST(DuckingEnvelopeTest, ChunkingDoesNotChangeTheEnvelope) {
  const AudioBuffer sidechain = SpeechThenPause();
  std::vector<float> whole = DuckingEnvelope(kRate).Process(sidechain);
  DuckingEnvelope chunked(kRate);
  std::vector<float> pieces;
  for (int64_t at = 0; at < sidechain.frames(); at += 777) {
    const int64_t n = std::min<int64_t>(777, sidechain.frames() - at);
    AudioBuffer part = Silence(1, 0);
    part.channels[0].assign(sidechain.channels[0].begin() + at,
                            sidechain.channels[0].begin() + at + n);
    std::vector<float> got = chunked.Process(part);
    pieces.insert(pieces.end(), got.begin(), got.end());
  }
  EXPECT_EQ(pieces, whole);
}

}  // namespace
}  // namespace cutroom::render
