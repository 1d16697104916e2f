// Face tracks with stable ids from per-sample detections: association by overlap with each
// track's motion-predicted box (greedy, best overlap first), short gaps bridged, and a
// per-track mouth-activity signal that tells a talking face from a listening one. Pure.
//
// Thread safety: one tracker per thread.
#pragma once

#include <optional>
#include <vector>

#include "cutroom/media_time.h"
#include "cutroom/video_frame.h"

namespace cutroom::analysis {

// A detection in normalised upright-frame coordinates (0..1 of width and height).
struct FaceDetection {
  RectF box;
  double score = 0.0;
  std::optional<double> mouth_openness;  // absent without landmarks
};

struct FaceSample {
  MediaTime time;
  RectF box;                  // normalised 0..1; predicted (not detected) when `bridged`
  double score = 0.0;
  double mouth_openness = 0.0;
  double mouth_activity = 0.0;  // 0 (still mouth) .. 1 (clearly talking), from nearby samples
  bool bridged = false;         // filled across a short gap in detections
};

struct FaceTrack {
  int id = 0;  // 1, 2, ... in order of first appearance among reported tracks
  std::vector<FaceSample> samples;
  double mouth_activity = 0.0;  // mean over the track's samples
  MediaTime start() const { return samples.front().time; }
  MediaTime end() const { return samples.back().time; }
};

struct FaceTrackerOptions {
  double min_iou = 0.2;                     // overlap with the predicted box to continue a track
  MediaTime max_gap = MediaTime(1, {1, 1});  // longer gaps end a track
  int min_detections = 3;                    // shorter tracks are dropped as false positives
  MediaTime activity_window = MediaTime(3, {1, 5});  // +-0.6 s of samples per activity value
  double still_mouth_std = 0.01;   // openness jitter of a still face
  double talking_mouth_std = 0.06; // openness swing of clear speech
};

class FaceTracker {
 public:
  explicit FaceTracker(const FaceTrackerOptions& options = {});

  // Associates the detections of the sample at `time` (non-decreasing) and returns the track
  // id given to each detection (internal ids; reported ids are renumbered by Finish()).
  std::vector<int> Update(MediaTime time, const std::vector<FaceDetection>& detections);
  // Whether any live track's face is smaller than `side` (normalised width) — for the caller's
  // upsampling choice.
  bool HasTrackNarrowerThan(double side) const;
  int live_tracks() const;
  // Where each live track's face is expected at `time` (normalised boxes, motion-predicted), for
  // the caller's region-of-interest detection.
  std::vector<RectF> PredictedBoxes(MediaTime time) const;

  // Ends all tracks, drops short ones, fills bridged gaps, computes mouth activity. Call once.
  std::vector<FaceTrack> Finish();

 private:
  struct Live {
    int id = 0;
    std::vector<FaceSample> samples;  // detections only; gaps are filled at the end
    double vx = 0.0, vy = 0.0;        // centre velocity, per second
    int detections = 0;
  };
  void End(Live& track);

  FaceTrackerOptions options_;
  std::vector<Live> live_;
  std::vector<Live> ended_;
  int next_id_ = 1;
  MediaTime last_time_;
};

double Iou(const RectF& a, const RectF& b);

}  // namespace cutroom::analysis
