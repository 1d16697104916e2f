#include "analysis/faces/face_tracker.h"

#include <gtest/gtest.h>

#include <cmath>

namespace cutroom::analysis {
namespace {

MediaTime Sample(int k) { return MediaTime(k, {1, 5}); }  // 5 samples per second

FaceDetection At(double x, double y, double w = 0.2, std::optional<double> mouth = std::nullopt) {
  return FaceDetection{RectF{x, y, w, w * 16.0 / 9.0}, 1.0, mouth};
}

TEST(FaceTrackerTest, MovingFaceKeepsOneId) {
  FaceTracker tracker;
  for (int k = 0; k < 50; ++k) tracker.Update(Sample(k), {At(0.05 + 0.01 * k, 0.2)});
  const auto tracks = tracker.Finish();
  ASSERT_EQ(tracks.size(), 1u);
  EXPECT_EQ(tracks[0].id, 1);
  EXPECT_EQ(tracks[0].samples.size(), 50u);
}

TEST(FaceTrackerTest, FastMoveWithLittleOverlapFollowsTheMotion) {
  FaceTracker tracker;
  // 0.09 of the frame per sample with a 0.1 wide box: consecutive boxes barely overlap.
  for (int k = 0; k < 10; ++k) tracker.Update(Sample(k), {At(0.0 + 0.09 * k, 0.3, 0.1)});
  EXPECT_EQ(tracker.Finish().size(), 1u);
}

TEST(FaceTrackerTest, TwoFacesSideBySideKeepTwoIds) {
  FaceTracker tracker;
  for (int k = 0; k < 30; ++k) {
    // Detection order flips every sample: ids must follow positions, not order.
    std::vector<FaceDetection> d = {At(0.1, 0.2), At(0.6, 0.25)};
    if (k % 2) std::swap(d[0], d[1]);
    const std::vector<int> ids = tracker.Update(Sample(k), d);
    ASSERT_EQ(ids.size(), 2u);
    EXPECT_NE(ids[0], ids[1]);
  }
  const auto tracks = tracker.Finish();
  ASSERT_EQ(tracks.size(), 2u);
  for (const auto& t : tracks) {
    EXPECT_EQ(t.samples.size(), 30u);
    for (const auto& s : t.samples) EXPECT_NEAR(s.box.x, t.samples[0].box.x, 1e-9);
  }
}

TEST(FaceTrackerTest, ShortGapIsBridgedLongGapStartsANewTrack) {
  FaceTracker tracker;
  for (int k = 0; k < 10; ++k) tracker.Update(Sample(k), {At(0.3, 0.3)});
  for (int k = 10; k < 13; ++k) tracker.Update(Sample(k), {});  // 0.6 s without a detection
  for (int k = 13; k < 20; ++k) tracker.Update(Sample(k), {At(0.3, 0.3)});
  for (int k = 20; k < 35; ++k) tracker.Update(Sample(k), {});  // 3 s gap
  for (int k = 35; k < 40; ++k) tracker.Update(Sample(k), {At(0.3, 0.3)});
  const auto tracks = tracker.Finish();
  ASSERT_EQ(tracks.size(), 2u);
  EXPECT_EQ(tracks[0].samples.size(), 20u);
  int bridged = 0;
  for (const auto& s : tracks[0].samples) bridged += s.bridged ? 1 : 0;
  EXPECT_EQ(bridged, 3);
  EXPECT_EQ(tracks[1].id, 2);
  EXPECT_EQ(tracks[1].start(), Sample(35));
}

TEST(FaceTrackerTest, FlickeringFalsePositivesAreDropped) {
  FaceTracker tracker;
  tracker.Update(Sample(0), {At(0.5, 0.5)});
  tracker.Update(Sample(1), {At(0.5, 0.5)});
  for (int k = 2; k < 20; ++k) tracker.Update(Sample(k), {});
  EXPECT_TRUE(tracker.Finish().empty());
}

TEST(FaceTrackerTest, MouthActivitySeparatesTalkingFromStill) {
  FaceTracker tracker;
  for (int k = 0; k < 40; ++k) {
    const double talking = 0.05 + 0.15 * std::abs(std::sin(k * 1.1));
    const double still = 0.05 + 0.003 * ((k % 3) - 1);
    tracker.Update(Sample(k), {At(0.1, 0.2, 0.2, talking), At(0.6, 0.2, 0.2, still)});
  }
  const auto tracks = tracker.Finish();
  ASSERT_EQ(tracks.size(), 2u);
  const auto& left = tracks[0].samples[0].box.x < 0.3 ? tracks[0] : tracks[1];
  const auto& right = tracks[0].samples[0].box.x < 0.3 ? tracks[1] : tracks[0];
  EXPECT_GT(left.mouth_activity, 0.6);
  EXPECT_LT(right.mouth_activity, 0.1);
}

TEST(FaceTrackerTest, IouOfKnownBoxes) {
  EXPECT_DOUBLE_EQ(Iou(RectF{0, 0, 1, 1}, RectF{0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(Iou(RectF{0, 0, 1, 1}, RectF{2, 2, 1, 1}), 0.0);
  EXPECT_NEAR(Iou(RectF{0, 0, 2, 1}, RectF{1, 0, 2, 1}), 1.0 / 3.0, 1e-12);
}

}  // namespace
}  // namespace cutroom::analysis
