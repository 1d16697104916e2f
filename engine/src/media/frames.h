// Frame storage for VideoFrame: allocation and (inside media/) wrapping of AVFrames.
#pragma once

#include "cutroom/video_frame.h"

namespace cutroom::media {

// A new frame with its own pixels (32-byte aligned rows), zeroed. kYuv420p and kGray8 only.
// REQUIRES: width, height > 0 (even for kYuv420p).
VideoFrame AllocateVideoFrame(PixelFormat format, int width, int height);

// Fills a kYuv420p frame with a flat colour (limited-range YUV values).
void FillYuv(VideoFrame& frame, uint8_t y, uint8_t u, uint8_t v);

}  // namespace cutroom::media
