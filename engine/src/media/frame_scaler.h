// Crop + scale of yuv420p frames into a region of a destination frame.
//
// Two paths: a source rectangle on whole, even pixels goes through swscale (SIMD, exact); a
// sub-pixel rectangle (a moving crop) goes through our own separable fixed-point bicubic
// resampler, so slow pans move smoothly instead of stepping a whole pixel at a time.
//
// Thread safety: one scaler per thread (it caches swscale contexts and scratch rows).
#pragma once

#include <memory>

#include "cutroom/status.h"
#include "cutroom/video_frame.h"

namespace cutroom::media {

enum class ScaleFilter { kInvalid = 0, kBilinear, kBicubic };

class FrameScaler {
 public:
  explicit FrameScaler(ScaleFilter filter);
  ~FrameScaler();
  FrameScaler(const FrameScaler&) = delete;
  FrameScaler& operator=(const FrameScaler&) = delete;

  // Scales `src_rect` of `src` (upright pixels, may be fractional) into the rectangle
  // (dst_x, dst_y, dst_w, dst_h) of `dst`.
  // REQUIRES: both kYuv420p; src_rect inside src; destination rectangle even and inside dst.
  Status Scale(const VideoFrame& src, const RectF& src_rect, VideoFrame& dst, int dst_x, int dst_y,
               int dst_w, int dst_h);

  // True when `rect` can take the exact swscale path.
  static bool IsPixelAligned(const RectF& rect);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cutroom::media
