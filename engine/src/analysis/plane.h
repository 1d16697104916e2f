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
// pixels that do not fill a whole block are dropped. REQUIRES: factor >= 1, src_w/h >= factor.
inline void BoxDownscale(const uint8_t* src, int stride, int src_w, int src_h, int factor,
                         Plane8* out) {
  const int w = src_w / factor;
  const int h = src_h / factor;
  out->width = w;
  out->height = h;
  out->pixels.resize(static_cast<size_t>(w) * static_cast<size_t>(h));
  if (factor == 1) {
    for (int y = 0; y < h; ++y) {
      std::copy_n(src + static_cast<size_t>(y) * stride, w,
                  out->pixels.begin() + static_cast<long>(y) * w);
    }
    return;
  }
  std::vector<uint32_t> sums(static_cast<size_t>(w));
  const uint32_t area = static_cast<uint32_t>(factor * factor);
  for (int y = 0; y < h; ++y) {
    std::fill(sums.begin(), sums.end(), 0u);
    for (int dy = 0; dy < factor; ++dy) {
      const uint8_t* row = src + static_cast<size_t>(y * factor + dy) * stride;
      for (int x = 0; x < w; ++x) {
        const uint8_t* p = row + static_cast<size_t>(x) * factor;
        uint32_t s = 0;
        for (int dx = 0; dx < factor; ++dx) s += p[dx];
        sums[static_cast<size_t>(x)] += s;
      }
    }
    uint8_t* dst = out->pixels.data() + static_cast<size_t>(y) * w;
    for (int x = 0; x < w; ++x) dst[x] = static_cast<uint8_t>((sums[static_cast<size_t>(x)] + area / 2) / area);
  }
}

}  // namespace cutroom::analysis
