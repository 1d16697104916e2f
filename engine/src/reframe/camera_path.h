// One axis of a virtual camera, planned offline like MediaPipe AutoFlip's camera motion: a steady
// shot when the subject stays within a band, otherwise smooth tracking with a dead zone and
// velocity/acceleration limits. Knowing the future, the camera aims slightly ahead.
// Pure functions; positions are normalised crop-window centres (0..1).
#pragma once

#include <vector>

namespace cutroom::reframe {

struct PathSample {
  double t_s = 0;  // seconds from the start of the shot
  double x = 0;    // target (or camera) position
};

struct CameraLimits {
  double steady_band = 0.06;      // subject spread that still gets a locked-off shot
  double dead_zone = 0.03;        // the camera ignores target moves smaller than this
  double max_velocity = 0.25;     // units per second
  double max_acceleration = 0.9;  // units per second squared
  double look_ahead_s = 0.3;      // aim where the subject will be
  double smoothing_s = 0.5;       // median filter window over detection jitter
  double key_interval_s = 0.2;    // spacing of the emitted keyframes
};

enum class CameraMode { kInvalid = 0, kSteady, kTracking };

struct CameraPath {
  CameraMode mode = CameraMode::kInvalid;
  std::vector<PathSample> keys;  // one key for a steady shot
};

// Plans the camera for targets sampled over a shot of `duration_s` seconds. Positions are kept
// inside [lo, hi] (where the window stays inside the frame). REQUIRES: targets sorted by t_s,
// non-empty; lo <= hi.
CameraPath PlanAxis(const std::vector<PathSample>& targets, double duration_s, double lo, double hi,
                    const CameraLimits& limits);

}  // namespace cutroom::reframe
