// Plane8: a small 8-bit picture plane owned by value, the working image of the analysis
// detectors (scenes and motion at ~256 px, faces at <= 640 px). Box downscaling from a decoded
// frame's plane happens once per frame in the analyzer; the detectors are pure and see only these.
//
// Thread safety: value type.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace cutroom::analysis {

struct Plane8 {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // row-major, stride == width

  bool empty() const { return width <= 0 || height <= 0; }
  uint8_t at(int x, int y) const {
    return pixels[static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)];
  }
};

// The smallest integer factor that brings `width` x `height` within `max_side` on its longer side
// (1 when it already fits).
inline int BoxFactor(int width, int height, int max_side) {
  const int longest = std::max(width, height);
  if (max_side <= 0 || longest <= max_side) return 1;
  return (longest + max_side - 1) / max_side;
}

// Averages `factor` x `factor` blocks of a source plane into `out` (reusing its storage). Edge
// pixels that do not fill a whole block are dropped; each result is the block sum divided by
// factor² and rounded half up. Runs once per frame on every pixel of the decoded luma and chroma,
// so it is written to vectorise (rows are summed column-wise first, then across). REQUIRES:
// factor >= 1, src_w/h >= factor.
void BoxDownscale(const uint8_t* src, int stride, int src_w, int src_h, int factor, Plane8* out);

}  // namespace cutroom::analysis
