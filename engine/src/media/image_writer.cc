#include "media/image_writer.h"

#include <algorithm>
#include <string_view>

#include "cutroom/file_util.h"
#include "media/ffmpeg_util.h"

namespace cutroom::media {
namespace {

// 1..100 -> mjpeg qscale 31..2 (lower qscale is better).
int QualityToQscale(int quality) {
  quality = std::clamp(quality, 1, 100);
  return 2 + (100 - quality) * 29 / 99;
}

Result<FramePtr> AllocFrame(AVPixelFormat format, int width, int height) {
  FramePtr f(av_frame_alloc());
  if (!f) return ResourceExhaustedError("cannot allocate a frame");
  f->format = format;
  f->width = width;
  f->height = height;
  int err = av_frame_get_buffer(f.get(), 32);
  if (err < 0)
    return AvError(err,
                   "allocate a " + std::to_string(width) + "x" + std::to_string(height) + " frame");
  return f;
}

// yuv420p BT.709 limited -> RGB -> yuv420p BT.601 full range (JFIF). swscale applies matrices
// only between YUV and RGB, so the change of matrix needs the RGB step. Full range is asked for
// explicitly rather than through the deprecated yuvj420p format.
Result<FramePtr> ToJfif(const VideoFrame& frame) {
  const int w = frame.width, h = frame.height;
  CR_ASSIGN_OR_RETURN(FramePtr rgb, AllocFrame(AV_PIX_FMT_RGB24, w, h));
  CR_ASSIGN_OR_RETURN(FramePtr yuvj, AllocFrame(AV_PIX_FMT_YUV420P, w, h));
  yuvj->color_range = AVCOL_RANGE_JPEG;
  yuvj->colorspace = AVCOL_SPC_BT470BG;

  SwsPtr to_rgb(sws_getContext(w, h, AV_PIX_FMT_YUV420P, w, h, AV_PIX_FMT_RGB24,
                               SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr,
                               nullptr, nullptr));
  SwsPtr to_yuvj(sws_getContext(w, h, AV_PIX_FMT_RGB24, w, h, AV_PIX_FMT_YUV420P,
                                SWS_BICUBIC | SWS_ACCURATE_RND, nullptr, nullptr, nullptr));
  if (!to_rgb || !to_yuvj) return InternalError("cannot create a colour converter for JPEG");
  const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
  const int* bt601 = sws_getCoefficients(SWS_CS_ITU601);
  // Brightness 0, contrast and saturation 1.0 (16.16 fixed point).
  sws_setColorspaceDetails(to_rgb.get(), bt709, 0, bt601, 1, 0, 1 << 16, 1 << 16);
  sws_setColorspaceDetails(to_yuvj.get(), bt601, 1, bt601, 1, 0, 1 << 16, 1 << 16);

  const uint8_t* const src[4] = {frame.data[0], frame.data[1], frame.data[2], nullptr};
  const int src_stride[4] = {frame.linesize[0], frame.linesize[1], frame.linesize[2], 0};
  sws_scale(to_rgb.get(), src, src_stride, 0, h, rgb->data, rgb->linesize);
  sws_scale(to_yuvj.get(), rgb->data, rgb->linesize, 0, h, yuvj->data, yuvj->linesize);
  return yuvj;
}

}  // namespace

Status WriteJpeg(const VideoFrame& frame, const std::string& path, int quality) {
  if (frame.empty() || frame.format != PixelFormat::kYuv420p || frame.width <= 0 ||
      frame.height <= 0) {
    return InvalidArgumentError("JPEG " + path + ": needs a non-empty yuv420p frame");
  }
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
  if (codec == nullptr) return UnimplementedError("JPEG " + path + ": FFmpeg has no mjpeg encoder");
  CodecContextPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) return ResourceExhaustedError("cannot allocate the mjpeg encoder");
  const int qscale = QualityToQscale(quality);
  ctx->width = frame.width;
  ctx->height = frame.height;
  ctx->pix_fmt = AV_PIX_FMT_YUV420P;  // with color_range JPEG: what yuvj420p meant
  ctx->color_range = AVCOL_RANGE_JPEG;
  ctx->colorspace = AVCOL_SPC_BT470BG;
  ctx->time_base = AVRational{1, 25};
  ctx->flags |= AV_CODEC_FLAG_QSCALE;
  ctx->global_quality = FF_QP2LAMBDA * qscale;
  ctx->qmin = ctx->qmax = qscale;
  int err = avcodec_open2(ctx.get(), codec, nullptr);
  if (err < 0) return AvError(err, "open the mjpeg encoder for " + path);

  CR_ASSIGN_OR_RETURN(FramePtr yuvj, ToJfif(frame));
  yuvj->quality = ctx->global_quality;
  yuvj->pts = 0;
  err = avcodec_send_frame(ctx.get(), yuvj.get());
  if (err < 0) return AvError(err, "encode JPEG " + path);
  err = avcodec_send_frame(ctx.get(), nullptr);
  if (err < 0) return AvError(err, "flush the JPEG encoder for " + path);
  PacketPtr packet(av_packet_alloc());
  if (!packet) return ResourceExhaustedError("cannot allocate a packet");
  err = avcodec_receive_packet(ctx.get(), packet.get());
  if (err < 0) return AvError(err, "encode JPEG " + path);
  return WriteFileAtomically(path, std::string_view(reinterpret_cast<const char*>(packet->data),
                                                    static_cast<size_t>(packet->size)));
}

}  // namespace cutroom::media
