#include "render/video_compositor.h"

#include <gtest/gtest.h>

#include "media/frames.h"

namespace cutroom::render {
namespace {

// Centroid of bright luma pixels in rows [y0, y1): {x, y}; {-1, -1} when there are none.
std::pair<double, double> BrightCentroid(const VideoFrame& f, int y0, int y1) {
  double sx = 0, sy = 0, weight = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = 0; x < f.width; ++x) {
      int v = f.data[0][y * f.linesize[0] + x] - 16;
      if (v > 40) {
        sx += x * v;
        sy += y * v;
        weight += v;
      }
    }
  }
  if (weight == 0) return {-1, -1};
  return {sx / weight, sy / weight};
}

// Two speakers: bright squares centred at (160, 180) and (480, 180) of a 640x360 frame.
VideoFrame TwoSpeakers() {
  VideoFrame f = media::AllocateVideoFrame(PixelFormat::kYuv420p, 640, 360);
  media::FillYuv(f, 16, 128, 128);
  for (int cx : {160, 480}) {
    for (int y = 172; y < 188; ++y) {
      for (int x = cx - 8; x < cx + 8; ++x) f.data[0][y * f.linesize[0] + x] = 235;
    }
  }
  return f;
}

timeline::Segment SplitSegment(double cy_secondary_end) {
  timeline::Segment seg;
  seg.layout = timeline::Layout::kSplit;
  seg.in = MediaTime();
  seg.out = MediaTime(2, {1, 1});
  // Window centres at fractional source pixels: steady halves are snapped to whole pixels.
  seg.crop = {{MediaTime(), 160.3 / 640, 180.7 / 360, 1.5}};
  seg.crop_secondary = {{MediaTime(), 480.6 / 640, 180.4 / 360, 1.5}};
  if (cy_secondary_end != 0) {
    seg.crop_secondary.push_back({MediaTime(2, {1, 1}), 480.6 / 640, cy_secondary_end, 1.5});
  }
  return seg;
}

TEST(VideoCompositorTest, SplitPutsEachSpeakerInTheMiddleOfItsHalf) {
  VideoFrame src = TwoSpeakers();
  VideoFrame out = media::AllocateVideoFrame(PixelFormat::kYuv420p, 180, 320);
  VideoCompositor compositor(180, 320);
  for (double moving : {0.0, 200.0 / 360}) {  // steady halves, then a moving lower half
    ASSERT_TRUE(compositor.Compose(src, SplitSegment(moving), MediaTime(), out).ok());
    auto [tx, ty] = BrightCentroid(out, 0, 160);
    auto [bx, by] = BrightCentroid(out, 160, 320);
    // Each window is 270x240 source px scaled to 180x160 (2/3): within about a source pixel.
    EXPECT_NEAR(tx, 90, 1.5) << "moving " << moving;
    EXPECT_NEAR(ty, 80, 1.5) << "moving " << moving;
    EXPECT_NEAR(bx, 90, 1.5) << "moving " << moving;
    EXPECT_NEAR(by, 240, 1.5) << "moving " << moving;
  }
}

}  // namespace
}  // namespace cutroom::render
