// VideoFrame: the engine's own picture type. Planes are views into storage kept alive by
// `owner`, so frames from the decoder or the frame allocator travel without copies.
//
// Thread safety: value type; the pixels are shared between copies, so a writer must own the
// only copy (frames from AllocateVideoFrame() do until copied).
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "cutroom/media_time.h"

namespace cutroom {

enum class PixelFormat {
  kInvalid = 0,
  kYuv420p,  // 8-bit planar 4:2:0, BT.709 limited range for our outputs
  kGray8,
  kRgba,   // packed 8-bit RGBA
  kOther,  // a decoder format the media adapter converts on demand
};

struct VideoFrame {
  PixelFormat format = PixelFormat::kInvalid;
  int width = 0;
  int height = 0;
  std::array<uint8_t*, 4> data{};
  std::array<int, 4> linesize{};
  MediaTime pts;       // presentation time in source (or output) time
  MediaTime duration;  // display duration when known, else zero
  std::shared_ptr<void> owner;

  bool empty() const { return data[0] == nullptr; }
};

// Axis-aligned rectangle in pixels (sub-pixel precision).
struct RectF {
  double x = 0, y = 0, w = 0, h = 0;
};

}  // namespace cutroom
