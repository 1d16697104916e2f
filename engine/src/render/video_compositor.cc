#include "render/video_compositor.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "media/frames.h"
#include "render/blur.h"
#include "timeline/crop_path.h"

namespace cutroom::render {
namespace {

int EvenFloor(double v) { return static_cast<int>(std::floor(v / 2.0)) * 2; }

bool IsStatic(const std::vector<timeline::CropKeyframe>& path) {
  for (size_t i = 1; i < path.size(); ++i) {
    const auto& a = path[i - 1];
    const auto& b = path[i];
    if (a.cx != b.cx || a.cy != b.cy || a.zoom != b.zoom) return false;
  }
  return true;
}

// A steady window snapped to even whole pixels: the exact swscale path, no visible difference.
RectF SnapToEvenPixels(RectF r, int source_width, int source_height) {
  int w = std::max(2, EvenFloor(r.w + 1.0));
  int h = std::max(2, EvenFloor(r.h + 1.0));
  w = std::min(w, source_width & ~1);
  h = std::min(h, source_height & ~1);
  int x = std::clamp(EvenFloor(r.x + (r.w - w) / 2.0 + 1.0), 0, (source_width - w) & ~1);
  int y = std::clamp(EvenFloor(r.y + (r.h - h) / 2.0 + 1.0), 0, (source_height - h) & ~1);
  return RectF{static_cast<double>(x), static_cast<double>(y), static_cast<double>(w),
               static_cast<double>(h)};
}

}  // namespace

VideoCompositor::VideoCompositor(int output_width, int output_height)
    : width_(output_width), height_(output_height) {}

RectF VideoCompositor::FillWindow(const timeline::Segment& segment, MediaTime offset,
                                  int source_width, int source_height) const {
  timeline::CropKeyframe value =
      timeline::EvaluateCrop(segment.crop, segment.interpolation, offset);
  RectF r = timeline::CropWindow(value, source_width, source_height, width_, height_);
  if (IsStatic(segment.crop)) r = SnapToEvenPixels(r, source_width, source_height);
  return r;
}

Status VideoCompositor::Compose(const VideoFrame& source, const timeline::Segment& segment,
                                MediaTime offset, VideoFrame& out) {
  if (segment.layout == timeline::Layout::kFitBlur)
    return ComposeFitBlur(source, segment, offset, out);
  if (segment.layout == timeline::Layout::kSplit) {
    // Two subjects stacked: each half is a crop window with the aspect of half the output.
    // A steady half is snapped to even pixels like a steady fill window, so it takes the SIMD
    // swscale path; each half has its own scaler, so two different window sizes do not make
    // swscale rebuild its context twice per frame.
    const int half = height_ / 2;
    for (int i = 0; i < 2; ++i) {
      const auto& path = i == 0 ? segment.crop : segment.crop_secondary;
      timeline::CropKeyframe value = timeline::EvaluateCrop(path, segment.interpolation, offset);
      RectF r = timeline::CropWindow(value, source.width, source.height, width_, half);
      if (IsStatic(path)) r = SnapToEvenPixels(r, source.width, source.height);
      media::FrameScaler& scaler = i == 0 ? scaler_ : second_scaler_;
      CR_RETURN_IF_ERROR(scaler.Scale(source, r, out, 0, i * half, width_, half));
    }
    return Status::Ok();
  }
  RectF window = FillWindow(segment, offset, source.width, source.height);
  return scaler_.Scale(source, window, out, 0, 0, width_, height_);
}

Status VideoCompositor::ComposeFitBlur(const VideoFrame& source, const timeline::Segment& segment,
                                       MediaTime offset, VideoFrame& out) {
  // Background: the cover-cropped source at 1/8 size, blurred and dimmed, scaled up.
  int sw = std::max(16, EvenFloor(width_ / 8.0)), sh = std::max(16, EvenFloor(height_ / 8.0));
  if (small_.empty() || small_.width != sw || small_.height != sh) {
    small_ = media::AllocateVideoFrame(PixelFormat::kYuv420p, sw, sh);
  }
  timeline::CropKeyframe value =
      timeline::EvaluateCrop(segment.crop, segment.interpolation, offset);
  value.zoom = 1.0;
  RectF cover =
      SnapToEvenPixels(timeline::CropWindow(value, source.width, source.height, width_, height_),
                       source.width, source.height);
  CR_RETURN_IF_ERROR(fast_scaler_.Scale(source, cover, small_, 0, 0, sw, sh));
  BoxBlur(small_, std::max(1, sw / 24));
  DimLuma(small_, 0.6);
  CR_RETURN_IF_ERROR(
      fast_scaler_.Scale(small_, RectF{0, 0, double(sw), double(sh)}, out, 0, 0, width_, height_));
  // Foreground: the whole source, fitted and centred.
  double fit = std::min(static_cast<double>(width_) / source.width,
                        static_cast<double>(height_) / source.height);
  int fw = std::min(width_, std::max(2, EvenFloor(source.width * fit + 1.0)));
  int fh = std::min(height_, std::max(2, EvenFloor(source.height * fit + 1.0)));
  int fx = EvenFloor((width_ - fw) / 2.0), fy = EvenFloor((height_ - fh) / 2.0);
  RectF whole{0, 0, static_cast<double>(source.width & ~1),
              static_cast<double>(source.height & ~1)};
  return scaler_.Scale(source, whole, out, fx, fy, fw, fh);
}

}  // namespace cutroom::render
