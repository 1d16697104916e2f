#include "compose/slides/title_card.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>

namespace cutroom::compose {
namespace {

struct Rgb {
  int r = 0, g = 0, b = 0;
};

const uint8_t* At(const VideoFrame& f, int x, int y) {
  return f.data[0] + y * f.linesize[0] + 4 * x;
}

bool Near(const uint8_t* p, Rgb c, int tolerance) {
  return std::abs(p[0] - c.r) <= tolerance && std::abs(p[1] - c.g) <= tolerance &&
         std::abs(p[2] - c.b) <= tolerance;
}

int CountNear(const VideoFrame& f, Rgb c, int tolerance, int x0, int y0, int x1, int y1) {
  int count = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) count += Near(At(f, x, y), c, tolerance) ? 1 : 0;
  }
  return count;
}

// A solid kRgba picture owning its pixels.
VideoFrame Solid(int w, int h, Rgb c) {
  auto pixels = std::make_shared<uint8_t[]>(static_cast<size_t>(w) * h * 4);
  for (int i = 0; i < w * h; ++i) {
    pixels[4 * i] = static_cast<uint8_t>(c.r);
    pixels[4 * i + 1] = static_cast<uint8_t>(c.g);
    pixels[4 * i + 2] = static_cast<uint8_t>(c.b);
    pixels[4 * i + 3] = 255;
  }
  VideoFrame f;
  f.format = PixelFormat::kRgba;
  f.width = w;
  f.height = h;
  f.data[0] = pixels.get();
  f.linesize[0] = w * 4;
  f.owner = pixels;
  return f;
}

SlideStyle Look() {
  SlideStyle style;
  style.background = "#203040";
  style.text = "#FFFFFF";
  style.accent = "#FF0000";
  return style;
}

TEST(TitleCardTest, FlatBackgroundWithLargeCentredTextAndAccentBar) {
  auto card = RenderTitleCard("How tides work", nullptr, 1280, 720, Look());
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  ASSERT_EQ(card->format, PixelFormat::kRgba);
  ASSERT_EQ(card->width, 1280);
  ASSERT_EQ(card->height, 720);
  const Rgb background{0x20, 0x30, 0x40};
  EXPECT_TRUE(Near(At(*card, 0, 0), background, 0));
  EXPECT_TRUE(Near(At(*card, 1279, 719), background, 0));
  // The text is large: many white pixels, all in the middle band, none in the margins.
  int white_middle = CountNear(*card, {255, 255, 255}, 30, 0, 0, 1280, 720);
  EXPECT_GT(white_middle, 1280 * 720 / 50);
  int margin = static_cast<int>(std::round(0.07 * 720));
  EXPECT_EQ(CountNear(*card, {255, 255, 255}, 100, 0, 0, 1280, margin), 0);
  EXPECT_EQ(CountNear(*card, {255, 255, 255}, 100, 0, 720 - margin, 1280, 720), 0);
  // Text left and right of the centre: centred, not left-aligned.
  int left = CountNear(*card, {255, 255, 255}, 30, 0, 0, 640, 720);
  int right = CountNear(*card, {255, 255, 255}, 30, 640, 0, 1280, 720);
  EXPECT_GT(left, 0);
  EXPECT_GT(right, 0);
  EXPECT_LT(std::abs(left - right), (left + right) / 3);
  EXPECT_GT(CountNear(*card, {255, 0, 0}, 10, 0, 0, 1280, 720), 200) << "accent bar";
}

TEST(TitleCardTest, PictureIsCoverScaledAndDarkened) {
  // A 2:1 picture, left half green, right half blue: covering 16:9 crops the sides a little.
  VideoFrame picture = Solid(400, 200, {0, 255, 0});
  for (int y = 0; y < 200; ++y) {
    for (int x = 200; x < 400; ++x) {
      uint8_t* p = picture.data[0] + y * picture.linesize[0] + 4 * x;
      p[1] = 0;
      p[2] = 255;
    }
  }
  auto card = RenderTitleCard("", &picture, 1280, 720, Look());
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  // Darkened by half: green 255 -> about 128; corners show the picture, not the flat colour.
  EXPECT_TRUE(Near(At(*card, 2, 2), {0, 128, 0}, 6));
  EXPECT_TRUE(Near(At(*card, 1277, 717), {0, 0, 128}, 6));
  EXPECT_TRUE(Near(At(*card, 2, 717), {0, 128, 0}, 6));
}

TEST(TitleCardTest, VeryLongTextStaysInsideTheCard) {
  std::string text;
  for (int i = 0; i < 80; ++i) text += "overflowing words ";
  auto card = RenderTitleCard(text, nullptr, 640, 360, Look());
  ASSERT_TRUE(card.ok()) << card.status().ToString();
  int margin = static_cast<int>(std::round(0.07 * 360));
  EXPECT_EQ(CountNear(*card, {255, 255, 255}, 100, 0, 0, 640, margin), 0);
  EXPECT_EQ(CountNear(*card, {255, 255, 255}, 100, 0, 360 - margin, 640, 360), 0);
  EXPECT_GT(CountNear(*card, {255, 255, 255}, 30, 0, 0, 640, 360), 100);
}

TEST(TitleCardTest, BadInputsAreClearErrors) {
  SlideStyle bad = Look();
  bad.text = "white";
  auto colour = RenderTitleCard("x", nullptr, 1280, 720, bad);
  ASSERT_FALSE(colour.ok());
  EXPECT_NE(colour.status().message().find("text"), std::string::npos);
  EXPECT_NE(colour.status().message().find("#RRGGBB"), std::string::npos);

  VideoFrame yuv;
  yuv.format = PixelFormat::kYuv420p;
  yuv.width = 16;
  yuv.height = 16;
  EXPECT_EQ(RenderTitleCard("x", &yuv, 1280, 720, Look()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderTitleCard("x", nullptr, 8, 720, Look()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RenderTitleCard("\xff\xfe", nullptr, 1280, 720, Look()).status().code(),
            StatusCode::kInvalidArgument);
  SlideStyle missing_font = Look();
  missing_font.font_file = "/nonexistent/font.ttf";
  auto font = RenderTitleCard("x", nullptr, 1280, 720, missing_font);
  ASSERT_FALSE(font.ok());
  EXPECT_NE(font.status().message().find("/nonexistent/font.ttf"), std::string::npos);
}

}  // namespace
}  // namespace cutroom::compose
