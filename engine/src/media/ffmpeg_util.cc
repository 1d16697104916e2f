#include "media/ffmpeg_util.h"

extern "C" {
#include <libavutil/display.h>
#include <libavutil/error.h>
}

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstring>

namespace cutroom::media {
namespace {

int InterruptCallback(void* opaque) {
  const auto* cancel = static_cast<const CancelToken*>(opaque);
  return cancel != nullptr && cancel->IsCancelled() ? 1 : 0;
}

}  // namespace

std::string AvErrorString(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {0};
  av_strerror(err, buf, sizeof(buf));
  return buf;
}

Status AvError(int err, const std::string& what) {
  if (err == AVERROR_EXIT) return CancelledError(what + ": cancelled");
  std::string msg = what + ": " + AvErrorString(err);
  if (err == AVERROR(ENOMEM)) return ResourceExhaustedError(msg);
  if (err == AVERROR(ENOENT)) return NotFoundError(msg);
  if (err == AVERROR(EACCES)) return PermissionDeniedError(msg);
  if (err == AVERROR(EIO)) return UnavailableError(msg);
  if (err == AVERROR_INVALIDDATA || err == AVERROR_DECODER_NOT_FOUND ||
      err == AVERROR_DEMUXER_NOT_FOUND || err == AVERROR_EOF) {
    return DataLossError(msg);
  }
  return InternalError(msg);
}

Status CheckReadableFile(const std::string& path) {
  if (path.empty()) return InvalidArgumentError("empty file name");
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return NotFoundError(path + ": no such file");
    return PermissionDeniedError(path + ": " + std::strerror(errno));
  }
  if (S_ISDIR(st.st_mode)) return InvalidArgumentError(path + ": is a directory, not a media file");
  if (!S_ISREG(st.st_mode)) return InvalidArgumentError(path + ": not a regular file");
  if (st.st_size == 0) return InvalidArgumentError(path + ": file is empty");
  return Status::Ok();
}

Result<InputFormatPtr> OpenInput(const std::string& path, const CancelToken* cancel) {
  CR_RETURN_IF_ERROR(CheckReadableFile(path));
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return ResourceExhaustedError("out of memory opening " + path);
  raw->interrupt_callback.callback = &InterruptCallback;
  raw->interrupt_callback.opaque = const_cast<CancelToken*>(cancel);
  int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr);  // frees raw on failure
  if (err < 0) {
    if (err == AVERROR_INVALIDDATA) {
      return DataLossError(path +
                           ": not a media file FFmpeg can read (unknown or corrupt container)");
    }
    return AvError(err, "open " + path);
  }
  InputFormatPtr ctx(raw);
  err = avformat_find_stream_info(ctx.get(), nullptr);
  if (err < 0) return AvError(err, "read stream info of " + path);
  return ctx;
}

Result<CodecContextPtr> OpenDecoder(const AVStream* stream, int threads, const std::string& path) {
  const AVCodec* codec = avcodec_find_decoder(stream->codecpar->codec_id);
  if (codec == nullptr) {
    return DataLossError(path + ": no decoder for codec '" +
                         avcodec_get_name(stream->codecpar->codec_id) + "'");
  }
  CodecContextPtr ctx(avcodec_alloc_context3(codec));
  if (!ctx) return ResourceExhaustedError("out of memory allocating a decoder");
  int err = avcodec_parameters_to_context(ctx.get(), stream->codecpar);
  if (err < 0) return AvError(err, "configure decoder for " + path);
  ctx->pkt_timebase = stream->time_base;
  ctx->thread_count = threads;
  ctx->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
  err = avcodec_open2(ctx.get(), codec, nullptr);
  if (err < 0) return AvError(err, "open " + std::string(codec->name) + " decoder for " + path);
  return ctx;
}

int StreamRotation(const AVStream* stream) {
  const uint8_t* matrix = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, nullptr);
  if (matrix == nullptr) return 0;
  double angle = av_display_rotation_get(reinterpret_cast<const int32_t*>(matrix));
  if (std::isnan(angle)) return 0;
  // av_display_rotation_get is counter-clockwise; we report the clockwise turn to apply.
  int deg = static_cast<int>(std::lround(-angle)) % 360;
  if (deg < 0) deg += 360;
  deg = ((deg + 45) / 90 * 90) % 360;
  return deg;
}

}  // namespace cutroom::media
