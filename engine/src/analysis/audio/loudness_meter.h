// EBU R128 loudness measurement (libebur128 adapter; the only place that includes it).
//
// Thread safety: one meter per thread.
#pragma once

#include <memory>

#include "cutroom/audio_buffer.h"
#include "cutroom/status.h"

namespace cutroom::analysis {

enum class LoudnessModes : unsigned {
  kIntegrated = 1,  // integrated loudness + loudness range
  kMomentary = 2,   // momentary (400 ms) and short-term (3 s) windows
  kTruePeak = 4,    // 4x oversampled true peak
};

class LoudnessMeter {
 public:
  // `modes` is a bit set of LoudnessModes. Errors: bad channel count or rate.
  static Result<std::unique_ptr<LoudnessMeter>> Create(int channels, int sample_rate,
                                                       unsigned modes);
  ~LoudnessMeter();

  // REQUIRES: buffer has the channel count and rate given to Create.
  Status Add(const AudioBuffer& buffer);
  // Integrated loudness in LUFS; -inf (or below -70) for silence.
  double IntegratedLufs() const;
  double MomentaryLufs() const;
  double ShortTermLufs() const;
  // Highest true peak so far over all channels, in dBTP.
  double TruePeakDb() const;

 private:
  LoudnessMeter() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cutroom::analysis
