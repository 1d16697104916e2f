// RenderTimeline with still-image sources: decoded once, shown for the whole segment, steered by
// the crop path (Ken Burns zoom), and a clear error for an image FFmpeg cannot decode.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

// Frame `index` of `video` as packed RGB.
std::vector<uint8_t> RgbFrame(const std::string& video, int index) {
  std::string cmd = "ffmpeg -nostdin -v error -i '" + video + "' -vf 'select=eq(n\\," +
                    std::to_string(index) + ")' -frames:v 1 -f rawvideo -pix_fmt rgb24 -";
  std::vector<uint8_t> pixels(static_cast<size_t>(kWidth) * kHeight * 3);
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return {};
  size_t got = fread(pixels.data(), 1, pixels.size(), pipe);
  pclose(pipe);
  if (got != pixels.size()) return {};
  return pixels;
}

bool IsRed(const std::vector<uint8_t>& rgb, int x, int y) {
  const uint8_t* p = &rgb[(static_cast<size_t>(y) * kWidth + x) * 3];
  return p[0] > 180 && p[1] < 80 && p[2] < 80;
}

// Width of the red run on the middle row.
int RedWidth(const std::vector<uint8_t>& rgb) {
  int count = 0;
  for (int x = 0; x < kWidth; ++x) count += IsRed(rgb, x, kHeight / 2) ? 1 : 0;
  return count;
}

timeline::Timeline ImageTimeline(const std::string& image_path) {
  timeline::Timeline t;
  t.output.width = kWidth;
  t.output.height = kHeight;
  t.output.video.preset = "ultrafast";
  t.sources = {{"slide", image_path, timeline::SourceKind::kImage}};
  timeline::Segment still;
  still.source = "slide";
  still.in = MediaTime::Zero();
  still.out = MediaTime(3, {1, 1});
  still.mute = true;
  still.interpolation = timeline::Interpolation::kLinear;
  still.crop = {{MediaTime::Zero(), 0.5, 0.5, 1.0}, {MediaTime(3, {1, 1}), 0.5, 0.5, 1.5}};
  t.segments = {still};
  return t;
}

TEST(RendererImageTest, StillImageRendersWithZoomForTheSegmentDuration) {
  testing::TempDir dir;
  // An odd-sized 641x481 picture: dark grey with a red 160x120 block in its centre.
  const std::string image = dir.File("slide.png");
  ASSERT_TRUE(
      testing::Ffmpeg("-f lavfi -i color=c=0x202020:s=641x481 -vf "
                      "drawbox=x=240:y=180:w=160:h=120:color=red:t=fill -frames:v 1 '" +
                      image + "'"));
  const std::string out = dir.File("out.mp4");
  auto stats = RenderTimeline(ImageTimeline(image), out, RenderOptions{});
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_EQ(stats->frames, 90);
  EXPECT_NEAR(stats->duration_s, 3.0, 1e-6);
  auto probe =
      testing::Run("ffprobe -v error -show_entries format=duration -of csv=p=0 '" + out + "'");
  EXPECT_NEAR(std::stod(probe.output), 3.0, 0.05) << probe.output;

  // First frame: zoom 1 shows the whole picture (same 4:3 aspect), the block a quarter wide.
  std::vector<uint8_t> first = RgbFrame(out, 0);
  ASSERT_FALSE(first.empty());
  EXPECT_TRUE(IsRed(first, kWidth / 2, kHeight / 2));
  EXPECT_FALSE(IsRed(first, 20, 20));
  EXPECT_NEAR(RedWidth(first), kWidth / 4, 6);
  // Last frame: zoomed in ~1.5x, so the block is ~1.5x wider, still centred.
  std::vector<uint8_t> last = RgbFrame(out, 89);
  ASSERT_FALSE(last.empty());
  EXPECT_TRUE(IsRed(last, kWidth / 2, kHeight / 2));
  EXPECT_NEAR(RedWidth(last), kWidth / 4 * 1.5, 8);
}

TEST(RendererImageTest, CorruptImageGivesAClearErrorNamingTheFile) {
  testing::TempDir dir;
  const std::string good = dir.File("good.png");
  ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i testsrc=s=320x240 -frames:v 1 '" + good + "'"));
  // A PNG signature followed by garbage, and a real PNG cut short.
  const std::string garbage = dir.File("garbage.png");
  testing::WriteFile(garbage, std::string("\x89PNG\r\n\x1a\n", 8) + std::string(2000, 'x'));
  const std::string truncated = dir.File("truncated.png");
  testing::WriteFile(truncated, testing::ReadFile(good).substr(0, 120));
  for (const std::string& bad : {garbage, truncated}) {
    auto stats = RenderTimeline(ImageTimeline(bad), dir.File("out.mp4"), RenderOptions{});
    ASSERT_FALSE(stats.ok()) << bad;
    EXPECT_THAT(stats.status().message(), HasSubstr(bad));
    EXPECT_THAT(stats.status().message(), HasSubstr("source 'slide'"));
    EXPECT_FALSE(testing::FileExists(dir.File("out.mp4")));
  }
}

TEST(RendererImageTest, UnmutedImageSegmentIsRejectedNamingTheField) {
  testing::TempDir dir;
  const std::string image = dir.File("slide.png");
  ASSERT_TRUE(testing::Ffmpeg("-f lavfi -i testsrc=s=320x240 -frames:v 1 '" + image + "'"));
  timeline::Timeline t = ImageTimeline(image);
  t.segments[0].mute = false;
  auto stats = RenderTimeline(t, dir.File("out.mp4"), RenderOptions{});
  ASSERT_FALSE(stats.ok());
  EXPECT_THAT(stats.status().message(), HasSubstr("segments[0].mute"));
}

}  // namespace
}  // namespace cutroom::render
