#include "analysis/audio/audio_analyzer.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <optional>
#include <string>

namespace cutroom::analysis {
namespace {

constexpr double kFloorDb = -120.0;
constexpr int kModulationWindows = 100;  // 1 s of 10 ms levels for the speech estimate

double PowerToDb(double mean_square) {
  return mean_square > 1e-12 ? 10.0 * std::log10(mean_square) : kFloorDb;
}

// RBJ audio-EQ-cookbook biquad, direct form I.
struct Biquad {
  double b0 = 1, b1 = 0, b2 = 0, a1 = 0, a2 = 0;
  double x1 = 0, x2 = 0, y1 = 0, y2 = 0;

  static Biquad Make(bool high_pass, double cutoff_hz, double rate) {
    const double w0 = 2.0 * std::numbers::pi * cutoff_hz / rate;
    const double alpha = std::sin(w0) / std::numbers::sqrt2;  // Q = 1/sqrt(2): Butterworth
    const double cw = std::cos(w0);
    const double a0 = 1.0 + alpha;
    Biquad q;
    if (high_pass) {
      q.b0 = (1.0 + cw) / 2.0 / a0;
      q.b1 = -(1.0 + cw) / a0;
      q.b2 = (1.0 + cw) / 2.0 / a0;
    } else {
      q.b0 = (1.0 - cw) / 2.0 / a0;
      q.b1 = (1.0 - cw) / a0;
      q.b2 = (1.0 - cw) / 2.0 / a0;
    }
    q.a1 = -2.0 * cw / a0;
    q.a2 = (1.0 - alpha) / a0;
    return q;
  }
  double Run(double x) {
    const double y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
    x2 = x1;
    x1 = x;
    y2 = y1;
    y1 = y;
    return y;
  }
};

}  // namespace

struct AudioAnalyzer::Impl {
  AudioAnalyzerOptions options;
  int channels = 0;
  int rate = 0;
  int64_t hop = 0;    // samples per 10 ms window
  int64_t block = 0;  // samples per 100 ms block
  std::unique_ptr<LoudnessMeter> meter;
  std::optional<MediaTime> start;
  int64_t samples = 0;  // per channel, so far
  double total_square = 0.0;

  AudioBuffer block_buffer;  // the 100 ms block being filled
  Biquad high_pass, low_pass;

  // 10 ms window accumulators.
  double window_square = 0.0;
  double window_band_square = 0.0;
  int64_t window_fill = 0;
  std::deque<double> window_levels;  // last kModulationWindows levels (dB)
  double block_band_square = 0.0;
  double block_square = 0.0;
  std::optional<int64_t> silence_start;  // sample index

  std::deque<double> baseline_levels;  // block levels over the baseline span
  size_t baseline_blocks = 50;
  std::optional<AudioPeak> open_peak;
  MediaTime open_peak_last;

  std::optional<MediaTime> speech_start;
  MediaTime speech_last_end;
  AudioAnalysis result;

  MediaTime TimeAt(int64_t sample) const {
    return *start + MediaTime(sample, Rational::Make(1, rate));
  }
  void EndWindow(int64_t window_start);
  void EndBlock(int64_t block_start, int64_t length);
  void ClosePeak();
  void CloseSpeech();
};

Result<std::unique_ptr<AudioAnalyzer>> AudioAnalyzer::Create(int channels, int sample_rate,
                                                             const AudioAnalyzerOptions& options) {
  CR_ASSIGN_OR_RETURN(auto meter, LoudnessMeter::Create(channels, sample_rate,
                                                        static_cast<unsigned>(LoudnessModes::kIntegrated) |
                                                            static_cast<unsigned>(LoudnessModes::kMomentary)));
  std::unique_ptr<AudioAnalyzer> analyzer(new AudioAnalyzer());
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->channels = channels;
  impl->rate = sample_rate;
  impl->hop = sample_rate / 100;
  impl->block = sample_rate / 10;
  impl->meter = std::move(meter);
  impl->block_buffer.sample_rate = sample_rate;
  impl->block_buffer.channels.assign(static_cast<size_t>(channels), {});
  for (auto& c : impl->block_buffer.channels) c.reserve(static_cast<size_t>(impl->block));
  impl->high_pass = Biquad::Make(true, 150.0, sample_rate);
  impl->low_pass = Biquad::Make(false, std::min(4000.0, 0.45 * sample_rate), sample_rate);
  const double baseline_s = options.baseline.ToSeconds();
  impl->baseline_blocks = static_cast<size_t>(std::max(10.0, baseline_s * 10.0));
  analyzer->impl_ = std::move(impl);
  return analyzer;
}

AudioAnalyzer::~AudioAnalyzer() = default;

Status AudioAnalyzer::Add(const AudioBuffer& buffer) {
  Impl& d = *impl_;
  if (buffer.channel_count() != d.channels || buffer.sample_rate != d.rate) {
    return InvalidArgumentError("audio analyzer: buffer format differs from the stream's (" +
                                std::to_string(buffer.channel_count()) + " channels, " +
                                std::to_string(buffer.sample_rate) + " Hz)");
  }
  if (!d.start) d.start = buffer.pts;
  const int64_t frames = buffer.frames();
  const double inv_channels = 1.0 / d.channels;
  for (int64_t i = 0; i < frames; ++i) {
    double square = 0.0;
    double mono = 0.0;
    for (int c = 0; c < d.channels; ++c) {
      const float x = buffer.channels[static_cast<size_t>(c)][static_cast<size_t>(i)];
      square += static_cast<double>(x) * x;
      mono += x;
      d.block_buffer.channels[static_cast<size_t>(c)].push_back(x);
    }
    square *= inv_channels;
    mono *= inv_channels;
    const double band = d.low_pass.Run(d.high_pass.Run(mono));
    d.window_square += square;
    d.window_band_square += band * band;
    d.block_square += square;
    d.total_square += square;
    ++d.samples;
    if (++d.window_fill == d.hop) d.EndWindow(d.samples - d.hop);
    const auto filled = static_cast<int64_t>(d.block_buffer.channels[0].size());
    if (filled == d.block) d.EndBlock(d.samples - d.block, d.block);
  }
  return Status::Ok();
}

void AudioAnalyzer::Impl::EndWindow(int64_t window_start) {
  const double level = PowerToDb(window_square / static_cast<double>(window_fill));
  block_band_square += window_band_square;
  window_square = 0.0;
  window_band_square = 0.0;
  window_fill = 0;
  window_levels.push_back(std::max(level, -60.0));
  if (window_levels.size() > kModulationWindows) window_levels.pop_front();

  if (level < options.silence_threshold_dbfs) {
    if (!silence_start) silence_start = window_start;
  } else if (silence_start) {
    const MediaTime s = TimeAt(*silence_start);
    const MediaTime e = TimeAt(window_start);
    if (e - s >= options.min_silence) result.silences.push_back({s, e});
    silence_start.reset();
  }
}

void AudioAnalyzer::Impl::EndBlock(int64_t block_start, int64_t length) {
  block_buffer.pts = TimeAt(block_start);
  // The meter validated the format at creation; Add() only fails on a format mismatch.
  (void)meter->Add(block_buffer);
  for (auto& c : block_buffer.channels) c.clear();

  LoudnessSample sample;
  sample.time = TimeAt(block_start);
  sample.momentary_lufs = meter->MomentaryLufs();
  sample.short_term_lufs = meter->ShortTermLufs();
  sample.rms_dbfs = PowerToDb(block_square / static_cast<double>(length));

  // Speech: energy in the voice band, clearly above silence, with the syllabic level swings of
  // speech over the last second (a steady tone or hum has none; broadband noise fails the band).
  const double band_ratio = block_square > 1e-12 ? block_band_square / block_square : 0.0;
  double mean = 0.0;
  for (double l : window_levels) mean += l;
  mean /= std::max<size_t>(1, window_levels.size());
  double var = 0.0;
  for (double l : window_levels) var += (l - mean) * (l - mean);
  const double swing_db = std::sqrt(var / std::max<size_t>(1, window_levels.size()));
  const bool audible = sample.rms_dbfs > options.silence_threshold_dbfs + 5.0;
  sample.speech = audible ? std::clamp((swing_db - 3.0) / 4.0, 0.0, 1.0) *
                                std::clamp((band_ratio - 0.3) / 0.3, 0.0, 1.0)
                          : 0.0;
  block_square = 0.0;
  block_band_square = 0.0;

  // Peaks against the median of the preceding blocks.
  const double level = std::max(sample.rms_dbfs, -90.0);
  if (baseline_levels.size() >= 10) {
    std::vector<double> sorted(baseline_levels.begin(), baseline_levels.end());
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2), sorted.end());
    const double excess = level - sorted[sorted.size() / 2];
    if (excess >= options.peak_rise_db && level > options.silence_threshold_dbfs) {
      if (open_peak && sample.time - open_peak_last > options.peak_separation) ClosePeak();
      if (!open_peak) open_peak = AudioPeak{sample.time, excess};
      if (excess > open_peak->strength_db) *open_peak = AudioPeak{sample.time, excess};
      open_peak_last = sample.time;
    } else if (open_peak && sample.time - open_peak_last > options.peak_separation) {
      ClosePeak();
    }
  }
  baseline_levels.push_back(level);
  if (baseline_levels.size() > baseline_blocks) baseline_levels.pop_front();

  // Speech ranges: active blocks, gaps under 0.5 s bridged, ranges under 0.3 s dropped.
  const MediaTime block_end = TimeAt(block_start + length);
  if (sample.speech >= 0.5) {
    if (speech_start && sample.time - speech_last_end > MediaTime(1, {1, 2})) CloseSpeech();
    if (!speech_start) speech_start = sample.time;
    speech_last_end = block_end;
  }
  result.loudness.push_back(sample);
}

void AudioAnalyzer::Impl::ClosePeak() {
  if (open_peak) result.peaks.push_back(*open_peak);
  open_peak.reset();
}

void AudioAnalyzer::Impl::CloseSpeech() {
  if (speech_start && speech_last_end - *speech_start >= MediaTime(3, {1, 10})) {
    result.speech.push_back({*speech_start, speech_last_end});
  }
  speech_start.reset();
}

AudioAnalysis AudioAnalyzer::Finish() {
  Impl& d = *impl_;
  if (!d.start) d.start = MediaTime();
  if (d.window_fill > 0) d.EndWindow(d.samples - d.window_fill);
  const auto filled = static_cast<int64_t>(d.block_buffer.channels[0].size());
  if (filled > 0) d.EndBlock(d.samples - filled, filled);
  if (d.silence_start) {
    const MediaTime s = d.TimeAt(*d.silence_start);
    const MediaTime e = d.TimeAt(d.samples);
    if (e - s >= d.options.min_silence) d.result.silences.push_back({s, e});
    d.silence_start.reset();
  }
  d.ClosePeak();
  d.CloseSpeech();
  AudioAnalysis out = std::move(d.result);
  out.start = *d.start;
  out.duration = MediaTime(d.samples, Rational::Make(1, d.rate));
  out.integrated_lufs = d.meter->IntegratedLufs();
  out.rms_dbfs = d.samples > 0 ? PowerToDb(d.total_square / static_cast<double>(d.samples))
                               : -std::numeric_limits<double>::infinity();
  const double seconds = out.duration.ToSeconds();
  double speech_s = 0.0;
  for (const auto& r : out.speech) speech_s += (r.end - r.start).ToSeconds();
  out.speech_fraction = seconds > 0.0 ? std::min(1.0, speech_s / seconds) : 0.0;
  return out;
}

}  // namespace cutroom::analysis
