// Audio processing for the renderer: gain, fades at cuts, a true-peak limiter. Pure, streaming.
#pragma once

#include <vector>

#include "cutroom/audio_buffer.h"

namespace cutroom::render {

// Multiplies every sample by 10^(gain_db/20).
void ApplyGainDb(AudioBuffer& buffer, double gain_db);

// Raised-cosine fade-in over the first `fade_samples` of a segment and fade-out over its last
// ones. `segment_offset` is the index of buffer's first sample within the segment and
// `segment_length` the segment's sample count, so fades work across streamed chunks.
void ApplySegmentFades(AudioBuffer& buffer, int64_t segment_offset, int64_t segment_length,
                       int64_t fade_samples);

// Streaming look-ahead limiter that keeps the 4x-oversampled true peak of its output below
// `ceiling_db` (dBTP). Delay = look-ahead; Flush() returns the delayed tail.
//
// Thread safety: one instance per stream.
class TruePeakLimiter {
 public:
  TruePeakLimiter(int channels, int sample_rate, double ceiling_db, double lookahead_ms = 5.0,
                  double release_ms = 80.0);
  ~TruePeakLimiter();
  TruePeakLimiter(const TruePeakLimiter&) = delete;
  TruePeakLimiter& operator=(const TruePeakLimiter&) = delete;

  // Returns limited audio, delayed by the look-ahead (the first call returns fewer samples).
  AudioBuffer Process(const AudioBuffer& input);
  // Returns the remaining delayed samples.
  AudioBuffer Flush();
  int latency_samples() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace cutroom::render
