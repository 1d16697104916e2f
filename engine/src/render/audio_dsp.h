// Audio processing for the renderer: gain, fades at cuts, a true-peak limiter. Pure, streaming.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cutroom/audio_buffer.h"

namespace cutroom::render {

// Multiplies every sample by 10^(gain_db/20).
void ApplyGainDb(AudioBuffer& buffer, double gain_db);

// Raised-cosine fade-in over the first `fade_samples` of a segment and fade-out over its last
// ones. `segment_offset` is the index of buffer's first sample within the segment and
// `segment_length` the segment's sample count, so fades work across streamed chunks: a segment
// processed in chunks gets exactly the samples of one call on the whole segment. The first and
// last sample of the segment become 0. Fades longer than half the segment are shortened to half
// so that a short segment still reaches full level in its middle. Samples outside
// [0, segment_length) are left unchanged.
void ApplySegmentFades(AudioBuffer& buffer, int64_t segment_offset, int64_t segment_length,
                       int64_t fade_samples);

// As ApplySegmentFades, with separate fade-in and fade-out lengths; 0 leaves that edge untouched
// (a segment that continues the previous one's audio without a cut).
void ApplyEdgeFades(AudioBuffer& buffer, int64_t segment_offset, int64_t segment_length,
                    int64_t fade_in_samples, int64_t fade_out_samples);

// Sidechain ducking: how far a ducked track is lowered, from the level of a sidechain (the voice
// tracks). The sidechain's RMS over consecutive `window_ms` windows (counted from the stream's
// first sample, the channels averaged) above `threshold_dbfs` means "sounding"; the duck amount
// follows 1 while sounding and 0 otherwise, smoothed exponentially with time constants
// `attack_ms` (towards 1) and `release_ms` (back to 0). Causal: a window's level takes effect
// from the next window on. Output depends only on the sidechain, never on how it is chunked.
//
// Thread safety: one instance per stream.
class DuckingEnvelope {
 public:
  // REQUIRES: sample_rate > 0, window_ms, attack_ms, release_ms > 0.
  explicit DuckingEnvelope(int sample_rate, double window_ms = 20.0, double threshold_dbfs = -45.0,
                           double attack_ms = 50.0, double release_ms = 300.0);

  // Consumes the next `sidechain.frames()` sidechain samples and returns the duck amount (0..1)
  // for each of them. Multiply a track by 10^(duck_db * amount / 20).
  std::vector<float> Process(const AudioBuffer& sidechain);

 private:
  int64_t window_samples_ = 0;
  double threshold_power_ = 0.0;
  double attack_coef_ = 0.0;
  double release_coef_ = 0.0;
  double window_energy_ = 0.0;
  int64_t window_fill_ = 0;
  bool sounding_ = false;
  double amount_ = 0.0;
};

// Streaming look-ahead limiter that keeps the 4x-oversampled true peak of its output below
// `ceiling_db` (dBTP), as both a precise 4x interpolator and LoudnessMeter (libebur128) measure
// it. Channels are linked (one gain for all). Delay = look-ahead, but at least about 1 ms (the
// peak estimator's span plus a minimum attack ramp); latency_samples() is exact.
// Attack is a smooth ramp that completes by the time the peak leaves the delay line; release is
// exponential with time constant `release_ms`. No allocation in steady state other than the
// returned buffers.
//
// Thread safety: one instance per stream.
class TruePeakLimiter {
 public:
  // REQUIRES: channels >= 1, sample_rate > 0, release_ms > 0.
  TruePeakLimiter(int channels, int sample_rate, double ceiling_db, double lookahead_ms = 5.0,
                  double release_ms = 80.0);
  ~TruePeakLimiter();
  TruePeakLimiter(const TruePeakLimiter&) = delete;
  TruePeakLimiter& operator=(const TruePeakLimiter&) = delete;

  // Returns limited audio, delayed by latency_samples() (the first call returns fewer samples).
  // The output's pts continues from the first input's pts of the stream.
  // REQUIRES: input has the channel count given to the constructor, all channels equally long.
  AudioBuffer Process(const AudioBuffer& input);
  // Returns the remaining delayed samples, so that the stream's total output length equals its
  // input length, and resets the limiter for a new stream.
  AudioBuffer Flush();
  int latency_samples() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cutroom::render
