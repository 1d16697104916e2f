// RAII handles and error helpers for FFmpeg. Private to engine/src/media: no libav type leaves
// this folder.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <memory>
#include <string>

#include "cutroom/cancel.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"

namespace cutroom::media {

struct InputFormatDeleter {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
// Output contexts are freed differently from inputs: close the IO first, then free.
struct OutputFormatDeleter {
  void operator()(AVFormatContext* c) const {
    if (c == nullptr) return;
    if (c->oformat != nullptr && !(c->oformat->flags & AVFMT_NOFILE)) avio_closep(&c->pb);
    avformat_free_context(c);
  }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsDeleter {
  void operator()(SwsContext* c) const { sws_freeContext(c); }
};
struct SwrDeleter {
  void operator()(SwrContext* c) const { swr_free(&c); }
};

using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;

// av_err2str as a std::string.
std::string AvErrorString(int err);

// A Status for an FFmpeg error code, with `what` ("decode talk.mp4") as context. AVERROR_EXIT
// (raised by our interrupt callback) becomes Cancelled.
Status AvError(int err, const std::string& what);

inline Rational ToRational(AVRational r) {
  return r.den == 0 ? Rational{0, 1} : Rational::Make(r.num, r.den);
}
inline AVRational ToAv(Rational r) {
  return AVRational{static_cast<int>(r.num), static_cast<int>(r.den)};
}

// Checks a path before FFmpeg sees it, so the user gets "is a directory" / "is empty" instead
// of FFmpeg's generic "Invalid data found".
Status CheckReadableFile(const std::string& path);

// Opens an input with the cancel token wired into FFmpeg's interrupt callback.
// `cancel` may be null; it must outlive the returned context.
Result<InputFormatPtr> OpenInput(const std::string& path, const CancelToken* cancel);

// Opens and configures a decoder for `stream`. threads: 0 = FFmpeg's choice.
Result<CodecContextPtr> OpenDecoder(const AVStream* stream, int threads, const std::string& path);

// Clockwise rotation to make the stream upright (0/90/180/270), from the display matrix.
int StreamRotation(const AVStream* stream);

}  // namespace cutroom::media
