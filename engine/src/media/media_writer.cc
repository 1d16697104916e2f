#include "media/media_writer.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <vector>

#include "media/ffmpeg_util.h"

namespace cutroom::media {

Status CheckEncodersAvailable() {
  if (avcodec_find_encoder_by_name("libx264") == nullptr) {
    return FailedPreconditionError("this FFmpeg build has no libx264 encoder");
  }
  if (avcodec_find_encoder(AV_CODEC_ID_AAC) == nullptr) return FailedPreconditionError("this FFmpeg build has no AAC encoder");
  return Status::Ok();
}


struct MediaWriter::Impl {
  std::string path;
  std::string temp_path;
  OutputFormatPtr fmt;
  CodecContextPtr venc;
  CodecContextPtr aenc;
  AVStream* vstream = nullptr;
  AVStream* astream = nullptr;
  PacketPtr pkt{av_packet_alloc()};
  FramePtr aframe{av_frame_alloc()};
  std::vector<std::vector<float>> apending;  // audio waiting for a full encoder frame
  int64_t next_video = 0;
  int64_t next_audio_sample = 0;
  bool header_written = false;
  bool finished = false;

  Status Drain(AVCodecContext* enc, AVStream* st);
  Status EncodeAudioFrames(bool flush);
};

MediaWriter::MediaWriter() : impl_(std::make_unique<Impl>()) {}

MediaWriter::~MediaWriter() {
  if (!impl_->finished && !impl_->temp_path.empty()) {
    impl_->fmt.reset();  // close the file before removing it
    std::remove(impl_->temp_path.c_str());
  }
}

int64_t MediaWriter::frames_written() const { return impl_->next_video; }
int64_t MediaWriter::bytes_written() const {
  std::error_code ec;
  auto size = std::filesystem::file_size(impl_->finished ? impl_->path : impl_->temp_path, ec);
  return ec ? 0 : static_cast<int64_t>(size);
}

Result<std::unique_ptr<MediaWriter>> MediaWriter::Create(
    const std::string& path, const VideoEncodeSettings& video,
    const std::optional<AudioEncodeSettings>& audio) {
  if (video.width <= 0 || video.height <= 0 || video.width % 2 || video.height % 2) {
    return InvalidArgumentError("output size " + std::to_string(video.width) + "x" +
                                std::to_string(video.height) + " must be positive and even");
  }
  std::unique_ptr<MediaWriter> writer(new MediaWriter());
  Impl& d = *writer->impl_;
  d.path = path;
  std::filesystem::path p(path);
  std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return NotFoundError(path + ": output folder '" + dir.string() + "' does not exist");
  }
  if (std::filesystem::is_directory(p, ec)) return InvalidArgumentError(path + ": is a directory");
  d.temp_path =
      (dir / ("." + p.filename().string() + ".partial-" + std::to_string(getpid()))).string();

  AVFormatContext* raw = nullptr;
  int err = avformat_alloc_output_context2(&raw, nullptr, "mp4", d.temp_path.c_str());
  if (err < 0 || raw == nullptr) return AvError(err, "create mp4 muxer");
  d.fmt.reset(raw);
  d.fmt->flags |= AVFMT_FLAG_BITEXACT;  // same inputs -> same bytes (no version strings)

  const AVCodec* x264 = avcodec_find_encoder_by_name("libx264");
  if (x264 == nullptr) return FailedPreconditionError("libx264 encoder is not available in FFmpeg");
  d.venc.reset(avcodec_alloc_context3(x264));
  d.venc->width = video.width;
  d.venc->height = video.height;
  d.venc->pix_fmt = AV_PIX_FMT_YUV420P;
  d.venc->time_base = av_inv_q(ToAv(video.fps));
  d.venc->framerate = ToAv(video.fps);
  d.venc->sample_aspect_ratio = AVRational{1, 1};
  d.venc->color_range = AVCOL_RANGE_MPEG;
  d.venc->color_primaries = AVCOL_PRI_BT709;
  d.venc->color_trc = AVCOL_TRC_BT709;
  d.venc->colorspace = AVCOL_SPC_BT709;
  d.venc->thread_count = video.threads;
  if (d.fmt->oformat->flags & AVFMT_GLOBALHEADER) d.venc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  if (av_opt_set(d.venc->priv_data, "preset", video.preset.c_str(), 0) < 0) {
    return InvalidArgumentError("unknown x264 preset '" + video.preset + "'");
  }
  av_opt_set_double(d.venc->priv_data, "crf", video.crf, 0);
  if (av_opt_set(d.venc->priv_data, "profile", video.profile.c_str(), 0) < 0) {
    return InvalidArgumentError("unknown H.264 profile '" + video.profile + "'");
  }
  err = avcodec_open2(d.venc.get(), x264, nullptr);
  if (err < 0)
    return AvError(err,
                   "open libx264 (preset " + video.preset + ", profile " + video.profile + ")");
  d.vstream = avformat_new_stream(d.fmt.get(), nullptr);
  avcodec_parameters_from_context(d.vstream->codecpar, d.venc.get());
  d.vstream->time_base = d.venc->time_base;
  d.vstream->avg_frame_rate = d.venc->framerate;

  if (audio) {
    const AVCodec* aac = avcodec_find_encoder(AV_CODEC_ID_AAC);
    if (aac == nullptr) return FailedPreconditionError("AAC encoder is not available in FFmpeg");
    d.aenc.reset(avcodec_alloc_context3(aac));
    d.aenc->sample_fmt = AV_SAMPLE_FMT_FLTP;
    d.aenc->sample_rate = audio->sample_rate;
    av_channel_layout_default(&d.aenc->ch_layout, audio->channels);
    d.aenc->bit_rate = audio->bitrate;
    d.aenc->time_base = AVRational{1, audio->sample_rate};
    if (d.fmt->oformat->flags & AVFMT_GLOBALHEADER) d.aenc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    err = avcodec_open2(d.aenc.get(), aac, nullptr);
    if (err < 0) return AvError(err, "open AAC encoder");
    d.astream = avformat_new_stream(d.fmt.get(), nullptr);
    avcodec_parameters_from_context(d.astream->codecpar, d.aenc.get());
    d.astream->time_base = d.aenc->time_base;
    d.apending.assign(static_cast<size_t>(audio->channels), {});
  }

  err = avio_open(&d.fmt->pb, d.temp_path.c_str(), AVIO_FLAG_WRITE);
  if (err < 0) return AvError(err, "create " + d.temp_path);
  AVDictionary* opts = nullptr;
  av_dict_set(&opts, "movflags", "+faststart", 0);
  err = avformat_write_header(d.fmt.get(), &opts);
  av_dict_free(&opts);
  if (err < 0) return AvError(err, "write mp4 header to " + path);
  d.header_written = true;
  return writer;
}

Status MediaWriter::Impl::Drain(AVCodecContext* enc, AVStream* st) {
  for (;;) {
    int err = avcodec_receive_packet(enc, pkt.get());
    if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return Status::Ok();
    if (err < 0) return AvError(err, "encode " + path);
    av_packet_rescale_ts(pkt.get(), enc->time_base, st->time_base);
    pkt->stream_index = st->index;
    err = av_interleaved_write_frame(fmt.get(), pkt.get());
    if (err < 0) return AvError(err, "write " + path);
  }
}

Status MediaWriter::WriteVideo(const VideoFrame& frame) {
  Impl& d = *impl_;
  if (frame.format != PixelFormat::kYuv420p || frame.width != d.venc->width ||
      frame.height != d.venc->height) {
    return InvalidArgumentError("frame does not match the output format");
  }
  // Wrap our pixels without copying: the AVBuffer keeps a reference to the frame's owner.
  FramePtr f(av_frame_alloc());
  f->format = AV_PIX_FMT_YUV420P;
  f->width = frame.width;
  f->height = frame.height;
  for (int p = 0; p < 3; ++p) {
    f->data[p] = frame.data[p];
    f->linesize[p] = frame.linesize[p];
  }
  auto* keep = new std::shared_ptr<void>(frame.owner);
  f->buf[0] = av_buffer_create(
      frame.data[0], 1,
      [](void* opaque, uint8_t*) { delete static_cast<std::shared_ptr<void>*>(opaque); }, keep,
      AV_BUFFER_FLAG_READONLY);
  if (f->buf[0] == nullptr) {
    delete keep;
    return ResourceExhaustedError("out of memory wrapping a frame");
  }
  f->pts = d.next_video++;
  int err = avcodec_send_frame(d.venc.get(), f.get());
  if (err < 0) return AvError(err, "encode video frame " + std::to_string(f->pts));
  return d.Drain(d.venc.get(), d.vstream);
}

Status MediaWriter::Impl::EncodeAudioFrames(bool flush) {
  const int frame_size = aenc->frame_size > 0 ? aenc->frame_size : 1024;
  size_t offset = 0;
  const size_t available = apending[0].size();
  while (available - offset >= static_cast<size_t>(frame_size) || (flush && offset < available)) {
    int n = static_cast<int>(std::min<size_t>(frame_size, available - offset));
    av_frame_unref(aframe.get());
    aframe->format = AV_SAMPLE_FMT_FLTP;
    aframe->nb_samples = n;
    aframe->sample_rate = aenc->sample_rate;
    av_channel_layout_copy(&aframe->ch_layout, &aenc->ch_layout);
    int err = av_frame_get_buffer(aframe.get(), 0);
    if (err < 0) return AvError(err, "allocate audio frame");
    for (size_t c = 0; c < apending.size(); ++c) {
      std::copy(apending[c].begin() + offset, apending[c].begin() + offset + n,
                reinterpret_cast<float*>(aframe->data[c]));
    }
    aframe->pts = next_audio_sample;
    next_audio_sample += n;
    offset += n;
    err = avcodec_send_frame(aenc.get(), aframe.get());
    if (err < 0) return AvError(err, "encode audio");
    CR_RETURN_IF_ERROR(Drain(aenc.get(), astream));
  }
  for (auto& c : apending) c.erase(c.begin(), c.begin() + offset);
  return Status::Ok();
}

Status MediaWriter::WriteAudio(const AudioBuffer& audio) {
  Impl& d = *impl_;
  if (!d.aenc) return FailedPreconditionError("this output has no audio track");
  if (audio.channel_count() != static_cast<int>(d.apending.size()) ||
      audio.sample_rate != d.aenc->sample_rate) {
    return InvalidArgumentError("audio does not match the output format");
  }
  for (size_t c = 0; c < d.apending.size(); ++c) {
    d.apending[c].insert(d.apending[c].end(), audio.channels[c].begin(), audio.channels[c].end());
  }
  return d.EncodeAudioFrames(false);
}

Status MediaWriter::Finish() {
  Impl& d = *impl_;
  if (d.finished) return Status::Ok();
  if (d.next_video == 0)
    return FailedPreconditionError("no video frames were written to " + d.path);
  int err = avcodec_send_frame(d.venc.get(), nullptr);
  if (err < 0) return AvError(err, "flush video encoder");
  CR_RETURN_IF_ERROR(d.Drain(d.venc.get(), d.vstream));
  if (d.aenc) {
    CR_RETURN_IF_ERROR(d.EncodeAudioFrames(true));
    err = avcodec_send_frame(d.aenc.get(), nullptr);
    if (err < 0) return AvError(err, "flush audio encoder");
    CR_RETURN_IF_ERROR(d.Drain(d.aenc.get(), d.astream));
  }
  err = av_write_trailer(d.fmt.get());
  if (err < 0) return AvError(err, "finish " + d.path);
  d.fmt.reset();  // closes the file
  if (std::rename(d.temp_path.c_str(), d.path.c_str()) != 0) {
    std::remove(d.temp_path.c_str());
    return UnavailableError("rename " + d.temp_path + " to " + d.path + " failed");
  }
  d.finished = true;
  return Status::Ok();
}

}  // namespace cutroom::media
