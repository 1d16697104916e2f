#include "media/image_reader.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <cstring>
#include <vector>

#include "media/ffmpeg_util.h"

namespace cutroom::media {
namespace {

// Formats whose pixels carry no alpha come out of swscale with alpha 255, so one path serves
// PNG (rgba, ya8, pal8 with tRNS) and JPEG (yuvj420p) alike.
Result<VideoFrame> ToRgba(const AVFrame* f, const std::string& path) {
  auto format = static_cast<AVPixelFormat>(f->format);
  VideoFrame out = AllocateRgbaFrame(f->width, f->height);
  if (out.empty()) return ResourceExhaustedError(path + ": out of memory holding the picture");
  SwsPtr sws(sws_getContext(f->width, f->height, format, f->width, f->height, AV_PIX_FMT_RGBA,
                            SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr, nullptr,
                            nullptr));
  if (!sws) {
    const char* name = av_get_pix_fmt_name(format);
    return DataLossError(path + ": cannot convert pixel format " + std::string(name ? name : "?"));
  }
  const AVPixFmtDescriptor* desc = av_pix_fmt_desc_get(format);
  if (desc != nullptr && !(desc->flags & AV_PIX_FMT_FLAG_RGB) && desc->nb_components >= 3) {
    // A YUV picture (JPEG): full range unless it says otherwise; JFIF uses BT.601.
    bool full_range = f->color_range != AVCOL_RANGE_MPEG || format == AV_PIX_FMT_YUVJ420P ||
                      format == AV_PIX_FMT_YUVJ422P || format == AV_PIX_FMT_YUVJ444P;
    const int* coefs =
        sws_getCoefficients(f->colorspace == AVCOL_SPC_BT709 ? SWS_CS_ITU709 : SWS_CS_ITU601);
    sws_setColorspaceDetails(sws.get(), coefs, full_range ? 1 : 0, coefs, 1, 0, 1 << 16, 1 << 16);
  }
  uint8_t* dst[4] = {out.data[0], nullptr, nullptr, nullptr};
  int dst_stride[4] = {out.linesize[0], 0, 0, 0};
  sws_scale(sws.get(), f->data, f->linesize, 0, f->height, dst, dst_stride);
  return out;
}

}  // namespace

VideoFrame AllocateRgbaFrame(int width, int height) {
  FramePtr f(av_frame_alloc());
  if (!f || width <= 0 || height <= 0) return VideoFrame{};
  f->format = AV_PIX_FMT_RGBA;
  f->width = width;
  f->height = height;
  if (av_frame_get_buffer(f.get(), 32) < 0) return VideoFrame{};
  std::memset(f->data[0], 0, static_cast<size_t>(f->linesize[0]) * height);
  VideoFrame out;
  out.format = PixelFormat::kRgba;
  out.width = width;
  out.height = height;
  out.data[0] = f->data[0];
  out.linesize[0] = f->linesize[0];
  out.owner = std::shared_ptr<AVFrame>(f.release(), FrameDeleter());
  return out;
}

Result<VideoFrame> DecodeImageRgba(const std::string& path, const CancelToken* cancel) {
  CR_ASSIGN_OR_RETURN(InputFormatPtr fmt, OpenInput(path, cancel));
  int idx = av_find_best_stream(fmt.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (idx < 0) return DataLossError(path + ": has no picture");
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    if (static_cast<int>(i) != idx) fmt->streams[i]->discard = AVDISCARD_ALL;
  }
  CR_ASSIGN_OR_RETURN(CodecContextPtr dec, OpenDecoder(fmt->streams[idx], 1, path));
  PacketPtr pkt(av_packet_alloc());
  FramePtr frame(av_frame_alloc());
  if (!pkt || !frame) return ResourceExhaustedError("out of memory decoding " + path);
  bool input_eof = false;
  for (;;) {
    int err = avcodec_receive_frame(dec.get(), frame.get());
    if (err >= 0) {
      if (frame->width <= 0 || frame->height <= 0) break;
      return ToRgba(frame.get(), path);
    }
    if (err == AVERROR_EOF) break;
    if (err != AVERROR(EAGAIN)) {
      return DataLossError(path + ": cannot decode the picture (" + AvErrorString(err) + ")");
    }
    if (input_eof) break;
    err = av_read_frame(fmt.get(), pkt.get());
    if (err == AVERROR_EOF) {
      input_eof = true;
      err = avcodec_send_packet(dec.get(), nullptr);
    } else if (err < 0) {
      return AvError(err, "read " + path);
    } else {
      if (pkt->stream_index == idx) {
        err = avcodec_send_packet(dec.get(), pkt.get());
      }
      av_packet_unref(pkt.get());
    }
    if (err < 0 && err != AVERROR(EAGAIN) && err != AVERROR_EOF) {
      return DataLossError(path + ": cannot decode the picture (" + AvErrorString(err) + ")");
    }
  }
  return DataLossError(path + ": has no picture (unsupported or corrupt image file)");
}

Result<VideoFrame> ResizeRgba(const VideoFrame& rgba, int width, int height) {
  if (rgba.empty() || rgba.format != PixelFormat::kRgba || width <= 0 || height <= 0) {
    return InvalidArgumentError("ResizeRgba: needs a non-empty RGBA frame and a positive size");
  }
  VideoFrame out = AllocateRgbaFrame(width, height);
  if (out.empty()) return ResourceExhaustedError("out of memory resizing a picture");
  // Each channel as its own grey plane: swscale's grey-to-grey path scales without touching
  // the values' meaning, where an RGBA-to-RGBA scale would pass through YUV.
  SwsPtr sws(sws_getContext(rgba.width, rgba.height, AV_PIX_FMT_GRAY8, width, height,
                            AV_PIX_FMT_GRAY8, SWS_BICUBIC | SWS_ACCURATE_RND, nullptr, nullptr,
                            nullptr));
  if (!sws) return InternalError("ResizeRgba: cannot create a swscale context");
  const int* coefs = sws_getCoefficients(SWS_CS_DEFAULT);
  sws_setColorspaceDetails(sws.get(), coefs, 1, coefs, 1, 0, 1 << 16, 1 << 16);
  std::vector<uint8_t> in_plane(static_cast<size_t>(rgba.width) * rgba.height);
  std::vector<uint8_t> out_plane(static_cast<size_t>(width) * height);
  for (int c = 0; c < 4; ++c) {
    for (int y = 0; y < rgba.height; ++y) {
      const uint8_t* row = rgba.data[0] + static_cast<size_t>(y) * rgba.linesize[0];
      uint8_t* plane_row = &in_plane[static_cast<size_t>(y) * rgba.width];
      for (int x = 0; x < rgba.width; ++x) plane_row[x] = row[x * 4 + c];
    }
    const uint8_t* src[4] = {in_plane.data(), nullptr, nullptr, nullptr};
    int src_stride[4] = {rgba.width, 0, 0, 0};
    uint8_t* dst[4] = {out_plane.data(), nullptr, nullptr, nullptr};
    int dst_stride[4] = {width, 0, 0, 0};
    sws_scale(sws.get(), src, src_stride, 0, rgba.height, dst, dst_stride);
    for (int y = 0; y < height; ++y) {
      uint8_t* row = out.data[0] + static_cast<size_t>(y) * out.linesize[0];
      const uint8_t* plane_row = &out_plane[static_cast<size_t>(y) * width];
      for (int x = 0; x < width; ++x) row[x * 4 + c] = plane_row[x];
    }
  }
  return out;
}

}  // namespace cutroom::media
