#include "reframe/camera_path.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace cutroom::reframe {
namespace {

TEST(CameraPathTest, StillSubjectWithJitterGetsALockedOffShot) {
  std::mt19937 rng(3);
  std::normal_distribution<double> jitter(0.0, 0.008);  // detector noise
  std::vector<PathSample> targets;
  for (int i = 0; i < 50; ++i) targets.push_back({i * 0.2, 0.4 + jitter(rng)});
  CameraPath p = PlanAxis(targets, 10.0, 0.16, 0.84, CameraLimits{});
  EXPECT_EQ(p.mode, CameraMode::kSteady);
  ASSERT_EQ(p.keys.size(), 1u) << "a steady shot must not move at all";
  EXPECT_NEAR(p.keys[0].x, 0.4, 0.02);
}

TEST(CameraPathTest, MovingSubjectIsTrackedWithinTheLimits) {
  std::vector<PathSample> targets;
  for (int i = 0; i <= 50; ++i) {
    double t = i * 0.2;
    targets.push_back({t, 0.3 + 0.04 * t});  // walks right at 0.04 units/s
  }
  CameraLimits limits;
  CameraPath p = PlanAxis(targets, 10.0, 0.16, 0.84, limits);
  ASSERT_EQ(p.mode, CameraMode::kTracking);
  double max_v = 0;
  for (size_t i = 1; i < p.keys.size(); ++i) {
    double v = (p.keys[i].x - p.keys[i - 1].x) / (p.keys[i].t_s - p.keys[i - 1].t_s);
    max_v = std::max(max_v, std::fabs(v));
  }
  EXPECT_LE(max_v, limits.max_velocity + 1e-9);
  // The camera keeps the subject near the centre: within the dead zone plus a little lag.
  for (const PathSample& k : p.keys) {
    double subject = 0.3 + 0.04 * k.t_s;
    EXPECT_NEAR(k.x, subject, limits.dead_zone + 0.03) << "t=" << k.t_s;
  }
}

TEST(CameraPathTest, NeverLeavesTheAllowedRange) {
  std::vector<PathSample> targets = {{0, 0.5}, {1, 0.95}, {2, 0.02}, {3, 0.99}};
  CameraPath p = PlanAxis(targets, 3.0, 0.2, 0.8, CameraLimits{});
  for (const PathSample& k : p.keys) {
    EXPECT_GE(k.x, 0.2);
    EXPECT_LE(k.x, 0.8);
  }
}

}  // namespace
}  // namespace cutroom::reframe
