#include "media/frame_scaler.h"

#include <gtest/gtest.h>

#include <cmath>

#include "media/frames.h"

namespace cutroom::media {
namespace {

// Centroid (x) of bright luma pixels.
double BrightCentroidX(const VideoFrame& f) {
  double sum = 0, weight = 0;
  for (int y = 0; y < f.height; ++y) {
    for (int x = 0; x < f.width; ++x) {
      int v = f.data[0][y * f.linesize[0] + x] - 16;
      if (v > 0) {
        sum += x * v;
        weight += v;
      }
    }
  }
  return weight > 0 ? sum / weight : -1;
}

VideoFrame MarkerFrame(int w, int h, int mx, int my, int size) {
  VideoFrame f = AllocateVideoFrame(PixelFormat::kYuv420p, w, h);
  FillYuv(f, 16, 128, 128);
  for (int y = my; y < my + size; ++y) {
    for (int x = mx; x < mx + size; ++x) f.data[0][y * f.linesize[0] + x] = 235;
  }
  return f;
}

TEST(FrameScalerTest, MarkerLandsWhereTheCropMapsIt) {
  VideoFrame src = MarkerFrame(640, 360, 400, 100, 8);  // marker centre (404, 104)
  VideoFrame dst = AllocateVideoFrame(PixelFormat::kYuv420p, 360, 640);
  FrameScaler scaler(ScaleFilter::kBicubic);
  RectF crop{300, 0, 202.5, 360};  // 9:16 window, sub-pixel wide: our resampler
  ASSERT_TRUE(scaler.Scale(src, crop, dst, 0, 0, 360, 640).ok());
  double expected = (404 - 300) * 360 / 202.5 - 0.5 + 0.5;
  EXPECT_NEAR(BrightCentroidX(dst), expected, 1.5);
  RectF aligned{300, 0, 202, 360};  // whole pixels: the swscale path
  ASSERT_TRUE(scaler.Scale(src, aligned, dst, 0, 0, 360, 640).ok());
  EXPECT_NEAR(BrightCentroidX(dst), (404 - 300) * 360 / 202.0, 1.5);
}

TEST(FrameScalerTest, SubPixelShiftsMoveTheImageSmoothly) {
  VideoFrame src = MarkerFrame(640, 360, 300, 150, 10);
  VideoFrame dst = AllocateVideoFrame(PixelFormat::kYuv420p, 360, 640);
  FrameScaler scaler(ScaleFilter::kBicubic);
  double previous = 0;
  // Moving the window by 0.25 source px must move the marker by 0.25 * scale output px, not in
  // whole-pixel steps.
  for (int i = 0; i < 8; ++i) {
    RectF crop{200 + 0.25 * i + 0.1, 0, 202.5, 360};
    ASSERT_TRUE(scaler.Scale(src, crop, dst, 0, 0, 360, 640).ok());
    double c = BrightCentroidX(dst);
    if (i > 0) {
      EXPECT_NEAR(previous - c, 0.25 * 360 / 202.5, 0.12) << "step " << i;
    }
    previous = c;
  }
}

TEST(FrameScalerTest, ReusedScalerMatchesAFreshOneWhenTheWindowChanges) {
  // The resampler keeps its filter tables while the window stays; a different window (or plane
  // size) must rebuild them, so one scaler used for two windows in turn gives the same bytes as
  // a fresh scaler per window.
  VideoFrame src = MarkerFrame(640, 360, 300, 150, 10);
  auto render = [&](FrameScaler& scaler, const RectF& crop) {
    VideoFrame dst = AllocateVideoFrame(PixelFormat::kYuv420p, 180, 320);
    EXPECT_TRUE(scaler.Scale(src, crop, dst, 0, 0, 180, 320).ok());
    return dst;
  };
  auto same = [](const VideoFrame& a, const VideoFrame& b) {
    for (int p = 0; p < 3; ++p) {
      int w = p == 0 ? a.width : a.width / 2, h = p == 0 ? a.height : a.height / 2;
      for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
          if (a.data[p][y * a.linesize[p] + x] != b.data[p][y * b.linesize[p] + x]) return false;
        }
      }
    }
    return true;
  };
  const RectF first{200.5, 10.25, 202.5, 340}, second{250.75, 0.5, 101.25, 180};
  FrameScaler reused(ScaleFilter::kBicubic);
  VideoFrame a1 = render(reused, first);
  VideoFrame b1 = render(reused, second);
  VideoFrame a2 = render(reused, first);
  FrameScaler fresh_a(ScaleFilter::kBicubic), fresh_b(ScaleFilter::kBicubic);
  EXPECT_TRUE(same(a1, render(fresh_a, first)));
  EXPECT_TRUE(same(b1, render(fresh_b, second)));
  EXPECT_TRUE(same(a1, a2));
  EXPECT_FALSE(same(a1, b1));
}

TEST(FrameScalerTest, RejectsRectanglesOutsideTheFrame) {
  VideoFrame src = MarkerFrame(64, 64, 0, 0, 2);
  VideoFrame dst = AllocateVideoFrame(PixelFormat::kYuv420p, 64, 64);
  FrameScaler scaler(ScaleFilter::kBilinear);
  EXPECT_FALSE(scaler.Scale(src, RectF{10, 10, 60, 60}, dst, 0, 0, 64, 64).ok());
  EXPECT_FALSE(scaler.Scale(src, RectF{0, 0, 32, 32}, dst, 2, 2, 64, 64).ok());
  EXPECT_FALSE(scaler.Scale(src, RectF{0, 0, 32, 32}, dst, 1, 0, 32, 32).ok());
}

}  // namespace
}  // namespace cutroom::media
