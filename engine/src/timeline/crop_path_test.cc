#include "timeline/crop_path.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace cutroom::timeline {
namespace {

MediaTime Ms(int64_t ms) { return MediaTime(ms, {1, 1000}); }

double Get(const CropKeyframe& k, int component) {
  return component == 0 ? k.cx : component == 1 ? k.cy : k.zoom;
}

// Irregular spacing, a local peak, a plateau and steep changes: the shapes on which a plain
// cubic (Catmull-Rom) spline overshoots.
std::vector<CropKeyframe> Bumpy() {
  return {{Ms(0), 0.10, 0.50, 1.0},    {Ms(400), 0.90, 0.50, 1.0},  {Ms(500), 0.95, 0.20, 3.0},
          {Ms(3000), 0.20, 0.20, 3.0}, {Ms(3100), 0.20, 0.90, 1.2}, {Ms(6000), 0.60, 0.10, 4.0}};
}

TEST(EvaluateCropTest, NoKeyframesIsCentredAtZoomOne) {
  CropKeyframe k = EvaluateCrop({}, Interpolation::kSmooth, Ms(1234));
  EXPECT_EQ(k.cx, 0.5);
  EXPECT_EQ(k.cy, 0.5);
  EXPECT_EQ(k.zoom, 1.0);
  EXPECT_EQ(k.t, Ms(1234));
}

TEST(EvaluateCropTest, HoldsTheEndValuesOutsideTheKeyframes) {
  std::vector<CropKeyframe> keys = {{Ms(1000), 0.2, 0.3, 1.5}, {Ms(2000), 0.8, 0.7, 2.5}};
  for (Interpolation mode :
       {Interpolation::kHold, Interpolation::kLinear, Interpolation::kSmooth}) {
    CropKeyframe before = EvaluateCrop(keys, mode, Ms(0));
    EXPECT_EQ(before.cx, 0.2);
    EXPECT_EQ(before.zoom, 1.5);
    CropKeyframe after = EvaluateCrop(keys, mode, Ms(9000));
    EXPECT_EQ(after.cy, 0.7);
    EXPECT_EQ(after.zoom, 2.5);
  }
}

TEST(EvaluateCropTest, HoldStepsAtEachKeyframe) {
  std::vector<CropKeyframe> keys = {{Ms(0), 0.2, 0.5, 1.0}, {Ms(1000), 0.8, 0.5, 2.0}};
  EXPECT_EQ(EvaluateCrop(keys, Interpolation::kHold, Ms(999)).cx, 0.2);
  EXPECT_EQ(EvaluateCrop(keys, Interpolation::kHold, Ms(1000)).cx, 0.8);
}

TEST(EvaluateCropTest, LinearIsProportionalInExactTime) {
  std::vector<CropKeyframe> keys = {{MediaTime(1001, {1, 30000}), 0.2, 0.4, 1.0},
                                    {MediaTime(3003, {1, 30000}), 0.6, 0.8, 3.0}};
  CropKeyframe mid = EvaluateCrop(keys, Interpolation::kLinear, MediaTime(2002, {1, 30000}));
  EXPECT_NEAR(mid.cx, 0.4, 1e-12);
  EXPECT_NEAR(mid.cy, 0.6, 1e-12);
  EXPECT_NEAR(mid.zoom, 2.0, 1e-12);
}

TEST(EvaluateCropTest, SmoothPassesThroughEveryKeyframe) {
  for (const CropKeyframe& key : Bumpy()) {
    CropKeyframe k = EvaluateCrop(Bumpy(), Interpolation::kSmooth, key.t);
    EXPECT_DOUBLE_EQ(k.cx, key.cx);
    EXPECT_DOUBLE_EQ(k.cy, key.cy);
    EXPECT_DOUBLE_EQ(k.zoom, key.zoom);
  }
}

TEST(EvaluateCropTest, SmoothNeverOvershootsAndIsMonotoneBetweenKeyframes) {
  std::vector<CropKeyframe> keys = Bumpy();
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    for (int c = 0; c < 3; ++c) {
      double a = Get(keys[i], c);
      double b = Get(keys[i + 1], c);
      double previous = a;
      for (int64_t ms = keys[i].t.Rescale({1, 1000}); ms <= keys[i + 1].t.Rescale({1, 1000});
           ++ms) {
        double v = Get(EvaluateCrop(keys, Interpolation::kSmooth, Ms(ms)), c);
        ASSERT_GE(v, std::min(a, b)) << "interval " << i << " component " << c << " at " << ms;
        ASSERT_LE(v, std::max(a, b)) << "interval " << i << " component " << c << " at " << ms;
        // Moving the same way as the keyframes do, never back.
        if (b >= a) {
          ASSERT_GE(v, previous - 1e-12) << "interval " << i << " component " << c;
        } else {
          ASSERT_LE(v, previous + 1e-12) << "interval " << i << " component " << c;
        }
        previous = v;
      }
    }
  }
}

TEST(EvaluateCropTest, SmoothIsContinuousAndEasesOutOfRest) {
  std::vector<CropKeyframe> keys = Bumpy();
  double previous = EvaluateCrop(keys, Interpolation::kSmooth, Ms(0)).cx;
  for (int64_t ms = 1; ms <= 6000; ++ms) {
    double v = EvaluateCrop(keys, Interpolation::kSmooth, Ms(ms)).cx;
    // The steepest secant is 0.8 per 400 ms; a continuous path moves far less than 0.01 per ms.
    ASSERT_LT(std::abs(v - previous), 0.01) << ms;
    previous = v;
  }
  // The first keyframe is a resting point: the path leaves it more slowly than a straight line.
  std::vector<CropKeyframe> two = {{Ms(0), 0.0, 0.5, 1.0}, {Ms(1000), 1.0, 0.5, 1.0}};
  EXPECT_LT(EvaluateCrop(two, Interpolation::kSmooth, Ms(100)).cx, 0.1);
  EXPECT_NEAR(EvaluateCrop(two, Interpolation::kSmooth, Ms(500)).cx, 0.5, 1e-12);
}

constexpr double kEps = 1e-9;

TEST(CropWindowTest, VerticalOutputFromLandscapeSourceUsesFullHeight) {
  RectF w = CropWindow({MediaTime(), 0.5, 0.5, 1.0}, 1920, 1080, 1080, 1920);
  EXPECT_NEAR(w.h, 1080, kEps);
  EXPECT_NEAR(w.w, 607.5, kEps);
  EXPECT_NEAR(w.x, (1920 - 607.5) / 2, kEps);
  EXPECT_NEAR(w.y, 0, kEps);
}

TEST(CropWindowTest, LandscapeOutputFromVerticalSourceUsesFullWidth) {
  RectF w = CropWindow({MediaTime(), 0.5, 0.5, 1.0}, 1080, 1920, 1920, 1080);
  EXPECT_NEAR(w.w, 1080, kEps);
  EXPECT_NEAR(w.h, 607.5, kEps);
  EXPECT_NEAR(w.y, (1920 - 607.5) / 2, kEps);
}

TEST(CropWindowTest, ZoomTwoHalvesTheWindowAroundTheSameCentre) {
  RectF one = CropWindow({MediaTime(), 0.4, 0.6, 1.0}, 3840, 2160, 1080, 1920);
  RectF two = CropWindow({MediaTime(), 0.4, 0.6, 2.0}, 3840, 2160, 1080, 1920);
  EXPECT_NEAR(two.w, one.w / 2, kEps);
  EXPECT_NEAR(two.h, one.h / 2, kEps);
  EXPECT_NEAR(two.x + two.w / 2, 0.4 * 3840, kEps);
  EXPECT_NEAR(two.y + two.h / 2, 0.6 * 2160, kEps);
}

TEST(CropWindowTest, StaysInsideTheSourceWithTheOutputAspectEverywhere) {
  const int sizes[][4] = {{1920, 1080, 1080, 1920},
                          {1280, 720, 1080, 1080},
                          {1080, 1920, 1920, 1080},
                          {641, 479, 1080, 1350}};
  for (const auto& s : sizes) {
    for (double cx = -0.2; cx <= 1.2; cx += 0.05) {
      for (double cy = -0.2; cy <= 1.2; cy += 0.1) {
        for (double zoom : {1.0, 1.3, 2.0, 7.5, 20.0}) {
          RectF w = CropWindow({MediaTime(), cx, cy, zoom}, s[0], s[1], s[2], s[3]);
          ASSERT_GE(w.x, 0.0);
          ASSERT_GE(w.y, 0.0);
          ASSERT_LE(w.x + w.w, s[0] + kEps);
          ASSERT_LE(w.y + w.h, s[1] + kEps);
          ASSERT_NEAR(w.w / w.h, static_cast<double>(s[2]) / s[3], 1e-9);
          // Largest window: one side spans the source at zoom 1.
          double fill = std::max(w.w * zoom / s[0], w.h * zoom / s[1]);
          ASSERT_NEAR(fill, 1.0, 1e-9);
        }
      }
    }
  }
}

TEST(CropWindowTest, WindowAtTheEdgeIsClampedNotShifted) {
  RectF left = CropWindow({MediaTime(), 0.0, 0.5, 1.0}, 1920, 1080, 1080, 1920);
  EXPECT_NEAR(left.x, 0, kEps);
  RectF right = CropWindow({MediaTime(), 1.0, 0.5, 1.0}, 1920, 1080, 1080, 1920);
  EXPECT_NEAR(right.x + right.w, 1920, kEps);
}

}  // namespace
}  // namespace cutroom::timeline
