// Turns a decoded source frame into an output frame for one segment's layout: `fill` crops the
// (possibly moving) window and scales it to the output; `fit_blur` fits the whole source over a
// blurred, dimmed, filled copy of itself; `split` stacks two crop windows, one per half.
//
// Thread safety: one instance per thread.
#pragma once

#include "cutroom/timeline.h"
#include "cutroom/video_frame.h"
#include "media/frame_scaler.h"

namespace cutroom::render {

class VideoCompositor {
 public:
  VideoCompositor(int output_width, int output_height);

  // Draws `source` (upright yuv420p) into `out` for `segment` at `offset` from the segment's in.
  Status Compose(const VideoFrame& source, const timeline::Segment& segment, MediaTime offset,
                 VideoFrame& out);

  // The crop window used for a segment at an offset (exposed for exports and tests).
  RectF FillWindow(const timeline::Segment& segment, MediaTime offset, int source_width,
                   int source_height) const;

 private:
  Status ComposeFitBlur(const VideoFrame& source, const timeline::Segment& segment,
                        MediaTime offset, VideoFrame& out);

  int width_;
  int height_;
  media::FrameScaler scaler_{media::ScaleFilter::kBicubic};
  media::FrameScaler second_scaler_{media::ScaleFilter::kBicubic};  // split: the lower half
  media::FrameScaler fast_scaler_{media::ScaleFilter::kBilinear};
  VideoFrame small_;  // fit_blur background scratch
};

}  // namespace cutroom::render
