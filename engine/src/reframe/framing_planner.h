// Decides how each moment of a clip is framed: which subject, which layout, and the camera path.
// Per shot, the subject is the active speaker (mouth activity while someone is speaking), else
// the most present face, else the centre. Each framing is held at least `min_hold_s` and a switch
// to a new speaker happens `anticipation_s` before they start. Two people who alternate and are
// both in view get the split layout; a subject no crop window can hold gets fit_blur.
// Pure: inputs are analysis results, outputs are Timeline-ready crop paths.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "cutroom/media_time.h"
#include "cutroom/timeline.h"
#include "reframe/camera_path.h"

namespace cutroom::reframe {

struct FaceSample {
  double t_s = 0;  // source time
  int track_id = -1;
  double cx = 0, cy = 0, w = 0, h = 0;  // normalised to the upright frame
  double mouth_activity = 0;            // 0..1, from analysis
};

struct FramingRequest {
  int source_width = 0, source_height = 0;  // upright
  int output_width = 1080, output_height = 1920;
  Rational source_fps{30, 1};                                   // boundaries snap to source frames
  MediaTime start, end;                                         // the clip, source time
  std::vector<double> cuts_s;                                   // shot boundaries (source time)
  std::vector<FaceSample> faces;                                // any order
  std::vector<std::pair<double, double>> speech_s;              // when someone speaks (source time)
  timeline::Layout forced_layout = timeline::Layout::kInvalid;  // kInvalid: choose per shot
};

struct FramingOptions {
  double min_hold_s = 1.5;
  double anticipation_s = 0.2;
  double min_activity = 0.15;   // mouth activity that counts as talking
  double min_presence = 0.3;    // share of a shot's samples a face must appear in
  double sample_rate_hz = 5.0;  // decision grid
  CameraLimits camera;
};

struct FramingSegment {
  MediaTime start, end;  // source time; segments tile [request.start, request.end)
  timeline::Layout layout = timeline::Layout::kFill;
  std::vector<timeline::CropKeyframe> crop;            // t relative to start
  std::vector<timeline::CropKeyframe> crop_secondary;  // split only
  CameraMode mode = CameraMode::kInvalid;
  int subject_track = -1;  // -1: no face (centre framing)
  std::string reason;      // one line for people: "speaker 2 (mouth activity)"
};

// Errors: empty or inverted clip range, zero sizes.
Result<std::vector<FramingSegment>> PlanFraming(const FramingRequest& request,
                                                const FramingOptions& options = {});

}  // namespace cutroom::reframe
