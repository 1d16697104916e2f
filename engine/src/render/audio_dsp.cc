#include "render/audio_dsp.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

namespace cutroom::render {
namespace {

// Inter-sample peak estimation on a 4x grid: the value at n + k/4 (k = 1..3) is interpolated
// from x[n + d] for a window of offsets d. Two interpolators run side by side and the larger
// reading counts:
//  - a precise one (32 taps per phase, Blackman-windowed sinc, unity DC gain), which follows the
//    real waveform closely;
//  - a short one, the BS.1770 example design that libebur128 (our LoudnessMeter) uses: a 49-tap
//    Hann-windowed sinc, not normalised, at 4x below 96 kHz and 2x from 96 kHz (at 192 kHz and
//    above the meter reads sample peaks only). On broadband content near the ceiling such a
//    meter reads up to ~0.5 dB above the precise estimate, and on some pure tones ~0.1 dB above
//    the real peak; limiting to both keeps the output under the ceiling as the meter sees it.
constexpr int kOversample = 4;
constexpr int kPhases = kOversample - 1;
constexpr int kPreciseTaps = 32;
constexpr int kPreciseFirst = -(kPreciseTaps / 2 - 1);  // d = -15 .. 16
constexpr int kMeterTotalTaps = 49;
constexpr int kMeterMaxTaps = (kMeterTotalTaps - 1) / 2;  // per phase, at 2x
// Samples the estimator needs after n: the peak around n is known once x[n + kTapsAfter] is in.
constexpr int kTapsAfter = kPreciseFirst + kPreciseTaps - 1;  // 16
constexpr int kWindowLength = kPreciseTaps;                   // x[n - 15] .. x[n + 16]
static_assert(kMeterMaxTaps / 2 <= kTapsAfter && kMeterMaxTaps / 2 - 1 <= -kPreciseFirst);

using PrecisePhases = std::array<std::array<float, kPreciseTaps>, kPhases>;
// The meter-style interpolator: `phases` points between samples, at n + (k + 1) / (phases + 1),
// each from x[n + first + i], i < taps.
struct MeterInterpolator {
  int phases = 0;
  int taps = 0;
  int first = 0;
  std::array<std::array<float, kMeterMaxTaps>, kPhases> coeffs{};
};

// The margin absorbs the small error of applying a slowly varying gain to the signal, and float
// rounding against a meter that filters in double precision.
constexpr double kCeilingMarginDb = 0.1;

// The gain applied to sample t is at most the required gain of t's neighbours within this many
// samples, so that the samples that shape an inter-sample peak are all attenuated enough.
constexpr int kNeighbourSamples = 8;

// A gain that steps within a few samples modulates the signal enough to create new inter-sample
// peaks, so the attack ramp never gets shorter than this, whatever the look-ahead.
constexpr double kMinAttackMs = 0.5;

double RaisedCosine(int64_t index, int64_t length) {
  return 0.5 - 0.5 * std::cos(std::numbers::pi * static_cast<double>(index) /
                              static_cast<double>(length));
}

size_t NextPowerOfTwo(size_t n) {
  size_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

double Sinc(double distance) {
  const double x = std::numbers::pi * distance;
  return std::abs(x) < 1e-12 ? 1.0 : std::sin(x) / x;
}

PrecisePhases MakePreciseTaps() {
  PrecisePhases phases{};
  constexpr double kHalfSpan = kPreciseTaps / 2.0;
  for (int k = 1; k <= kPhases; ++k) {
    const double fraction = static_cast<double>(k) / kOversample;
    std::array<double, kPreciseTaps> taps{};
    double sum = 0.0;
    for (int j = 0; j < kPreciseTaps; ++j) {
      const double distance = fraction - static_cast<double>(kPreciseFirst + j);
      const double u = distance / kHalfSpan;  // in (-1, 1)
      const double window =
          0.42 + 0.5 * std::cos(std::numbers::pi * u) + 0.08 * std::cos(2 * std::numbers::pi * u);
      taps[static_cast<size_t>(j)] = Sinc(distance) * window;
      sum += taps[static_cast<size_t>(j)];
    }
    // Unity DC gain, so a constant signal does not read as a peak above its level.
    for (int j = 0; j < kPreciseTaps; ++j) {
      phases[static_cast<size_t>(k - 1)][static_cast<size_t>(j)] =
          static_cast<float>(taps[static_cast<size_t>(j)] / sum);
    }
  }
  return phases;
}

// The 49-tap filter h[j] = sinc((j - 24) / factor) * hann(j / 48), split into `factor` phases.
// Phase k computes the point k / factor after n from the samples up to (24 - k) / factor after
// it, so tap j of phase k multiplies x[n + d] with j = 24 + k - factor * d.
MeterInterpolator MakeMeterInterpolator(int sample_rate) {
  MeterInterpolator meter;
  const int factor = sample_rate < 96000 ? 4 : sample_rate < 192000 ? 2 : 1;
  if (factor == 1) return meter;
  constexpr int kCentre = (kMeterTotalTaps - 1) / 2;  // 24
  meter.phases = factor - 1;
  meter.taps = (kMeterTotalTaps - 1) / factor;
  meter.first = 1 - meter.taps / 2;
  for (int k = 1; k < factor; ++k) {
    for (int i = 0; i < meter.taps; ++i) {
      const int d = meter.first + i;
      const int j = kCentre + k - factor * d;
      const double window =
          0.5 * (1.0 - std::cos(2.0 * std::numbers::pi * j / (kMeterTotalTaps - 1)));
      const double distance = static_cast<double>(k) / factor - d;
      meter.coeffs[static_cast<size_t>(k - 1)][static_cast<size_t>(i)] =
          static_cast<float>(Sinc(distance) * window);
    }
  }
  return meter;
}

}  // namespace

void ApplyGainDb(AudioBuffer& buffer, double gain_db) {
  const float gain = static_cast<float>(std::pow(10.0, gain_db / 20.0));
  for (auto& channel : buffer.channels) {
    for (float& sample : channel) sample *= gain;
  }
}

void ApplyEdgeFades(AudioBuffer& buffer, int64_t segment_offset, int64_t segment_length,
                    int64_t fade_in_samples, int64_t fade_out_samples) {
  if (segment_length <= 0 || (fade_in_samples <= 0 && fade_out_samples <= 0)) return;
  // At least one sample, so that even a one-sample segment starts and ends at zero.
  auto clamp_fade = [&](int64_t f) {
    return f <= 0 ? int64_t{0} : std::max<int64_t>(1, std::min(f, segment_length / 2));
  };
  const int64_t fade_in = clamp_fade(fade_in_samples);
  const int64_t fade_out = clamp_fade(fade_out_samples);
  const int64_t frames = buffer.frames();
  for (int64_t i = 0; i < frames; ++i) {
    const int64_t from_start = segment_offset + i;
    const int64_t from_end = segment_length - 1 - from_start;
    // Gains depend only on the position in the segment, never on the chunking.
    double gain = 1.0;
    if (from_start >= 0 && from_start < fade_in) gain *= RaisedCosine(from_start, fade_in);
    if (from_end >= 0 && from_end < fade_out) gain *= RaisedCosine(from_end, fade_out);
    if (gain == 1.0) continue;
    const float gain_f = static_cast<float>(gain);
    for (auto& channel : buffer.channels) {
      if (i < static_cast<int64_t>(channel.size())) channel[static_cast<size_t>(i)] *= gain_f;
    }
  }
}

void ApplySegmentFades(AudioBuffer& buffer, int64_t segment_offset, int64_t segment_length,
                       int64_t fade_samples) {
  ApplyEdgeFades(buffer, segment_offset, segment_length, fade_samples, fade_samples);
}

// Pipeline per input sample i (all indices count samples since the stream start):
//   1. store x[i]; estimate the true peak p(n) around n = i - kTapsAfter (sample plus the three
//      inter-sample points after it) and the required gain r(n) = min(1, ceiling / p(n));
//   2. hold: h(n) = min r over the last hold_samples = attack_samples + 2 * kNeighbourSamples;
//   3. release: env(n) = min(h(n), a * env(n-1) + (1 - a) * h(n)), so env never exceeds h;
//   4. attack: gain(n) = mean of env over the last attack_samples. Every term of that mean is
//      <= min r over [t - kNeighbourSamples, t + kNeighbourSamples] with
//      t = n - attack_samples + 1 - kNeighbourSamples, so the ramp finishes before the peak;
//   5. output x[t] * gain(n). Latency = i - t.
struct TruePeakLimiter::Impl {
  int channels = 0;
  int sample_rate = 0;
  double ceiling_linear = 1.0;
  int attack_samples = 1;
  int hold_samples = 1;
  int latency = 0;
  double release_coeff = 0.0;
  PrecisePhases precise_taps{};
  MeterInterpolator meter;

  // Input history per channel, written twice (at pos and pos + size) so that the interpolator
  // reads a contiguous window.
  std::vector<std::vector<float>> history;
  size_t history_mask = 0;

  // Monotonic queue for the sliding minimum of r: (index, value), increasing values.
  std::vector<int64_t> min_index;
  std::vector<float> min_value;
  size_t min_mask = 0;
  int64_t min_head = 0;
  int64_t min_tail = 0;

  double envelope = 1.0;
  std::vector<double> attack_ring;
  size_t attack_pos = 0;
  double attack_sum = 0.0;

  int64_t steps = 0;           // samples pushed through the pipeline, flush padding included
  int64_t input_samples = 0;   // real input samples of this stream
  int64_t output_samples = 0;  // samples returned for this stream
  MediaTime start_pts;
  std::vector<float> frame;  // one sample per channel, scratch

  void Reset() {
    for (auto& h : history) std::fill(h.begin(), h.end(), 0.0f);
    min_head = 0;
    min_tail = 0;
    envelope = 1.0;
    std::fill(attack_ring.begin(), attack_ring.end(), 1.0);
    attack_pos = 0;
    attack_sum = static_cast<double>(attack_samples);
    steps = 0;
    input_samples = 0;
    output_samples = 0;
    start_pts = MediaTime();
  }

  // Highest |value| at n = i - kTapsAfter and the three 4x points after it, over all channels.
  float PeakAround(int64_t i) const {
    const size_t window_start = static_cast<size_t>(i - kTapsAfter + kPreciseFirst) & history_mask;
    float peak = 0.0f;
    for (const auto& h : history) {
      const float* window = h.data() + window_start;  // window[j] = x[n + kPreciseFirst + j]
      peak = std::max(peak, std::abs(window[-kPreciseFirst]));
      for (const auto& phase : precise_taps) {
        float acc = 0.0f;
        for (int j = 0; j < kPreciseTaps; ++j) acc += phase[static_cast<size_t>(j)] * window[j];
        peak = std::max(peak, std::abs(acc));
      }
      const float* meter_window = window + (meter.first - kPreciseFirst);
      for (int k = 0; k < meter.phases; ++k) {
        const auto& phase = meter.coeffs[static_cast<size_t>(k)];
        float acc = 0.0f;
        for (int j = 0; j < meter.taps; ++j) acc += phase[static_cast<size_t>(j)] * meter_window[j];
        peak = std::max(peak, std::abs(acc));
      }
    }
    return peak;
  }

  // Pushes `frame` as sample `steps`; returns the gain for sample steps - latency.
  double Step() {
    const int64_t i = steps++;
    const size_t size = history_mask + 1;
    const size_t pos = static_cast<size_t>(i) & history_mask;
    for (int c = 0; c < channels; ++c) {
      auto& h = history[static_cast<size_t>(c)];
      h[pos] = frame[static_cast<size_t>(c)];
      h[pos + size] = frame[static_cast<size_t>(c)];
    }

    const int64_t n = i - kTapsAfter;
    const float peak = PeakAround(i);
    const float required = peak > ceiling_linear ? static_cast<float>(ceiling_linear / peak) : 1.0f;

    while (min_tail > min_head &&
           min_value[static_cast<size_t>(min_tail - 1) & min_mask] >= required) {
      --min_tail;
    }
    min_index[static_cast<size_t>(min_tail) & min_mask] = n;
    min_value[static_cast<size_t>(min_tail) & min_mask] = required;
    ++min_tail;
    while (min_index[static_cast<size_t>(min_head) & min_mask] <= n - hold_samples) ++min_head;
    const double held = min_value[static_cast<size_t>(min_head) & min_mask];

    envelope = std::min(held, release_coeff * envelope + (1.0 - release_coeff) * held);

    attack_sum += envelope - attack_ring[attack_pos];
    attack_ring[attack_pos] = envelope;
    if (++attack_pos == attack_ring.size()) {
      // Recompute from scratch once per lap so rounding in the running sum cannot drift.
      attack_pos = 0;
      attack_sum = 0.0;
      for (double v : attack_ring) attack_sum += v;
    }
    return attack_sum / static_cast<double>(attack_samples);
  }

  float Delayed(int c, int64_t t) const {
    return history[static_cast<size_t>(c)][static_cast<size_t>(t) & history_mask];
  }

  AudioBuffer MakeOutput(int64_t frames) const {
    AudioBuffer out;
    out.sample_rate = sample_rate;
    out.pts = start_pts + MediaTime(output_samples, Rational{1, sample_rate});
    out.channels.assign(static_cast<size_t>(channels),
                        std::vector<float>(static_cast<size_t>(frames), 0.0f));
    return out;
  }
};

DuckingEnvelope::DuckingEnvelope(int sample_rate, double window_ms, double threshold_dbfs,
                                 double attack_ms, double release_ms)
    : window_samples_(std::max<int64_t>(1, std::llround(window_ms * sample_rate / 1000.0))),
      threshold_power_(std::pow(10.0, threshold_dbfs / 10.0)),
      attack_coef_(1.0 - std::exp(-1000.0 / (attack_ms * sample_rate))),
      release_coef_(1.0 - std::exp(-1000.0 / (release_ms * sample_rate))) {}

std::vector<float> DuckingEnvelope::Process(const AudioBuffer& sidechain) {
  const int64_t frames = sidechain.frames();
  std::vector<float> amount(static_cast<size_t>(frames));
  const double channels = std::max(1, sidechain.channel_count());
  for (int64_t i = 0; i < frames; ++i) {
    double power = 0.0;
    for (const auto& channel : sidechain.channels) {
      const double x = channel[static_cast<size_t>(i)];
      power += x * x;
    }
    window_energy_ += power / channels;
    if (++window_fill_ == window_samples_) {
      sounding_ = window_energy_ / static_cast<double>(window_samples_) > threshold_power_;
      window_energy_ = 0.0;
      window_fill_ = 0;
    }
    const double target = sounding_ ? 1.0 : 0.0;
    amount_ += (target - amount_) * (target > amount_ ? attack_coef_ : release_coef_);
    amount[static_cast<size_t>(i)] = static_cast<float>(amount_);
  }
  return amount;
}

TruePeakLimiter::TruePeakLimiter(int channels, int sample_rate, double ceiling_db,
                                 double lookahead_ms, double release_ms)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  // Constructor cannot report errors; clamp violated preconditions to something harmless.
  s.channels = std::max(1, channels);
  s.sample_rate = std::max(1, sample_rate);
  s.ceiling_linear = std::pow(10.0, (ceiling_db - kCeilingMarginDb) / 20.0);
  const int lookahead_samples =
      static_cast<int>(std::lround(std::max(0.0, lookahead_ms) * s.sample_rate / 1000.0));
  const int min_attack_samples =
      std::max(1, static_cast<int>(std::lround(kMinAttackMs * s.sample_rate / 1000.0)));
  // Latency = kTapsAfter + attack_samples - 1 + kNeighbourSamples, which is the look-ahead
  // unless the minimum attack ramp makes it longer.
  s.attack_samples =
      std::max(min_attack_samples, lookahead_samples - kTapsAfter - kNeighbourSamples + 1);
  s.hold_samples = s.attack_samples + 2 * kNeighbourSamples;
  s.latency = kTapsAfter + s.attack_samples - 1 + kNeighbourSamples;
  const double release_samples = std::max(1e-3, release_ms) * s.sample_rate / 1000.0;
  s.release_coeff = std::exp(-1.0 / release_samples);
  s.precise_taps = MakePreciseTaps();
  s.meter = MakeMeterInterpolator(s.sample_rate);

  const size_t history_size =
      NextPowerOfTwo(static_cast<size_t>(std::max(s.latency, kWindowLength)) + 1);
  s.history_mask = history_size - 1;
  s.history.assign(static_cast<size_t>(s.channels), std::vector<float>(2 * history_size, 0.0f));
  const size_t queue_size = NextPowerOfTwo(static_cast<size_t>(s.hold_samples) + 1);
  s.min_mask = queue_size - 1;
  s.min_index.assign(queue_size, 0);
  s.min_value.assign(queue_size, 1.0f);
  s.attack_ring.assign(static_cast<size_t>(s.attack_samples), 1.0);
  s.frame.assign(static_cast<size_t>(s.channels), 0.0f);
  s.Reset();
}

TruePeakLimiter::~TruePeakLimiter() = default;

int TruePeakLimiter::latency_samples() const { return impl_->latency; }

AudioBuffer TruePeakLimiter::Process(const AudioBuffer& input) {
  Impl& s = *impl_;
  if (s.input_samples == 0) s.start_pts = input.pts;
  const int64_t frames = input.frames();
  const int64_t ready_before = std::max<int64_t>(0, s.input_samples - s.latency);
  const int64_t ready_after = std::max<int64_t>(0, s.input_samples + frames - s.latency);
  AudioBuffer out = s.MakeOutput(ready_after - ready_before);

  int64_t written = 0;
  for (int64_t k = 0; k < frames; ++k) {
    for (int c = 0; c < s.channels; ++c) {
      // Missing or short channels (a violated precondition) read as silence.
      const auto* channel =
          c < input.channel_count() ? &input.channels[static_cast<size_t>(c)] : nullptr;
      s.frame[static_cast<size_t>(c)] =
          channel != nullptr && k < static_cast<int64_t>(channel->size())
              ? (*channel)[static_cast<size_t>(k)]
              : 0.0f;
    }
    const double gain = s.Step();
    const int64_t t = s.steps - 1 - s.latency;
    if (t < 0) continue;
    for (int c = 0; c < s.channels; ++c) {
      out.channels[static_cast<size_t>(c)][static_cast<size_t>(written)] =
          static_cast<float>(s.Delayed(c, t) * gain);
    }
    ++written;
  }
  s.input_samples += frames;
  s.output_samples += written;
  return out;
}

AudioBuffer TruePeakLimiter::Flush() {
  Impl& s = *impl_;
  const int64_t remaining = s.input_samples - s.output_samples;
  AudioBuffer out = s.MakeOutput(remaining);
  std::fill(s.frame.begin(), s.frame.end(), 0.0f);
  int64_t written = 0;
  while (written < remaining) {
    const double gain = s.Step();
    const int64_t t = s.steps - 1 - s.latency;
    if (t < 0) continue;
    for (int c = 0; c < s.channels; ++c) {
      out.channels[static_cast<size_t>(c)][static_cast<size_t>(written)] =
          static_cast<float>(s.Delayed(c, t) * gain);
    }
    ++written;
  }
  s.Reset();
  return out;
}

}  // namespace cutroom::render
