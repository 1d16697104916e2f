#include "captions/ass_overlay.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "captions/caption_styles.h"

namespace cutroom::captions {
namespace {

using ::testing::HasSubstr;

constexpr int kWidth = 1080;
constexpr int kHeight = 1920;
// Rows are padded past the width, as decoders do, to check that the overlay honours linesize.
constexpr int kPadding = 24;

MediaTime Ms(int64_t ms) { return MediaTime(ms, {1, 1000}); }

// A mid-grey yuv420p frame over std::vector planes.
struct TestFrame {
  explicit TestFrame(int width = kWidth, int height = kHeight) {
    int cw = (width + 1) / 2, ch = (height + 1) / 2;
    y.assign(static_cast<size_t>(width + kPadding) * height, 128);
    u.assign(static_cast<size_t>(cw + kPadding) * ch, 128);
    v.assign(static_cast<size_t>(cw + kPadding) * ch, 128);
    frame.format = PixelFormat::kYuv420p;
    frame.width = width;
    frame.height = height;
    frame.data = {y.data(), u.data(), v.data(), nullptr};
    frame.linesize = {width + kPadding, cw + kPadding, cw + kPadding, 0};
  }
  std::vector<uint8_t> y, u, v;
  VideoFrame frame;
};

timeline::CaptionTrack OneWord(const std::string& style = "highlight_word") {
  timeline::CaptionTrack track;
  track.style = style;
  track.words.push_back({"Hello", Ms(1000), Ms(1500)});
  return track;
}

std::unique_ptr<AssOverlay> MakeOverlay(const timeline::CaptionTrack& track,
                                        const std::string& font_file = "") {
  Result<std::string> script = BuildAssScript(track, kWidth, kHeight);
  EXPECT_TRUE(script.ok()) << script.status().ToString();
  if (!script.ok()) return nullptr;
  Result<std::unique_ptr<AssOverlay>> overlay =
      AssOverlay::Create(*script, kWidth, kHeight, font_file);
  EXPECT_TRUE(overlay.ok()) << overlay.status().ToString();
  return overlay.ok() ? std::move(*overlay) : nullptr;
}

struct Change {
  int luma_changed = 0;
  int chroma_changed = 0;
  int min_x = kWidth, max_x = -1, min_y = kHeight, max_y = -1;
  int bright = 0;  // luma > 170
  int dark = 0;    // luma < 60
  int low_u = 0;   // Cb well below neutral: yellow
  bool padding_touched = false;
};

Change Diff(const TestFrame& f) {
  Change c;
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth + kPadding; ++x) {
      uint8_t value = f.y[static_cast<size_t>(y) * (kWidth + kPadding) + x];
      if (value == 128) continue;
      if (x >= kWidth) {
        c.padding_touched = true;
        continue;
      }
      ++c.luma_changed;
      c.min_x = std::min(c.min_x, x);
      c.max_x = std::max(c.max_x, x);
      c.min_y = std::min(c.min_y, y);
      c.max_y = std::max(c.max_y, y);
      c.bright += value > 170;
      c.dark += value < 60;
    }
  }
  for (size_t i = 0; i < f.u.size(); ++i) {
    c.chroma_changed += f.u[i] != 128 || f.v[i] != 128;
    c.low_u += f.u[i] < 100;
  }
  return c;
}

TEST(AssOverlayTest, CaptionAppearsOnlyWhileItsWordIsSpokenInTheSafeZone) {
  std::unique_ptr<AssOverlay> overlay = MakeOverlay(OneWord());
  ASSERT_NE(overlay, nullptr);

  TestFrame before;
  ASSERT_TRUE(overlay->BlendOnto(before.frame, Ms(500)).ok());
  EXPECT_EQ(Diff(before).luma_changed, 0);
  EXPECT_EQ(Diff(before).chroma_changed, 0);

  TestFrame during;
  ASSERT_TRUE(overlay->BlendOnto(during.frame, Ms(1200)).ok());
  Change c = Diff(during);
  EXPECT_GT(c.luma_changed, 5000);
  EXPECT_FALSE(c.padding_touched);
  // Centred horizontally, inside the 8% side margins.
  EXPECT_NEAR((c.min_x + c.max_x) / 2.0, kWidth / 2.0, 40);
  EXPECT_GE(c.min_x, kWidth * 0.08);
  EXPECT_LE(c.max_x, kWidth * 0.92);
  // Lower third: clear of the bottom 25% where phone apps draw their UI, below the middle.
  EXPECT_LT(c.max_y, kHeight * 0.75);
  EXPECT_GT(c.min_y, kHeight * 0.5);
  // Light text with a dark outline.
  EXPECT_GT(c.bright, 1000);
  EXPECT_GT(c.dark, 1000);
  // The single word is the active one: drawn in the yellow highlight, which has low Cb.
  EXPECT_GT(c.low_u, 200);

  TestFrame after;
  ASSERT_TRUE(overlay->BlendOnto(after.frame, Ms(1600)).ok());
  EXPECT_EQ(Diff(after).luma_changed, 0);
  EXPECT_EQ(Diff(after).chroma_changed, 0);
}

TEST(AssOverlayTest, NotShownOneMillisecondBeforeTheWord) {
  std::unique_ptr<AssOverlay> overlay = MakeOverlay(OneWord());
  ASSERT_NE(overlay, nullptr);
  TestFrame early;
  ASSERT_TRUE(overlay->BlendOnto(early.frame, MediaTime(999999, {1, 1000000})).ok());
  EXPECT_EQ(Diff(early).luma_changed, 0);
  TestFrame on_time;
  ASSERT_TRUE(overlay->BlendOnto(on_time.frame, Ms(1000)).ok());
  EXPECT_GT(Diff(on_time).luma_changed, 0);
}

TEST(AssOverlayTest, WhiteTextMakesLumaBrighter) {
  timeline::CaptionTrack track = OneWord("minimal");
  track.outline_colour = "#FFFFFF";  // white outline too: every touched pixel must get brighter
  std::unique_ptr<AssOverlay> overlay = MakeOverlay(track);
  ASSERT_NE(overlay, nullptr);
  TestFrame f;
  ASSERT_TRUE(overlay->BlendOnto(f.frame, Ms(1200)).ok());
  int brighter = 0, darker = 0;
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      uint8_t value = f.y[static_cast<size_t>(y) * (kWidth + kPadding) + x];
      brighter += value > 128;
      darker += value < 128;
    }
  }
  EXPECT_GT(brighter, 2000);
  EXPECT_EQ(darker, 0);
  // Fully covered pixels reach limited-range white.
  EXPECT_EQ(*std::max_element(f.y.begin(), f.y.end()), 235);
  // White is neutral: chroma stays put (within rounding).
  for (uint8_t u : f.u) ASSERT_NEAR(u, 128, 1);
}

TEST(AssOverlayTest, BlendingTwiceIntoFreshFramesGivesTheSameResult) {
  std::unique_ptr<AssOverlay> overlay = MakeOverlay(OneWord("bounce"));
  ASSERT_NE(overlay, nullptr);
  TestFrame a, b;
  ASSERT_TRUE(overlay->BlendOnto(a.frame, Ms(1300)).ok());
  ASSERT_TRUE(overlay->BlendOnto(b.frame, Ms(1300)).ok());  // libass reports "no change"
  EXPECT_GT(Diff(a).luma_changed, 0);
  EXPECT_EQ(a.y, b.y);
  EXPECT_EQ(a.u, b.u);
}

TEST(AssOverlayTest, RejectsAFrameOfTheWrongShape) {
  std::unique_ptr<AssOverlay> overlay = MakeOverlay(OneWord());
  ASSERT_NE(overlay, nullptr);
  TestFrame small(640, 360);
  Status status = overlay->BlendOnto(small.frame, Ms(1200));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  TestFrame gray;
  gray.frame.format = PixelFormat::kGray8;
  EXPECT_FALSE(overlay->BlendOnto(gray.frame, Ms(1200)).ok());
}

TEST(AssOverlayTest, MissingFontFileIsAnErrorNamingIt) {
  Result<std::string> script = BuildAssScript(OneWord(), kWidth, kHeight);
  ASSERT_TRUE(script.ok());
  const std::string path = "/nonexistent/cutroom/Missing-Font.ttf";
  Result<std::unique_ptr<AssOverlay>> overlay = AssOverlay::Create(*script, kWidth, kHeight, path);
  ASSERT_FALSE(overlay.ok());
  EXPECT_THAT(overlay.status().message(), HasSubstr(path));
}

TEST(AssOverlayTest, EmptyFontFileIsAnErrorNamingIt) {
  Result<std::string> script = BuildAssScript(OneWord(), kWidth, kHeight);
  ASSERT_TRUE(script.ok());
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("cutroom_empty_font_" + std::to_string(getpid()) + ".ttf");
  { std::ofstream create(path); }
  Result<std::unique_ptr<AssOverlay>> overlay =
      AssOverlay::Create(*script, kWidth, kHeight, path.string());
  std::filesystem::remove(path);
  ASSERT_FALSE(overlay.ok());
  EXPECT_THAT(overlay.status().message(), HasSubstr(path.string()));
}

TEST(AssOverlayTest, FontFileOverridesTheFamily) {
  const std::string serif = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf";
  ASSERT_TRUE(std::filesystem::exists(serif)) << "scripts/setup installs fonts-dejavu-core";
  std::unique_ptr<AssOverlay> sans = MakeOverlay(OneWord("minimal"));
  std::unique_ptr<AssOverlay> with_file = MakeOverlay(OneWord("minimal"), serif);
  ASSERT_NE(sans, nullptr);
  ASSERT_NE(with_file, nullptr);
  TestFrame a, b;
  ASSERT_TRUE(sans->BlendOnto(a.frame, Ms(1200)).ok());
  ASSERT_TRUE(with_file->BlendOnto(b.frame, Ms(1200)).ok());
  EXPECT_GT(Diff(b).luma_changed, 1000);
  EXPECT_NE(a.y, b.y) << "the serif font file was not used";
}

TEST(AssOverlayTest, UnparseableScriptIsAnError) {
  Result<std::unique_ptr<AssOverlay>> overlay =
      AssOverlay::Create("this is not a subtitle script", kWidth, kHeight, "");
  EXPECT_FALSE(overlay.ok());
}

}  // namespace
}  // namespace cutroom::captions
