#include "analysis/motion/motion_meter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace cutroom::analysis {
namespace {

Plane8 Texture(int offset_x, int offset_y) {
  Plane8 p;
  p.width = 256;
  p.height = 144;
  p.pixels.resize(static_cast<size_t>(p.width * p.height));
  for (int y = 0; y < p.height; ++y) {
    for (int x = 0; x < p.width; ++x) {
      const int sx = x - offset_x, sy = y - offset_y;
      const int v = 128 + static_cast<int>(60 * std::sin(sx * 0.09) * std::cos(sy * 0.07)) +
                    ((sx / 16 + sy / 16) % 2 ? 30 : -30);
      p.pixels[static_cast<size_t>(y * p.width + x)] = static_cast<uint8_t>(std::clamp(v, 0, 255));
    }
  }
  return p;
}

TEST(MotionMeterTest, StillPictureHasNoMotion) {
  MotionMeter meter;
  for (int i = 0; i < 5; ++i) {
    const MotionSample s = meter.Add(Texture(0, 0), MediaTime(i, {1, 30}));
    EXPECT_EQ(s.magnitude, 0.0);
    EXPECT_EQ(s.pan_x, 0.0);
  }
}

TEST(MotionMeterTest, PanIsMeasuredWithDirection) {
  MotionMeter meter;  // works at 64 px: 4 source pixels per step
  (void)meter.Add(Texture(0, 0), MediaTime(0, {1, 30}));
  const MotionSample right = meter.Add(Texture(8, 0), MediaTime(1, {1, 30}));
  EXPECT_NEAR(right.pan_x, 2.0 / 64.0, 1e-9);
  EXPECT_NEAR(right.pan_y, 0.0, 1e-9);
  EXPECT_LT(right.magnitude, 0.03);  // the pan explains the change
  const MotionSample up = meter.Add(Texture(8, -4), MediaTime(2, {1, 30}));
  EXPECT_LT(up.pan_y, 0.0);
}

TEST(MotionMeterTest, ChangeThatNoPanExplainsIsLargeMagnitude) {
  MotionMeter meter;
  (void)meter.Add(Texture(0, 0), MediaTime(0, {1, 30}));
  Plane8 inverted = Texture(0, 0);
  for (auto& px : inverted.pixels) px = static_cast<uint8_t>(255 - px);
  EXPECT_GT(meter.Add(inverted, MediaTime(1, {1, 30})).magnitude, 0.08);
}

}  // namespace
}  // namespace cutroom::analysis
