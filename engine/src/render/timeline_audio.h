// The audio of a Timeline as one stream: segments cut from their sources back to back, each with
// its gain and short fades at the cuts, the audio tracks mixed over them (AudioTrackMixer), an
// extra gain on the mix (loudness normalisation), and optionally the true-peak limiter. Streams
// in chunks: memory does not grow with the timeline's length.
//
// Thread safety: one instance per thread.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "cutroom/audio_buffer.h"
#include "cutroom/cancel.h"
#include "cutroom/timeline.h"

namespace cutroom::render {

class TimelineAudio {
 public:
  struct Options {
    int sample_rate = 48000;
    int channels = 2;
    double extra_gain_db = 0.0;
    bool limit_true_peak = false;
    double ceiling_dbtp = -1.0;
    const CancelToken* cancel = nullptr;
  };

  // REQUIRES: the timeline is valid; sources with audio for every unmuted segment.
  static Result<std::unique_ptr<TimelineAudio>> Create(const timeline::Timeline& timeline,
                                                       const Options& options);
  ~TimelineAudio();

  // Up to `max_frames` samples of the output; fewer while the limiter fills its look-ahead and at
  // the end; 0 frames once everything was returned.
  Result<AudioBuffer> Read(int64_t max_frames);

  // Samples in the whole output: the sum of the segments' lengths at the output rate.
  int64_t total_samples() const;

 private:
  TimelineAudio();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// True when `b` continues `a` without a cut: same source, b.in == a.out, same mute. Such a joint
// is a change of framing, not an edit: audio plays through it without fades or seeking.
bool Contiguous(const timeline::Segment& a, const timeline::Segment& b);

// Output sample index where each segment starts, plus the total at the end (size = segments+1).
// Exact: derived from rational segment times, so audio and video cuts agree.
std::vector<int64_t> SegmentBoundaries(const timeline::Timeline& timeline, Rational unit);

}  // namespace cutroom::render
