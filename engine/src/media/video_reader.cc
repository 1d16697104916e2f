#include "media/video_reader.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <optional>

#include "media/ffmpeg_util.h"
#include "media/frames.h"
#include "media/probe.h"

namespace cutroom::media {
namespace {

// More consecutive undecodable packets than this means the stream is broken, not damaged.
constexpr int kMaxConsecutiveErrors = 64;
// How far past the last decodable frame a request may be before the file counts as truncated.
const MediaTime kTruncationSlack(1, {1, 1});

void RotatePlane(const uint8_t* src, int src_stride, int w, int h, uint8_t* dst, int dst_stride,
                 int rotation) {
  // (x, y) in the source lands at: 90 cw -> (h-1-y, x); 180 -> (w-1-x, h-1-y); 270 -> (y, w-1-x).
  for (int y = 0; y < h; ++y) {
    const uint8_t* row = src + static_cast<size_t>(y) * src_stride;
    for (int x = 0; x < w; ++x) {
      int dx, dy;
      if (rotation == 90) {
        dx = h - 1 - y;
        dy = x;
      } else if (rotation == 180) {
        dx = w - 1 - x;
        dy = h - 1 - y;
      } else {
        dx = y;
        dy = w - 1 - x;
      }
      dst[static_cast<size_t>(dy) * dst_stride + dx] = row[x];
    }
  }
}

}  // namespace

struct VideoReader::Impl {
  std::string path;
  VideoReaderOptions options;
  InputFormatPtr fmt;
  CodecContextPtr dec;
  PacketPtr pkt{av_packet_alloc()};
  FramePtr frame{av_frame_alloc()};
  int stream_index = -1;
  AVRational time_base{1, 1};
  int64_t origin = 0;  // container start in stream ticks
  StreamInfo info;
  SwsPtr sws;  // to limited-range yuv420p when the decoder gives anything else
  AVPixelFormat sws_src_format = AV_PIX_FMT_NONE;
  int sws_w = 0, sws_h = 0;
  bool input_eof = false;
  bool decoder_eof = false;
  int corrupt = 0;
  int consecutive_errors = 0;
  std::optional<VideoFrame> current;  // FrameAt: the frame on screen
  std::optional<VideoFrame> lookahead;
  std::optional<MediaTime> seek_target;

  Result<VideoFrame> Convert(AVFrame* f);
  Result<std::optional<VideoFrame>> DecodeOne();
};

VideoReader::VideoReader() : impl_(std::make_unique<Impl>()) {}
VideoReader::~VideoReader() = default;

Result<std::unique_ptr<VideoReader>> VideoReader::Open(const std::string& path,
                                                       const VideoReaderOptions& options) {
  std::unique_ptr<VideoReader> reader(new VideoReader());
  Impl& d = *reader->impl_;
  d.path = path;
  d.options = options;
  CR_ASSIGN_OR_RETURN(d.fmt, OpenInput(path, options.cancel));
  int idx = av_find_best_stream(d.fmt.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  // Cover art is a picture, not video.
  if (idx >= 0 && (d.fmt->streams[idx]->disposition & AV_DISPOSITION_ATTACHED_PIC)) idx = -1;
  if (idx < 0) return FailedPreconditionError(path + ": has no video stream");
  d.stream_index = idx;
  AVStream* st = d.fmt->streams[idx];
  for (unsigned i = 0; i < d.fmt->nb_streams; ++i) {
    if (static_cast<int>(i) != idx) d.fmt->streams[i]->discard = AVDISCARD_ALL;
  }
  d.time_base = st->time_base;
  if (d.fmt->start_time != AV_NOPTS_VALUE) {
    d.origin = av_rescale_q(d.fmt->start_time, AV_TIME_BASE_Q, st->time_base);
  }
  CR_ASSIGN_OR_RETURN(d.dec, OpenDecoder(st, options.threads, path));
  if (options.skip_loop_filter) d.dec->skip_loop_filter = AVDISCARD_ALL;
  d.info.index = idx;
  d.info.type = StreamType::kVideo;
  d.info.codec = avcodec_get_name(st->codecpar->codec_id);
  d.info.width = st->codecpar->width;
  d.info.height = st->codecpar->height;
  d.info.fps = ToRational(st->avg_frame_rate.num > 0 ? st->avg_frame_rate : st->r_frame_rate);
  d.info.rotation_deg = StreamRotation(st);
  if (d.info.width <= 0 || d.info.height <= 0) {
    return DataLossError(path + ": video stream has no picture size (corrupt header?)");
  }
  return reader;
}

const StreamInfo& VideoReader::stream() const { return impl_->info; }
int VideoReader::width() const { return impl_->info.upright_width(); }
int VideoReader::height() const { return impl_->info.upright_height(); }
int VideoReader::corrupt_packets() const { return impl_->corrupt; }

Result<VideoFrame> VideoReader::Impl::Convert(AVFrame* f) {
  int64_t ts = f->best_effort_timestamp != AV_NOPTS_VALUE ? f->best_effort_timestamp : f->pts;
  if (ts == AV_NOPTS_VALUE) ts = 0;
  MediaTime pts(ts - origin, ToRational(time_base));
  MediaTime dur(f->pkt_duration, ToRational(time_base));
  auto format = static_cast<AVPixelFormat>(f->format);
  bool full_range = format == AV_PIX_FMT_YUVJ420P || f->color_range == AVCOL_RANGE_JPEG;
  int rotation = info.rotation_deg;

  VideoFrame yuv;
  if (format == AV_PIX_FMT_YUV420P && !full_range && (f->width % 2 == 0) && (f->height % 2 == 0)) {
    // Zero copy: share the decoder's buffers.
    AVFrame* ref = av_frame_clone(f);
    if (ref == nullptr) return ResourceExhaustedError("out of memory holding a decoded frame");
    yuv.format = PixelFormat::kYuv420p;
    yuv.width = f->width;
    yuv.height = f->height;
    for (int p = 0; p < 3; ++p) {
      yuv.data[p] = ref->data[p];
      yuv.linesize[p] = ref->linesize[p];
    }
    yuv.owner = std::shared_ptr<AVFrame>(ref, FrameDeleter());
  } else {
    int w = f->width & ~1, h = f->height & ~1;
    if (!sws || sws_src_format != format || sws_w != f->width || sws_h != f->height) {
      sws.reset(sws_getContext(f->width, f->height, format, w, h, AV_PIX_FMT_YUV420P,
                               SWS_BICUBIC | SWS_ACCURATE_RND, nullptr, nullptr, nullptr));
      if (!sws) {
        return DataLossError(
            path + ": cannot convert pixel format " +
            std::string(av_get_pix_fmt_name(format) ? av_get_pix_fmt_name(format) : "?"));
      }
      const int* coefs = sws_getCoefficients(SWS_CS_ITU709);
      sws_setColorspaceDetails(sws.get(), coefs, full_range ? 1 : 0, coefs, 0, 0, 1 << 16, 1 << 16);
      sws_src_format = format;
      sws_w = f->width;
      sws_h = f->height;
    }
    yuv = AllocateVideoFrame(PixelFormat::kYuv420p, w, h);
    if (yuv.empty()) return ResourceExhaustedError("out of memory allocating a frame");
    sws_scale(sws.get(), f->data, f->linesize, 0, f->height, yuv.data.data(), yuv.linesize.data());
  }
  if (rotation != 0) {
    int ow = rotation == 180 ? yuv.width : yuv.height;
    int oh = rotation == 180 ? yuv.height : yuv.width;
    VideoFrame rotated = AllocateVideoFrame(PixelFormat::kYuv420p, ow, oh);
    if (rotated.empty()) return ResourceExhaustedError("out of memory allocating a frame");
    for (int p = 0; p < 3; ++p) {
      int pw = p == 0 ? yuv.width : yuv.width / 2;
      int ph = p == 0 ? yuv.height : yuv.height / 2;
      RotatePlane(yuv.data[p], yuv.linesize[p], pw, ph, rotated.data[p], rotated.linesize[p],
                  rotation);
    }
    yuv = std::move(rotated);
  }
  yuv.pts = pts;
  yuv.duration = dur;
  return yuv;
}

Result<std::optional<VideoFrame>> VideoReader::Impl::DecodeOne() {
  for (;;) {
    if (options.cancel != nullptr && options.cancel->IsCancelled()) {
      return CancelledError("decoding " + path + " was cancelled");
    }
    int err = avcodec_receive_frame(dec.get(), frame.get());
    if (err >= 0) {
      auto converted = Convert(frame.get());
      av_frame_unref(frame.get());
      if (!converted.ok()) return converted.status();
      return std::optional<VideoFrame>(std::move(converted).value());
    }
    if (err == AVERROR_EOF) {
      decoder_eof = true;
      return std::optional<VideoFrame>();
    }
    if (err == AVERROR_INVALIDDATA) {  // a damaged frame: skip it like a damaged packet
      ++corrupt;
      if (++consecutive_errors > kMaxConsecutiveErrors) {
        return DataLossError(path + ": video data is damaged or truncated (" +
                             std::to_string(corrupt) + " undecodable frames)");
      }
      continue;
    }
    if (err != AVERROR(EAGAIN)) return AvError(err, "decode video of " + path);
    // The decoder wants input.
    if (input_eof) {
      err = avcodec_send_packet(dec.get(), nullptr);  // drain
      if (err == AVERROR_EOF) {                       // already draining and nothing left
        decoder_eof = true;
        return std::optional<VideoFrame>();
      }
      if (err == AVERROR_INVALIDDATA) {  // threaded decoders report damage at the flush
        ++corrupt;
        if (++consecutive_errors > kMaxConsecutiveErrors) {
          return DataLossError(path + ": video data is damaged or truncated");
        }
        continue;
      }
      if (err < 0) return AvError(err, "flush decoder of " + path);
      continue;
    }
    err = av_read_frame(fmt.get(), pkt.get());
    if (err == AVERROR_EOF) {
      input_eof = true;
      continue;
    }
    if (err < 0) {
      if (err == AVERROR_EXIT) return AvError(err, "read " + path);
      // A damaged container: treat as the end, like FFmpeg's CLI does.
      input_eof = true;
      ++corrupt;
      continue;
    }
    if (pkt->stream_index != stream_index) {
      av_packet_unref(pkt.get());
      continue;
    }
    err = avcodec_send_packet(dec.get(), pkt.get());
    av_packet_unref(pkt.get());
    if (err == AVERROR_INVALIDDATA) {
      ++corrupt;
      if (++consecutive_errors > kMaxConsecutiveErrors) {
        return DataLossError(path + ": video stream is corrupt (" + std::to_string(corrupt) +
                             " undecodable packets)");
      }
      continue;
    }
    if (err < 0 && err != AVERROR(EAGAIN)) return AvError(err, "decode video of " + path);
    consecutive_errors = 0;
  }
}

Status VideoReader::Seek(MediaTime t) {
  Impl& d = *impl_;
  int64_t ts = t.Rescale(ToRational(d.time_base), Rounding::kDown) + d.origin;
  int err = av_seek_frame(d.fmt.get(), d.stream_index, ts, AVSEEK_FLAG_BACKWARD);
  if (err < 0) {
    // Some files only seek by byte or not at all: rewind to the start and decode forward.
    err = av_seek_frame(d.fmt.get(), d.stream_index, d.origin,
                        AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY);
    if (err < 0) return AvError(err, "seek in " + d.path);
  }
  avcodec_flush_buffers(d.dec.get());
  d.input_eof = false;
  d.decoder_eof = false;
  d.current.reset();
  d.lookahead.reset();
  d.seek_target = t;
  // Decode forward to the frame on screen at t, so Next() starts there.
  for (;;) {
    CR_ASSIGN_OR_RETURN(auto f, d.DecodeOne());
    if (!f) break;
    if (f->pts <= t || !d.current) {
      if (f->pts > t && !d.current) {  // the stream starts after t
        d.lookahead = std::move(f);
        break;
      }
      d.current = std::move(f);
      continue;
    }
    d.lookahead = std::move(f);
    break;
  }
  // Next() returns `current` first, then `lookahead`.
  return Status::Ok();
}

Result<bool> VideoReader::Next(VideoFrame* out) {
  Impl& d = *impl_;
  if (d.current) {
    *out = std::move(*d.current);
    d.current.reset();
    return true;
  }
  if (d.lookahead) {
    *out = std::move(*d.lookahead);
    d.lookahead.reset();
    return true;
  }
  if (d.decoder_eof) return false;
  CR_ASSIGN_OR_RETURN(auto f, d.DecodeOne());
  if (!f) return false;
  *out = std::move(*f);
  return true;
}

Result<VideoFrame> VideoReader::FrameAt(MediaTime t) {
  Impl& d = *impl_;
  const MediaTime kFarJump(2, {1, 1});
  // A fresh reader stands at the start: decode forward when t is close (image demuxers and some
  // damaged files cannot seek at all), seek when it is far.
  if (!d.seek_target) d.seek_target = MediaTime();
  MediaTime position =
      d.current ? d.current->pts : (d.lookahead ? d.lookahead->pts : *d.seek_target);
  bool need_seek = position + kFarJump < t && (!d.lookahead || d.lookahead->pts + kFarJump < t);
  if (d.current && t < d.current->pts && t < *d.seek_target) need_seek = true;
  if (d.current && t < d.current->pts && !(t < *d.seek_target)) {
    // Before the current frame but at or after where we last sought: the stream starts later.
    return *d.current;
  }
  if (need_seek) CR_RETURN_IF_ERROR(Seek(t));
  for (;;) {
    if (!d.lookahead && !d.decoder_eof) {
      CR_ASSIGN_OR_RETURN(d.lookahead, d.DecodeOne());
    }
    if (d.lookahead && (d.lookahead->pts <= t || !d.current)) {
      d.current = std::move(d.lookahead);
      d.lookahead.reset();
      if (d.current->pts > t) break;  // first frame is after t: show it
      continue;
    }
    break;
  }
  if (!d.current) return DataLossError(d.path + ": no decodable video frame");
  // The container promised more than the stream holds: a truncated or damaged file. Holding the
  // last frame would hide that as a frozen picture.
  if (d.decoder_eof && d.current->pts + kTruncationSlack < t) {
    return DataLossError(d.path + ": video ends at " + d.current->pts.ToString() + " s but " +
                         t.ToString() + " s was asked for (truncated or damaged file)");
  }
  return *d.current;
}

}  // namespace cutroom::media
