// Segment transitions on yuv420p frames: the previous segment's last picture, held still, blends
// into the new segment's pictures over the transition's duration (timeline::Transition).
//
// Pixels are blended in integer arithmetic per row on all three planes; the only floating point
// is per frame (the progress). Memory: one held frame and one scratch frame, allocated on first
// use and reused; nothing per frame.
//
// Thread safety: one instance per thread.
#pragma once

#include <optional>

#include "cutroom/status.h"
#include "cutroom/timeline.h"
#include "cutroom/video_frame.h"
#include "media/frame_scaler.h"

namespace cutroom::render {

// Progress 0..1 of `transition` at `offset` from its segment's start, or nullopt when the frame
// is outside it (a cut, or past the duration). Linear in time; the blends ease it themselves.
std::optional<double> TransitionProgress(const timeline::Transition& transition, MediaTime offset);

// 3p^2 - 2p^3: starts and ends at rest, 0.5 at 0.5.
double Smoothstep(double p);

class TransitionBlender {
 public:
  TransitionBlender(int width, int height);

  // Keeps a copy of `frame` (yuv420p, the output size) as the picture the next segment
  // transitions from. Call with the composed picture before overlays and captions.
  void Hold(const VideoFrame& frame);
  bool has_held() const { return !held_.empty(); }

  // Blends the held picture into `frame` (the new segment's picture, overwritten in place) for
  // `kind` at linear `progress` in [0, 1]. Does nothing for kCut or with nothing held.
  // REQUIRES: frame is yuv420p of the output size and not shared.
  Status Apply(timeline::TransitionKind kind, double progress, VideoFrame& frame);

 private:
  void Crossfade(int weight, VideoFrame& frame) const;
  void Slide(int offset, VideoFrame& frame) const;
  Status Zoom(double eased, VideoFrame& frame);

  int width_;
  int height_;
  VideoFrame held_;     // the previous segment's last picture
  VideoFrame scratch_;  // zoom: the new picture scaled down
  media::FrameScaler scaler_{media::ScaleFilter::kBilinear};
};

}  // namespace cutroom::render
