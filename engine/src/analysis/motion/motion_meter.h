// Per-frame motion at low resolution, for steady-vs-tracking camera choices: how much of the
// picture changes, and the global translation (a camera pan) that best explains the change.
// Pure: fed small luma planes in presentation order.
//
// Thread safety: one meter per thread.
#pragma once

#include <vector>

#include "analysis/plane.h"
#include "cutroom/media_time.h"

namespace cutroom::analysis {

struct MotionSample {
  MediaTime time;
  // Mean absolute luma change against the previous frame after compensating the global shift,
  // 0 (still) .. 1; what a pan cannot explain (subjects moving, cuts).
  double magnitude = 0.0;
  // Global translation since the previous frame, in frame widths / heights (positive: the
  // content moved right / down). Resolution 1/64 of the frame, range +-1/16 per frame.
  double pan_x = 0.0;
  double pan_y = 0.0;
};

class MotionMeter {
 public:
  // `max_side`: the working resolution (longer side, pixels).
  explicit MotionMeter(int max_side = 64);

  // Measures `luma` against the previous frame; the first frame gives a zero sample.
  MotionSample Add(const Plane8& luma, MediaTime pts);

 private:
  int max_side_;
  Plane8 prev_;
  Plane8 scratch_;
};

}  // namespace cutroom::analysis
