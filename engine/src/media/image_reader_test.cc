#include "media/image_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_support.h"

namespace cutroom::media {
namespace {

using ::testing::HasSubstr;

const uint8_t* Pixel(const VideoFrame& f, int x, int y) {
  return f.data[0] + static_cast<ptrdiff_t>(y) * f.linesize[0] + x * 4;
}

TEST(ImageReaderTest, PngAlphaSurvivesDecoding) {
  cutroom::testing::TempDir dir;
  const std::string png = dir.File("half.png");
  // 65x31 (odd sizes stay as they are): opaque blue on the left, transparent on the right.
  ASSERT_TRUE(cutroom::testing::Ffmpeg(
      "-f lavfi -i color=c=blue:s=64x30 -vf "
      "\"format=rgba,scale=65:31,geq=r='0':g='0':b='255':a='if(lt(X,20),255,0)'\" -frames:v 1 '" +
      png + "'"));
  auto frame = DecodeImageRgba(png, nullptr);
  ASSERT_TRUE(frame.ok()) << frame.status().ToString();
  EXPECT_EQ(frame->format, PixelFormat::kRgba);
  EXPECT_EQ(frame->width, 65);
  EXPECT_EQ(frame->height, 31);
  const uint8_t* left = Pixel(*frame, 5, 15);
  EXPECT_EQ(left[2], 255);
  EXPECT_EQ(left[3], 255);
  EXPECT_EQ(Pixel(*frame, 40, 15)[3], 0);
}

TEST(ImageReaderTest, JpegIsOpaqueWithItsColours) {
  cutroom::testing::TempDir dir;
  const std::string jpg = dir.File("red.jpg");
  ASSERT_TRUE(
      cutroom::testing::Ffmpeg("-f lavfi -i color=c=red:s=64x48 -frames:v 1 '" + jpg + "'"));
  auto frame = DecodeImageRgba(jpg, nullptr);
  ASSERT_TRUE(frame.ok()) << frame.status().ToString();
  const uint8_t* p = Pixel(*frame, 32, 24);
  EXPECT_GT(p[0], 235);
  EXPECT_LT(p[1], 20);
  EXPECT_LT(p[2], 20);
  EXPECT_EQ(p[3], 255);
}

TEST(ImageReaderTest, MissingAndCorruptFilesNameThePath) {
  cutroom::testing::TempDir dir;
  auto missing = DecodeImageRgba(dir.File("nope.png"), nullptr);
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.status().message(), HasSubstr("nope.png"));
  const std::string garbage = dir.File("garbage.png");
  cutroom::testing::WriteFile(garbage, std::string("\x89PNG\r\n\x1a\n", 8) + std::string(500, 'x'));
  auto bad = DecodeImageRgba(garbage, nullptr);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("garbage.png"));
}

TEST(ImageReaderTest, ResizeScalesEachChannelAlone) {
  // Premultiplied: a half-transparent white square on transparent black.
  VideoFrame src = AllocateRgbaFrame(40, 40);
  ASSERT_FALSE(src.empty());
  for (int y = 10; y < 30; ++y) {
    for (int x = 10; x < 30; ++x) {
      uint8_t* p = src.data[0] + y * src.linesize[0] + x * 4;
      p[0] = p[1] = p[2] = p[3] = 128;
    }
  }
  auto out = ResizeRgba(src, 80, 20);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->width, 80);
  EXPECT_EQ(out->height, 20);
  const uint8_t* centre = Pixel(*out, 40, 10);
  EXPECT_NEAR(centre[3], 128, 2);
  EXPECT_NEAR(centre[0], 128, 2);
  EXPECT_EQ(Pixel(*out, 2, 2)[3], 0);
  EXPECT_FALSE(ResizeRgba(src, 0, 10).ok());
}

}  // namespace
}  // namespace cutroom::media
