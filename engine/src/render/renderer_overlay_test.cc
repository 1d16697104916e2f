// RenderTimeline with segment transitions (crossfade, slide, zoom) and image overlays (PNG alpha,
// JPEG opaque, fade/rise/pop entrances): rendered to real MP4 files and decoded back with the
// ffmpeg CLI.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "render/renderer.h"
#include "test_support.h"

namespace cutroom::render {
namespace {

using ::testing::HasSubstr;

constexpr int kWidth = 320;
constexpr int kHeight = 240;
constexpr int kFps = 30;

MediaTime Ms(int64_t ms) { return MediaTime(ms, {1, 1000}); }

// A seek returns the first frame at or after the time: a quarter frame early lands on `index`.
double FrameTime(int index) { return index == 0 ? 0.0 : (index - 0.25) / kFps; }

struct Luma {
  std::vector<uint8_t> pixels;
  int at(int x, int y) const { return pixels[static_cast<size_t>(y) * kWidth + x]; }
  // Mean over a rectangle.
  double Mean(int x0, int y0, int x1, int y1) const {
    double sum = 0;
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) sum += at(x, y);
    return sum / ((x1 - x0) * (y1 - y0));
  }
  // Largest distance from `level` over the whole frame.
  int MaxDistance(int level) const {
    int worst = 0;
    for (uint8_t p : pixels) worst = std::max(worst, std::abs(p - level));
    return worst;
  }
};

Luma LumaAt(const std::string& video, int frame) {
  int w = 0, h = 0;
  Luma luma{cutroom::testing::GrayFrameAt(video, FrameTime(frame), &w, &h)};
  EXPECT_EQ(w, kWidth);
  EXPECT_EQ(h, kHeight);
  EXPECT_FALSE(luma.pixels.empty()) << video << " frame " << frame;
  if (luma.pixels.size() != static_cast<size_t>(kWidth) * kHeight) {
    luma.pixels.assign(static_cast<size_t>(kWidth) * kHeight, 0);
  }
  return luma;
}

// Frame `index` of `video` as packed RGB.
std::vector<uint8_t> RgbAt(const std::string& video, int index) {
  char cmd[1024];
  std::snprintf(
      cmd, sizeof(cmd),
      "ffmpeg -nostdin -v error -ss %.6f -i '%s' -frames:v 1 -f rawvideo -pix_fmt rgb24 -",
      FrameTime(index), video.c_str());
  std::vector<uint8_t> pixels(static_cast<size_t>(kWidth) * kHeight * 3);
  FILE* pipe = popen(cmd, "r");
  if (pipe == nullptr) return {};
  size_t got = fread(pixels.data(), 1, pixels.size(), pipe);
  pclose(pipe);
  if (got != pixels.size()) return {};
  return pixels;
}

const uint8_t* Rgb(const std::vector<uint8_t>& rgb, int x, int y) {
  return &rgb[(static_cast<size_t>(y) * kWidth + x) * 3];
}

bool IsRed(const std::vector<uint8_t>& rgb, int x, int y) {
  const uint8_t* p = Rgb(rgb, x, y);
  return p[0] > 180 && p[1] < 70 && p[2] < 70;
}

bool IsGrey(const std::vector<uint8_t>& rgb, int x, int y) {
  const uint8_t* p = Rgb(rgb, x, y);
  return std::abs(p[0] - 128) < 12 && std::abs(p[1] - 128) < 12 && std::abs(p[2] - 128) < 12;
}

class RendererOverlayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(Solid("black.png", "black"));
    ASSERT_TRUE(Solid("white.png", "white"));
    ASSERT_TRUE(Solid("grey.png", "0x808080"));
  }

  bool Solid(const std::string& name, const std::string& colour) {
    return cutroom::testing::Ffmpeg("-f lavfi -i color=c=" + colour +
                                    ":s=" + std::to_string(kWidth) + "x" + std::to_string(kHeight) +
                                    " -frames:v 1 '" + dir_.File(name) + "'");
  }

  static timeline::Segment Still(const std::string& source, int64_t ms) {
    timeline::Segment s;
    s.source = source;
    s.in = MediaTime::Zero();
    s.out = Ms(ms);
    s.mute = true;
    return s;
  }

  // Image sources black, white, grey (and `extra`); no audio, fast encoder, near-lossless.
  timeline::Timeline Base(std::vector<timeline::Source> extra = {}) const {
    timeline::Timeline t;
    t.output.width = kWidth;
    t.output.height = kHeight;
    t.output.fps = Rational{kFps, 1};
    t.output.video.preset = "ultrafast";
    t.output.video.crf = 4;
    t.output.audio.reset();
    t.sources = {{"black", dir_.File("black.png"), timeline::SourceKind::kImage},
                 {"white", dir_.File("white.png"), timeline::SourceKind::kImage},
                 {"grey", dir_.File("grey.png"), timeline::SourceKind::kImage}};
    for (auto& s : extra) t.sources.push_back(s);
    return t;
  }

  // Black for 1 s, then white for 1 s starting with `kind` over 0.4 s (12 frames: 30..41).
  std::string RenderBlackToWhite(timeline::TransitionKind kind) {
    timeline::Timeline t = Base();
    t.segments = {Still("black", 1000), Still("white", 1000)};
    t.segments[1].transition = {kind, Ms(400)};
    const std::string out = dir_.File("transition.mp4");
    auto stats = RenderTimeline(t, out, RenderOptions{});
    EXPECT_TRUE(stats.ok()) << stats.status().ToString();
    if (stats.ok()) {
      EXPECT_EQ(stats->frames, 60);  // a transition adds no time
    }
    return out;
  }

  cutroom::testing::TempDir dir_;
};

TEST_F(RendererOverlayTest, CrossfadeIsMidGreyHalfWayAndExactOutsideTheTransition) {
  const std::string out = RenderBlackToWhite(timeline::TransitionKind::kCrossfade);
  const int black = LumaAt(out, 29).at(160, 120);
  const int white = LumaAt(out, 45).at(160, 120);
  ASSERT_GT(white - black, 150);
  // Before: the whole picture is black; its first frame still shows the old picture.
  EXPECT_LE(LumaAt(out, 29).MaxDistance(black), 2);
  EXPECT_LE(LumaAt(out, 30).MaxDistance(black), 2);
  // Half way (offset 0.2 s of 0.4 s): an even mid grey over the whole frame.
  Luma half = LumaAt(out, 36);
  const int mid = (black + white) / 2;
  EXPECT_LE(half.MaxDistance(mid), 6) << "black " << black << " white " << white;
  // Eased: a quarter of the way in, less than a quarter of the way to white.
  const double quarter = (LumaAt(out, 33).Mean(0, 0, kWidth, kHeight) - black) / (white - black);
  EXPECT_GT(quarter, 0.05);
  EXPECT_LT(quarter, 0.25);
  // After the transition: exactly white, to the end.
  EXPECT_LE(LumaAt(out, 42).MaxDistance(white), 2);
  EXPECT_LE(LumaAt(out, 59).MaxDistance(white), 2);
}

TEST_F(RendererOverlayTest, SlidePushesTheOldPictureOutToTheLeft) {
  const std::string out = RenderBlackToWhite(timeline::TransitionKind::kSlide);
  const int black = LumaAt(out, 29).at(160, 120);
  const int white = LumaAt(out, 45).at(160, 120);
  const int mid = (black + white) / 2;
  // Half way: the left half still shows the old picture, the right half the new one.
  Luma half = LumaAt(out, 36);
  int edge = -1;
  for (int x = 0; x < kWidth; ++x) {
    if (half.at(x, 120) > mid) {
      edge = x;
      break;
    }
  }
  EXPECT_NEAR(edge, kWidth / 2, 3);
  EXPECT_NEAR(half.Mean(0, 0, 150, kHeight), black, 3);
  EXPECT_NEAR(half.Mean(170, 0, kWidth, kHeight), white, 3);
  // Earlier, only a narrow strip of the new picture has come in from the right.
  Luma early = LumaAt(out, 32);
  EXPECT_NEAR(early.Mean(0, 0, 250, kHeight), black, 3);
  EXPECT_NEAR(early.Mean(kWidth - 10, 0, kWidth, kHeight), white, 3);
  EXPECT_LE(LumaAt(out, 42).MaxDistance(white), 2);
}

TEST_F(RendererOverlayTest, ZoomGrowsTheNewPictureFromTheCentre) {
  const std::string out = RenderBlackToWhite(timeline::TransitionKind::kZoom);
  const int black = LumaAt(out, 29).at(160, 120);
  const int white = LumaAt(out, 45).at(160, 120);
  // Three quarters in: the centre is mostly the new picture, the border still the old one.
  Luma late = LumaAt(out, 39);
  EXPECT_GT(late.at(160, 120), black + 0.7 * (white - black));
  EXPECT_NEAR(late.at(1, 1), black, 3);
  EXPECT_NEAR(late.at(kWidth - 2, kHeight - 2), black, 3);
  // Early: the new picture covers about 85% of the frame, faintly.
  Luma early = LumaAt(out, 31);
  EXPECT_NEAR(early.at(8, 120), black, 3);
  EXPECT_GT(early.at(160, 120), black);
  EXPECT_LT(early.at(160, 120), black + 0.2 * (white - black));
  EXPECT_LE(LumaAt(out, 42).MaxDistance(white), 2);
}

TEST_F(RendererOverlayTest, PngAlphaColoursOnlyTheOpaqueHalfFromStart) {
  // 160x120: the left half opaque red, the right half fully transparent.
  const std::string png = dir_.File("half.png");
  ASSERT_TRUE(cutroom::testing::Ffmpeg(
      "-f lavfi -i color=c=red:s=160x120 -vf "
      "\"format=rgba,geq=r='255':g='0':b='0':a='if(lt(X,80),255,0)'\" -frames:v 1 '" +
      png + "'"));
  timeline::Timeline t = Base({{"half", png, timeline::SourceKind::kImage}});
  t.segments = {Still("grey", 2000)};
  timeline::Overlay overlay;
  overlay.source = "half";
  overlay.start = Ms(1000);
  overlay.end = Ms(2000);
  overlay.x = 0.25;     // 80 px
  overlay.y = 0.25;     // 60 px
  overlay.width = 0.5;  // 160 px: drawn at its own size
  t.overlays = {overlay};
  const std::string out = dir_.File("overlay.mp4");
  auto stats = RenderTimeline(t, out, RenderOptions{});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();

  std::vector<uint8_t> before = RgbAt(out, 29);
  ASSERT_FALSE(before.empty());
  EXPECT_TRUE(IsGrey(before, 120, 120));
  EXPECT_TRUE(IsGrey(before, 200, 120));

  std::vector<uint8_t> at = RgbAt(out, 30);  // t = 1.0 s exactly: the overlay's start
  ASSERT_FALSE(at.empty());
  EXPECT_TRUE(IsRed(at, 84, 64));
  EXPECT_TRUE(IsRed(at, 120, 120));
  EXPECT_TRUE(IsRed(at, 155, 175));
  // The transparent half and everything outside the picture stay untouched.
  EXPECT_TRUE(IsGrey(at, 165, 120));
  EXPECT_TRUE(IsGrey(at, 200, 120));
  EXPECT_TRUE(IsGrey(at, 236, 175));
  EXPECT_TRUE(IsGrey(at, 76, 120));
  EXPECT_TRUE(IsGrey(at, 120, 56));
  EXPECT_TRUE(IsGrey(at, 120, 184));
  EXPECT_TRUE(IsGrey(at, 300, 20));
}

TEST_F(RendererOverlayTest, FadeOverlayIsHalfOpaqueHalfWayInAndOut) {
  // A JPEG has no alpha: the whole picture is opaque. Scaled from 64x64 to the full width.
  const std::string jpg = dir_.File("white.jpg");
  ASSERT_TRUE(
      cutroom::testing::Ffmpeg("-f lavfi -i color=c=white:s=64x64 -frames:v 1 '" + jpg + "'"));
  timeline::Timeline t = Base({{"card", jpg, timeline::SourceKind::kImage}});
  t.segments = {Still("black", 3000)};
  timeline::Overlay overlay;
  overlay.source = "card";
  overlay.start = Ms(500);
  overlay.end = Ms(3000);
  overlay.y = 1.0 / 6;  // a 320x320 square from y = 40: past the bottom, clipped
  overlay.animation = timeline::OverlayAnimation::kFade;
  overlay.animation_duration = Ms(1000);
  t.overlays = {overlay};
  const std::string out = dir_.File("fade.mp4");
  auto stats = RenderTimeline(t, out, RenderOptions{});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();

  const int black = LumaAt(out, 10).at(160, 120);
  Luma full = LumaAt(out, 50);  // 1.67 s: fully in
  const int white = full.at(160, 120);
  ASSERT_GT(white - black, 150);
  EXPECT_NEAR(full.at(160, 20), black, 3);  // above the overlay
  EXPECT_NEAR(full.at(10, 239), white, 3);  // clipped at the bottom edge, not wrapped
  // Half way through the entrance (1.0 s) and through the exit (2.5 s): half opacity.
  const double in = (LumaAt(out, 30).at(160, 120) - black) / double(white - black);
  EXPECT_NEAR(in, 0.5, 0.05);
  const double exit = (LumaAt(out, 75).at(160, 120) - black) / double(white - black);
  EXPECT_NEAR(exit, 0.5, 0.05);
  EXPECT_NEAR(LumaAt(out, 14).at(160, 120), black, 3);  // before its start
}

TEST_F(RendererOverlayTest, RiseAndPopEntrancesMoveAndGrowIntoPlace) {
  // A white 80x80 square, placed at (120, 80), entering over 1 s from 1 s.
  const std::string png = dir_.File("square.png");
  ASSERT_TRUE(
      cutroom::testing::Ffmpeg("-f lavfi -i color=c=white:s=80x80 -frames:v 1 '" + png + "'"));
  for (auto animation : {timeline::OverlayAnimation::kRise, timeline::OverlayAnimation::kPop}) {
    timeline::Timeline t = Base({{"square", png, timeline::SourceKind::kImage}});
    t.segments = {Still("black", 2500)};
    timeline::Overlay overlay;
    overlay.source = "square";
    overlay.start = Ms(1000);
    overlay.end = Ms(2500);
    overlay.x = 0.375;
    overlay.y = 1.0 / 3;
    overlay.width = 0.25;
    overlay.animation = animation;
    overlay.animation_duration = Ms(1000);
    t.overlays = {overlay};
    const std::string out = dir_.File("entrance.mp4");
    auto stats = RenderTimeline(t, out, RenderOptions{});
    ASSERT_TRUE(stats.ok()) << stats.status().ToString();
    const std::string name(timeline::OverlayAnimationName(animation));

    Luma settled = LumaAt(out, 65);
    const int black = settled.at(5, 5);
    const int white = settled.at(160, 120);
    ASSERT_GT(white - black, 150) << name;
    EXPECT_NEAR(settled.at(160, 81), white, 3) << name;  // top edge in place
    EXPECT_NEAR(settled.at(160, 78), black, 3) << name;
    // Half way: half opacity, and the square is not yet in place at its top edge.
    Luma half = LumaAt(out, 45);
    EXPECT_NEAR(half.at(160, 120), (black + white) / 2.0, 0.06 * (white - black)) << name;
    EXPECT_NEAR(half.at(160, 81), black, 3) << name;
    if (animation == timeline::OverlayAnimation::kRise) {
      // 4% of 240 px below at the start, half of that (eased) half way.
      EXPECT_GT(half.at(160, 161), black + 0.3 * (white - black)) << name;
    } else {
      // 90% of its size about its centre: 4 px in from each side.
      EXPECT_NEAR(half.at(122, 120), black, 3) << name;
      EXPECT_NEAR(half.at(197, 120), black, 3) << name;
    }
  }
}

TEST_F(RendererOverlayTest, OverlayErrorsNameTheField) {
  const std::string video = dir_.File("clip.mp4");
  ASSERT_TRUE(cutroom::testing::Ffmpeg("-f lavfi -i testsrc=s=320x240:d=1 '" + video + "'"));
  timeline::Timeline base = Base({{"clip", video, timeline::SourceKind::kVideo}});
  base.segments = {Still("grey", 2000)};
  timeline::Overlay overlay{"white", Ms(0), Ms(1000)};

  auto render = [&](const timeline::Timeline& t) {
    auto stats = RenderTimeline(t, dir_.File("bad.mp4"), RenderOptions{});
    EXPECT_FALSE(stats.ok());
    EXPECT_FALSE(cutroom::testing::FileExists(dir_.File("bad.mp4")));
    return stats.ok() ? std::string() : stats.status().message();
  };

  timeline::Timeline t = base;
  t.overlays = {overlay};
  t.overlays[0].source = "clip";
  EXPECT_THAT(render(t), HasSubstr("overlays[0].source: source 'clip' is not an image source"));

  t = base;
  t.overlays = {overlay};
  t.overlays[0].source = "logo";
  EXPECT_THAT(render(t), HasSubstr("overlays[0].source: unknown source 'logo'"));

  // A declared image source whose file is missing: named by source and path.
  t = base;
  t.sources.push_back({"logo", dir_.File("missing.png"), timeline::SourceKind::kImage});
  t.overlays = {overlay};
  t.overlays[0].source = "logo";
  std::string message = render(t);
  EXPECT_THAT(message, HasSubstr("source 'logo'"));
  EXPECT_THAT(message, HasSubstr("missing.png"));

  t = base;
  t.overlays = {overlay};
  t.overlays[0].start = Ms(1500);
  t.overlays[0].end = Ms(2500);
  EXPECT_THAT(render(t), HasSubstr("overlays[0].end: 2.5 s is past the end of the timeline (2 s)"));
  t.overlays[0].start = Ms(-500);
  t.overlays[0].end = Ms(1000);
  EXPECT_THAT(render(t), HasSubstr("overlays[0].start: -0.5 s is before the timeline start"));

  t = base;
  t.segments = {Still("grey", 1000), Still("white", 1000)};
  t.segments[0].transition = {timeline::TransitionKind::kCrossfade, Ms(500)};
  EXPECT_THAT(
      render(t),
      HasSubstr("segments[0].transition: the first segment has nothing to transition from"));
}

}  // namespace
}  // namespace cutroom::render
