// Streaming audio analysis for clip selection: EBU R128 momentary and short-term loudness every
// 100 ms, integrated loudness, RMS energy, silences, energy peaks against the local baseline
// (laughter / applause / shout candidates) and a speech-activity estimate. Memory grows only with
// the small per-100-ms records, never with the samples.
//
// Thread safety: one analyzer per thread.
#pragma once

#include <deque>
#include <memory>
#include <vector>

#include "analysis/audio/loudness_meter.h"
#include "cutroom/audio_buffer.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"

namespace cutroom::analysis {

struct AudioAnalyzerOptions {
  // A silence is where the 10 ms RMS level stays below this for at least `min_silence`.
  double silence_threshold_dbfs = -45.0;
  MediaTime min_silence = MediaTime(1, {1, 2});  // 0.5 s
  // A peak is where the 100 ms level rises this far above the median of the preceding
  // `baseline` of audio; peaks closer than `peak_separation` merge.
  double peak_rise_db = 8.0;
  MediaTime baseline = MediaTime(5, {1, 1});
  MediaTime peak_separation = MediaTime(1, {1, 1});
};

// One 100 ms block. Loudness values are -inf (or below -70) in silence.
struct LoudnessSample {
  MediaTime time;               // start of the block
  double momentary_lufs = 0.0;  // 400 ms window ending with the block
  double short_term_lufs = 0.0; // 3 s window ending with the block
  double rms_dbfs = 0.0;        // RMS of the block, all channels
  double speech = 0.0;          // 0..1, how speech-like the block and its neighbourhood are
};

struct TimeRange {
  MediaTime start;
  MediaTime end;
};

struct AudioPeak {
  MediaTime time;          // start of the loudest 100 ms block of the event
  double strength_db = 0;  // level above the local baseline
};

struct AudioAnalysis {
  MediaTime start;              // time of the first sample
  MediaTime duration;
  double integrated_lufs = 0.0; // -inf for silence
  double rms_dbfs = 0.0;        // over the whole stream
  std::vector<LoudnessSample> loudness;  // every 100 ms
  std::vector<TimeRange> silences;
  std::vector<AudioPeak> peaks;
  std::vector<TimeRange> speech;  // speech-active ranges (smoothed)
  double speech_fraction = 0.0;   // of the duration
};

class AudioAnalyzer {
 public:
  // Errors: channel count outside 1..8, bad sample rate.
  static Result<std::unique_ptr<AudioAnalyzer>> Create(int channels, int sample_rate,
                                                       const AudioAnalyzerOptions& options = {});
  ~AudioAnalyzer();

  // Feeds the next buffer; buffers are contiguous in time (the first one's pts is the start).
  // REQUIRES: the channel count and rate given to Create.
  Status Add(const AudioBuffer& buffer);
  // Flushes the last partial block and returns the analysis. Call once.
  AudioAnalysis Finish();

 private:
  AudioAnalyzer() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cutroom::analysis
