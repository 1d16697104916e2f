#include "analysis/plane.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <vector>

namespace cutroom::analysis {
namespace {

// The definition: every output pixel is its block's mean, rounded half up.
uint8_t BlockMean(const std::vector<uint8_t>& src, int stride, int x, int y, int factor) {
  uint64_t sum = 0;
  for (int dy = 0; dy < factor; ++dy) {
    for (int dx = 0; dx < factor; ++dx) {
      sum += src[static_cast<size_t>((y * factor + dy) * stride + x * factor + dx)];
    }
  }
  const uint64_t area = static_cast<uint64_t>(factor) * static_cast<uint64_t>(factor);
  return static_cast<uint8_t>((sum + area / 2) / area);
}

// Detectors compare frames pixel by pixel, so the fast path must give exactly the block means,
// for every factor the analyzer uses (scenes 8, chroma 4, faces 3, regions 1..4, motion 4) and
// the general and wide paths, on noise, on extreme values and with a stride wider than the plane.
TEST(BoxDownscaleTest, EqualsBlockMeansForEveryFactor) {
  std::mt19937 rng(7);
  for (int factor : {1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 16, 33, 255, 256, 300}) {
    for (int fill : {0, 1, 2}) {  // noise, all 255, all 0 except noise-free edges
      const int src_w = factor * 5 + factor / 2 + 1, src_h = factor * 3 + 1;
      const int stride = src_w + 13;
      std::vector<uint8_t> src(static_cast<size_t>(stride * src_h));
      for (auto& p : src) p = fill == 0 ? static_cast<uint8_t>(rng()) : fill == 1 ? 255 : 0;
      Plane8 out;
      out.pixels.assign(3, 9);  // storage is reused, whatever it held
      BoxDownscale(src.data(), stride, src_w, src_h, factor, &out);
      ASSERT_EQ(out.width, src_w / factor);
      ASSERT_EQ(out.height, src_h / factor);
      ASSERT_EQ(out.pixels.size(), static_cast<size_t>(out.width * out.height));
      for (int y = 0; y < out.height; ++y) {
        for (int x = 0; x < out.width; ++x) {
          ASSERT_EQ(out.at(x, y), BlockMean(src, stride, x, y, factor))
              << "factor " << factor << " fill " << fill << " at " << x << "," << y;
        }
      }
    }
  }
}

// Halves round up: a 2x2 block summing to 2 (mean 0.5) gives 1, one summing to 1 gives 0.
TEST(BoxDownscaleTest, RoundsHalfUp) {
  const std::vector<uint8_t> src = {1, 1, 0, 1,  //
                                    0, 0, 0, 0};
  Plane8 out;
  BoxDownscale(src.data(), 4, 4, 2, 2, &out);
  ASSERT_EQ(out.width, 2);
  EXPECT_EQ(out.at(0, 0), 1);
  EXPECT_EQ(out.at(1, 0), 0);
}

}  // namespace
}  // namespace cutroom::analysis
