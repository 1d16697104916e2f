#include "reframe/framing_planner.h"

#include <gtest/gtest.h>

#include "timeline/crop_path.h"

namespace cutroom::reframe {
namespace {

using timeline::Layout;

// Two people side by side in a 16:9 frame; `talker(t)` says who talks (0, 1 or -1 nobody).
FramingRequest TwoPeople(double seconds, int (*talker)(double)) {
  FramingRequest r;
  r.source_width = 1920;
  r.source_height = 1080;
  r.start = MediaTime();
  r.end = MediaTime(static_cast<int64_t>(seconds * 30), {1, 30});
  for (int i = 0; i < seconds * 5; ++i) {
    double t = i / 5.0;
    int who = talker(t);
    for (int track : {0, 1}) {
      double activity = who == track ? (i % 2 ? 0.7 : 0.5) : 0.03;
      r.faces.push_back({t, track, track == 0 ? 0.25 : 0.75, 0.4, 0.08, 0.15, activity});
    }
  }
  double start = -1;
  for (int i = 0; i <= seconds * 50; ++i) {
    double t = i / 50.0;
    bool talking = t < seconds && talker(t) >= 0;
    if (talking && start < 0) start = t;
    if (!talking && start >= 0) {
      r.speech_s.push_back({start, t});
      start = -1;
    }
  }
  return r;
}

int Turns(double t) {  // A 0-4 s, B 4-8 s (with a 0.5 s "yeah" from A at 6 s), A 8-12 s
  if (t < 4) return 0;
  if (t >= 6 && t < 6.5) return 0;
  if (t < 8) return 1;
  return 0;
}

// The main turns, without the interjection that the camera deliberately does not follow.
int MainTurns(double t) { return t >= 4 && t < 8 ? 1 : 0; }

// Share of frames whose active speaker's face centre lies inside the crop window.
double SpeakerInCropShare(const FramingRequest& r, const std::vector<FramingSegment>& plan) {
  int inside = 0, total = 0;
  for (int frame = 0; frame < r.end.Rescale({1, 30}); ++frame) {
    double t = frame / 30.0;
    int who = MainTurns(t);
    for (const FramingSegment& seg : plan) {
      if (t < seg.start.ToSeconds() || t >= seg.end.ToSeconds()) continue;
      auto key = timeline::EvaluateCrop(seg.crop, timeline::Interpolation::kSmooth,
                                        MediaTime::FromSecondsApprox(t - seg.start.ToSeconds()));
      RectF w = timeline::CropWindow(key, r.source_width, r.source_height, 1080, 1920);
      double face_x = (who == 0 ? 0.25 : 0.75) * r.source_width;
      ++total;
      inside += face_x >= w.x && face_x <= w.x + w.w;
    }
  }
  return total > 0 ? static_cast<double>(inside) / total : 0;
}

TEST(FramingPlannerTest, FollowsTheActiveSpeakerAndHoldsStill) {
  FramingRequest r = TwoPeople(12, Turns);
  r.forced_layout = Layout::kFill;
  auto plan = PlanFraming(r);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_GE(SpeakerInCropShare(r, *plan), 0.95);
  // A, B, A: the half-second interjection does not move the camera.
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_EQ((*plan)[0].subject_track, 0);
  EXPECT_EQ((*plan)[1].subject_track, 1);
  EXPECT_EQ((*plan)[2].subject_track, 0);
  for (const FramingSegment& seg : *plan) {
    EXPECT_EQ(seg.mode, CameraMode::kSteady);
    EXPECT_EQ(seg.crop.size(), 1u) << "still speaker: the crop must not move";
    EXPECT_GE((seg.end - seg.start).ToSeconds(), 1.5 - 1e-6);
  }
  // The camera is on B about 0.2 s before B starts talking at 4 s.
  EXPECT_NEAR((*plan)[1].start.ToSeconds(), 3.8, 0.21);
  // Segments tile the clip exactly.
  EXPECT_EQ(plan->front().start, r.start);
  EXPECT_EQ(plan->back().end, r.end);
  for (size_t i = 1; i < plan->size(); ++i) EXPECT_EQ((*plan)[i].start, (*plan)[i - 1].end);
}

TEST(FramingPlannerTest, AlternatingPairInViewGetsTheSplitLayout) {
  FramingRequest r = TwoPeople(12, Turns);
  auto plan = PlanFraming(r);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 1u);
  const FramingSegment& seg = (*plan)[0];
  EXPECT_EQ(seg.layout, Layout::kSplit);
  ASSERT_FALSE(seg.crop.empty());
  ASSERT_FALSE(seg.crop_secondary.empty());
  // Each half holds one of the two faces.
  EXPECT_NEAR(seg.crop[0].cx, 0.25, 0.05);
  EXPECT_NEAR(seg.crop_secondary[0].cx, 0.75, 0.05);
}

TEST(FramingPlannerTest, OneSpeakerStaysFilled) {
  FramingRequest r = TwoPeople(8, [](double) { return 0; });
  auto plan = PlanFraming(r);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 1u);
  EXPECT_EQ((*plan)[0].layout, Layout::kFill);
  EXPECT_EQ((*plan)[0].subject_track, 0);
}

TEST(FramingPlannerTest, NoFacesMeansCentreFraming) {
  FramingRequest r;
  r.source_width = 1280;
  r.source_height = 720;
  r.end = MediaTime(5, {1, 1});
  auto plan = PlanFraming(r);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 1u);
  EXPECT_EQ((*plan)[0].subject_track, -1);
  EXPECT_NEAR((*plan)[0].crop[0].cx, 0.5, 1e-9);
  EXPECT_NE((*plan)[0].reason.find("no face"), std::string::npos);
}

TEST(FramingPlannerTest, ShotCutsStartNewSegments) {
  FramingRequest r = TwoPeople(8, [](double) { return 0; });
  r.cuts_s = {3.0};
  auto plan = PlanFraming(r);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_NEAR((*plan)[1].start.ToSeconds(), 3.0, 1.0 / 30);
}

TEST(FramingPlannerTest, WideGroupThatNobodyLeadsIsFittedWithBlur) {
  FramingRequest r;
  r.source_width = 1920;
  r.source_height = 1080;
  r.end = MediaTime(4, {1, 1});
  for (int i = 0; i < 20; ++i) {
    for (int track : {0, 1, 2})
      r.faces.push_back({i / 5.0, track, 0.15 + 0.35 * track, 0.4, 0.08, 0.15, 0.0});
  }
  auto plan = PlanFraming(r);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 1u);
  EXPECT_EQ((*plan)[0].layout, Layout::kFitBlur);
}

TEST(FramingPlannerTest, BadRequestsAreErrors) {
  FramingRequest r;
  EXPECT_FALSE(PlanFraming(r).ok());
  r.source_width = 100;
  r.source_height = 100;
  EXPECT_FALSE(PlanFraming(r).ok());  // empty range
}

}  // namespace
}  // namespace cutroom::reframe
