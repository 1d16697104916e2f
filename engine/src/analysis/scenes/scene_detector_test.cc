#include "analysis/scenes/scene_detector.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

namespace cutroom::analysis {
namespace {

constexpr int kW = 64;
constexpr int kH = 36;
const Rational kFrameBase{1, 30};

Plane8 Flat(uint8_t value) {
  Plane8 p;
  p.width = kW;
  p.height = kH;
  p.pixels.assign(static_cast<size_t>(kW * kH), value);
  return p;
}

// A shot: a flat YUV colour with a little per-frame noise, like compressed video of a still.
SmallYuv Shot(uint8_t y, uint8_t u, uint8_t v, std::mt19937* rng) {
  SmallYuv f{Flat(y), Flat(u), Flat(v)};
  std::uniform_int_distribution<int> noise(-2, 2);
  for (auto& px : f.y.pixels) px = static_cast<uint8_t>(std::clamp(px + noise(*rng), 16, 235));
  return f;
}

// A textured picture scrolled by `offset` pixels: every frame differs a lot from the previous.
SmallYuv Scrolled(int offset) {
  SmallYuv f{Flat(0), Flat(128), Flat(128)};
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      const int sx = x + offset;
      f.y.pixels[static_cast<size_t>(y * kW + x)] =
          static_cast<uint8_t>(((sx / 4 + y / 4) % 2) ? 200 : 40 + (sx * 7 + y * 3) % 60);
      f.u.pixels[static_cast<size_t>(y * kW + x)] = static_cast<uint8_t>(100 + (sx % 16) * 4);
    }
  }
  return f;
}

TEST(SceneDetectorTest, FindsHardCutsAtTheirFrames) {
  std::mt19937 rng(1);
  SceneDetector detector;
  const int cuts_at[] = {30, 75, 140};
  const uint8_t colours[][3] = {{80, 90, 160}, {150, 160, 80}, {60, 200, 120}, {180, 100, 100}};
  int shot = 0;
  for (int i = 0; i < 200; ++i) {
    if (shot < 3 && i == cuts_at[shot]) ++shot;
    detector.Add(Shot(colours[shot][0], colours[shot][1], colours[shot][2], &rng), MediaTime(i, kFrameBase));
  }
  detector.Finish();
  ASSERT_EQ(detector.cuts().size(), 3u);
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(detector.cuts()[static_cast<size_t>(k)].frame_index, cuts_at[k]);
    EXPECT_EQ(detector.cuts()[static_cast<size_t>(k)].time, MediaTime(cuts_at[k], kFrameBase));
    EXPECT_EQ(detector.cuts()[static_cast<size_t>(k)].kind, CutKind::kHard);
    EXPECT_GT(detector.cuts()[static_cast<size_t>(k)].confidence, 0.5);
  }
}

TEST(SceneDetectorTest, FastScrollingShotHasNoCut) {
  SceneDetector detector;
  for (int i = 0; i < 120; ++i) detector.Add(Scrolled(i * 5), MediaTime(i, kFrameBase));
  detector.Finish();
  EXPECT_TRUE(detector.cuts().empty()) << "first false cut at frame " << detector.cuts()[0].frame_index;
}

TEST(SceneDetectorTest, CutIntoFastMotionIsFound) {
  std::mt19937 rng(2);
  SceneDetector detector;
  for (int i = 0; i < 90; ++i) {
    if (i < 30) {
      detector.Add(Shot(120, 100, 150, &rng), MediaTime(i, kFrameBase));
    } else {
      detector.Add(Scrolled(i), MediaTime(i, kFrameBase));  // a fast pan: 1/64 frame a frame
    }
  }
  detector.Finish();
  ASSERT_EQ(detector.cuts().size(), 1u);
  EXPECT_EQ(detector.cuts()[0].frame_index, 30);
}

TEST(SceneDetectorTest, FadeThroughBlackIsOneCutInTheDarkMiddle) {
  std::mt19937 rng(3);
  SceneDetector detector;
  // 40 frames of shot A fading out over its last 15 frames, then shot B fading in over 15.
  for (int i = 0; i < 80; ++i) {
    double gain = 1.0;
    if (i >= 25 && i < 40) gain = (39 - i) / 15.0;
    if (i >= 40 && i < 55) gain = (i - 40) / 15.0;
    const uint8_t y = static_cast<uint8_t>(16 + gain * (i < 40 ? 150 : 120));
    const uint8_t u = static_cast<uint8_t>(128 + gain * (i < 40 ? -30 : 40));
    detector.Add(Shot(y, u, 128, &rng), MediaTime(i, kFrameBase));
  }
  detector.Finish();
  ASSERT_EQ(detector.cuts().size(), 1u);
  EXPECT_EQ(detector.cuts()[0].kind, CutKind::kFade);
  EXPECT_NEAR(static_cast<double>(detector.cuts()[0].frame_index), 40.0, 1.0);
}

TEST(SceneDetectorTest, StartingFromBlackIsNotACut) {
  std::mt19937 rng(4);
  SceneDetector detector;
  for (int i = 0; i < 60; ++i) {
    const double gain = std::min(1.0, i / 20.0);
    detector.Add(Shot(static_cast<uint8_t>(16 + gain * 150), 128, 128, &rng), MediaTime(i, kFrameBase));
  }
  detector.Finish();
  EXPECT_TRUE(detector.cuts().empty());
}

TEST(SceneDetectorTest, MinimumSceneLengthSuppressesFlicker) {
  std::mt19937 rng(5);
  SceneDetector detector;  // min_scene 0.4 s = 12 frames
  for (int i = 0; i < 90; ++i) {
    // A cut at 30, then a 5-frame insert at 33..37 that is too short to be a scene.
    const bool b = (i >= 30 && i < 33) || i >= 38;
    const bool insert = i >= 33 && i < 38;
    detector.Add(insert ? Shot(200, 60, 60, &rng) : b ? Shot(60, 200, 100, &rng) : Shot(120, 120, 200, &rng),
                 MediaTime(i, kFrameBase));
  }
  detector.Finish();
  ASSERT_FALSE(detector.cuts().empty());
  EXPECT_EQ(detector.cuts()[0].frame_index, 30);
  for (size_t k = 1; k < detector.cuts().size(); ++k) {
    EXPECT_GE((detector.cuts()[k].time - detector.cuts()[k - 1].time).ToSeconds(), 0.4 - 1e-9);
  }
}

TEST(SceneDetectorTest, HsvConversionMatchesKnownColours) {
  uint8_t h, s, v;
  YuvToHsv(16, 128, 128, &h, &s, &v);  // black
  EXPECT_EQ(v, 0);
  YuvToHsv(235, 128, 128, &h, &s, &v);  // white
  EXPECT_EQ(v, 255);
  EXPECT_EQ(s, 0);
  YuvToHsv(63, 102, 240, &h, &s, &v);  // BT.709 red
  EXPECT_NEAR(v, 255, 3);
  EXPECT_GT(s, 240);
  EXPECT_TRUE(h < 3 || h > 176) << int(h);
}

}  // namespace
}  // namespace cutroom::analysis
