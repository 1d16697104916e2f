#include "render/transition.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "media/frames.h"

namespace cutroom::render {
namespace {

// Where the new picture covers the old: the zoom starts at this fraction of the output size.
constexpr double kZoomStartScale = 0.85;

int PlaneWidth(const VideoFrame& f, int p) { return p == 0 ? f.width : (f.width + 1) / 2; }
int PlaneHeight(const VideoFrame& f, int p) { return p == 0 ? f.height : (f.height + 1) / 2; }

uint8_t* Row(const VideoFrame& f, int p, int y) {
  return f.data[p] + static_cast<ptrdiff_t>(y) * f.linesize[p];
}

// dst = old + (dst - old) * weight / 256 over n bytes; weight 0..256. A contiguous loop of
// small integers, which the compiler vectorises.
void MixRow(const uint8_t* old_row, uint8_t* dst, int n, int weight) {
  for (int x = 0; x < n; ++x) {
    int o = old_row[x];
    dst[x] = static_cast<uint8_t>(o + (((dst[x] - o) * weight + 128) >> 8));
  }
}

int EvenRound(double v) { return static_cast<int>(std::lround(v / 2.0)) * 2; }

}  // namespace

double Smoothstep(double p) {
  p = std::clamp(p, 0.0, 1.0);
  return p * p * (3.0 - 2.0 * p);
}

std::optional<double> TransitionProgress(const timeline::Transition& transition, MediaTime offset) {
  if (transition.kind == timeline::TransitionKind::kCut ||
      transition.kind == timeline::TransitionKind::kInvalid ||
      transition.duration <= MediaTime::Zero() || offset < MediaTime::Zero() ||
      offset >= transition.duration) {
    return std::nullopt;
  }
  return std::clamp(offset.ToSeconds() / transition.duration.ToSeconds(), 0.0, 1.0);
}

TransitionBlender::TransitionBlender(int width, int height) : width_(width), height_(height) {}

void TransitionBlender::Hold(const VideoFrame& frame) {
  if (held_.empty()) held_ = media::AllocateVideoFrame(PixelFormat::kYuv420p, width_, height_);
  for (int p = 0; p < 3; ++p) {
    const int n = PlaneWidth(held_, p);
    for (int y = 0; y < PlaneHeight(held_, p); ++y)
      std::memcpy(Row(held_, p, y), Row(frame, p, y), n);
  }
}

Status TransitionBlender::Apply(timeline::TransitionKind kind, double progress, VideoFrame& frame) {
  if (held_.empty() || kind == timeline::TransitionKind::kCut) return Status::Ok();
  if (frame.format != PixelFormat::kYuv420p || frame.width != width_ || frame.height != height_) {
    return InvalidArgumentError("transition needs a yuv420p frame of " + std::to_string(width_) +
                                "x" + std::to_string(height_));
  }
  const double eased = Smoothstep(progress);
  switch (kind) {
    case timeline::TransitionKind::kCrossfade:
      Crossfade(static_cast<int>(std::lround(eased * 256.0)), frame);
      return Status::Ok();
    case timeline::TransitionKind::kSlide:
      // Even, so the chroma planes move by whole samples in step with luma.
      Slide(std::clamp(EvenRound(width_ * (1.0 - eased)), 0, width_), frame);
      return Status::Ok();
    case timeline::TransitionKind::kZoom:
      return Zoom(eased, frame);
    case timeline::TransitionKind::kCut:
    case timeline::TransitionKind::kInvalid:
      break;
  }
  return Status::Ok();
}

void TransitionBlender::Crossfade(int weight, VideoFrame& frame) const {
  if (weight >= 256) return;
  for (int p = 0; p < 3; ++p) {
    const int n = PlaneWidth(frame, p);
    for (int y = 0; y < PlaneHeight(frame, p); ++y) {
      MixRow(Row(held_, p, y), Row(frame, p, y), n, weight);
    }
  }
}

// The new picture stands `offset` pixels short of its place: columns [offset, width) show its
// left part, columns [0, offset) the right part of the old picture, pushed out to the left.
void TransitionBlender::Slide(int offset, VideoFrame& frame) const {
  if (offset <= 0) return;
  for (int p = 0; p < 3; ++p) {
    const int n = PlaneWidth(frame, p);
    const int shift = p == 0 ? offset : offset / 2;
    for (int y = 0; y < PlaneHeight(frame, p); ++y) {
      uint8_t* dst = Row(frame, p, y);
      std::memmove(dst + shift, dst, static_cast<size_t>(n - shift));
      std::memcpy(dst, Row(held_, p, y) + (n - shift), static_cast<size_t>(shift));
    }
  }
}

// The new picture, scaled down about the centre, fades in over the old one.
Status TransitionBlender::Zoom(double eased, VideoFrame& frame) {
  const double scale = kZoomStartScale + (1.0 - kZoomStartScale) * eased;
  const int w = std::clamp(EvenRound(width_ * scale), 2, width_);
  const int h = std::clamp(EvenRound(height_ * scale), 2, height_);
  const int x0 = ((width_ - w) / 2) & ~1;
  const int y0 = ((height_ - h) / 2) & ~1;
  const int weight = static_cast<int>(std::lround(eased * 256.0));
  if (scratch_.empty())
    scratch_ = media::AllocateVideoFrame(PixelFormat::kYuv420p, width_, height_);
  if (w != width_ || h != height_) {
    RectF whole{0, 0, static_cast<double>(width_), static_cast<double>(height_)};
    CR_RETURN_IF_ERROR(scaler_.Scale(frame, whole, scratch_, 0, 0, w, h));
  } else {
    for (int p = 0; p < 3; ++p) {
      for (int y = 0; y < PlaneHeight(frame, p); ++y) {
        std::memcpy(Row(scratch_, p, y), Row(frame, p, y), PlaneWidth(frame, p));
      }
    }
  }
  for (int p = 0; p < 3; ++p) {
    const int div = p == 0 ? 1 : 2;
    const int n = PlaneWidth(frame, p);
    const int rx = x0 / div, rw = w / div, ry = y0 / div, rh = h / div;
    for (int y = 0; y < PlaneHeight(frame, p); ++y) {
      uint8_t* dst = Row(frame, p, y);
      std::memcpy(dst, Row(held_, p, y), static_cast<size_t>(n));
      if (y < ry || y >= ry + rh) continue;
      // dst holds the old picture; mix the scaled new one in at `weight`.
      const uint8_t* src = Row(scratch_, p, y - ry);
      uint8_t* d = dst + rx;
      for (int x = 0; x < rw; ++x) {
        int o = d[x];
        d[x] = static_cast<uint8_t>(o + (((src[x] - o) * weight + 128) >> 8));
      }
    }
  }
  return Status::Ok();
}

}  // namespace cutroom::render
