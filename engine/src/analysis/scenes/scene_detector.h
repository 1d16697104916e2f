// Shot-boundary detection on small frames: a content detector over HSV frame differences with an
// adaptive threshold (after PySceneDetect's AdaptiveDetector), a fade-through-black detector, and
// a minimum scene length. Pure: it sees only small YUV planes and presentation times, so it is
// tested without decoding anything; the analyzer feeds it every decoded frame at ~256 px.
//
// Thread safety: one detector per thread.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "analysis/plane.h"
#include "cutroom/media_time.h"

namespace cutroom::analysis {

enum class CutKind { kInvalid = 0, kHard, kFade };

struct SceneCut {
  MediaTime time;           // presentation time of the first frame of the new scene
  int64_t frame_index = 0;  // index of that frame among the frames given to Add()
  double confidence = 0.0;  // 0..1
  CutKind kind = CutKind::kInvalid;
};

struct SceneDetectorOptions {
  // A frame's content score (mean HSV change, 0..255) must reach this many times the average
  // score of its neighbours (`window` frames either side) ...
  double adaptive_ratio = 3.0;
  int window = 2;
  // ... and this floor, so that noise on a still shot never cuts.
  double min_content = 15.0;
  // Mean brightness (HSV value, 0..255) below which a frame counts as black for fades.
  double fade_black_level = 12.0;
  // No cut closer than this to the previous one.
  MediaTime min_scene = MediaTime(2, {1, 5});  // 0.4 s
};

// One frame in the detector's colour space: Y, U and V planes of the same small size.
struct SmallYuv {
  Plane8 y;
  Plane8 u;
  Plane8 v;
};

class SceneDetector {
 public:
  explicit SceneDetector(const SceneDetectorOptions& options = {});

  // Feeds the next frame in presentation order. Frames whose size differs from the previous
  // frame's are compared as a hard change. REQUIRES: y, u, v have equal, non-zero sizes.
  void Add(const SmallYuv& frame, MediaTime pts);
  // Decides the last frames (the adaptive window looks ahead `window` frames). Call once at the
  // end; Add() after Finish() is not allowed.
  void Finish();

  // Cuts decided so far, in time order. A cut is final once reported.
  const std::vector<SceneCut>& cuts() const { return cuts_; }
  // The content score (0..255) of each frame against its predecessor is not kept (memory must
  // not grow with the source); frames_seen() counts them.
  int64_t frames_seen() const { return next_index_; }

 private:
  struct Scored {
    int64_t index = 0;
    MediaTime pts;
    double score = 0.0;
  };
  void DecideOldest();
  void Emit(SceneCut cut);

  SceneDetectorOptions options_;
  std::vector<uint8_t> prev_h_, prev_s_, prev_v_;  // previous frame in HSV
  int prev_w_ = 0, prev_h_size_ = 0;
  int64_t next_index_ = 0;
  std::deque<Scored> pending_;  // at most 2 * window + 1 frames awaiting a decision
  std::optional<MediaTime> last_cut_time_;
  bool seen_bright_ = false;           // a non-black frame has been seen (a fade needs a before)
  std::optional<int64_t> dark_start_;  // first frame of the current black run
  std::vector<MediaTime> dark_pts_;    // presentation times in the black run (capped)
  std::vector<SceneCut> cuts_;
};

// YUV (BT.709, limited range) to HSV with hue in 0..179 and saturation/value in 0..255, the
// OpenCV convention PySceneDetect scores in. Exposed for tests.
void YuvToHsv(uint8_t y, uint8_t u, uint8_t v, uint8_t* h, uint8_t* s, uint8_t* val);

}  // namespace cutroom::analysis
