#include "media/frames.h"

#include <cstring>

#include "media/ffmpeg_util.h"

namespace cutroom::media {

VideoFrame AllocateVideoFrame(PixelFormat format, int width, int height) {
  FramePtr f(av_frame_alloc());
  f->format = format == PixelFormat::kGray8 ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_YUV420P;
  f->width = width;
  f->height = height;
  if (av_frame_get_buffer(f.get(), 32) < 0) return VideoFrame{};
  VideoFrame out;
  out.format = format;
  out.width = width;
  out.height = height;
  int planes = format == PixelFormat::kGray8 ? 1 : 3;
  for (int p = 0; p < planes; ++p) {
    out.data[p] = f->data[p];
    out.linesize[p] = f->linesize[p];
    int rows = p == 0 ? height : (height + 1) / 2;
    std::memset(f->data[p], p == 0 ? 0 : 128, static_cast<size_t>(f->linesize[p]) * rows);
  }
  out.owner = std::shared_ptr<AVFrame>(f.release(), FrameDeleter());
  return out;
}

void FillYuv(VideoFrame& frame, uint8_t y, uint8_t u, uint8_t v) {
  const uint8_t values[3] = {y, u, v};
  for (int p = 0; p < 3; ++p) {
    int w = p == 0 ? frame.width : (frame.width + 1) / 2;
    int h = p == 0 ? frame.height : (frame.height + 1) / 2;
    for (int r = 0; r < h; ++r)
      std::memset(frame.data[p] + static_cast<size_t>(r) * frame.linesize[p], values[p], w);
  }
}

}  // namespace cutroom::media
