#include "media/audio_reader.h"

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/opt.h>
}

#include <algorithm>
#include <deque>

#include "media/ffmpeg_util.h"

namespace cutroom::media {

struct AudioReader::Impl {
  std::string path;
  AudioReaderOptions options;
  InputFormatPtr fmt;
  CodecContextPtr dec;
  PacketPtr pkt{av_packet_alloc()};
  FramePtr frame{av_frame_alloc()};
  SwrPtr swr;
  int stream_index = -1;
  AVRational time_base{1, 1};
  int64_t origin = 0;  // container start in stream ticks
  bool input_eof = false;
  bool decoder_eof = false;
  bool swr_flushed = false;
  int consecutive_errors = 0;
  // Resampled samples not yet returned; `fifo_pos` is the output-rate sample index of fifo[c][0].
  std::vector<std::deque<float>> fifo;
  int64_t fifo_pos = 0;
  bool fifo_pos_known = false;
  int64_t read_pos = 0;  // output-rate sample index of the next sample Read() returns

  Status ConfigureResampler(const AVFrame* f);
  // Decodes and resamples one more frame into the fifo. Returns false at the very end.
  Result<bool> Pump();
};

AudioReader::AudioReader() : impl_(std::make_unique<Impl>()) {}
AudioReader::~AudioReader() = default;
int AudioReader::sample_rate() const { return impl_->options.sample_rate; }
int AudioReader::channels() const { return impl_->options.channels; }

Result<std::unique_ptr<AudioReader>> AudioReader::Open(const std::string& path,
                                                       const AudioReaderOptions& options) {
  if (options.channels < 1 || options.channels > 2 || options.sample_rate < 8000) {
    return InvalidArgumentError("audio reader: unsupported output format");
  }
  std::unique_ptr<AudioReader> reader(new AudioReader());
  Impl& d = *reader->impl_;
  d.path = path;
  d.options = options;
  CR_ASSIGN_OR_RETURN(d.fmt, OpenInput(path, options.cancel));
  int idx = av_find_best_stream(d.fmt.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
  if (idx < 0) return FailedPreconditionError(path + ": has no audio stream");
  d.stream_index = idx;
  for (unsigned i = 0; i < d.fmt->nb_streams; ++i) {
    if (static_cast<int>(i) != idx) d.fmt->streams[i]->discard = AVDISCARD_ALL;
  }
  AVStream* st = d.fmt->streams[idx];
  d.time_base = st->time_base;
  if (d.fmt->start_time != AV_NOPTS_VALUE) {
    d.origin = av_rescale_q(d.fmt->start_time, AV_TIME_BASE_Q, st->time_base);
  }
  CR_ASSIGN_OR_RETURN(d.dec, OpenDecoder(st, 1, path));
  d.fifo.resize(static_cast<size_t>(options.channels));
  return reader;
}

Status AudioReader::Impl::ConfigureResampler(const AVFrame* f) {
  AVChannelLayout out_layout = {};
  av_channel_layout_default(&out_layout, options.channels);
  AVChannelLayout in_layout = {};  // av_channel_layout_copy() first frees what dst holds
  if (f->ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || f->ch_layout.nb_channels <= 0) {
    av_channel_layout_default(&in_layout, std::max(1, f->ch_layout.nb_channels));
  } else {
    av_channel_layout_copy(&in_layout, &f->ch_layout);
  }
  SwrContext* raw = nullptr;
  int err =
      swr_alloc_set_opts2(&raw, &out_layout, AV_SAMPLE_FMT_FLTP, options.sample_rate, &in_layout,
                          static_cast<AVSampleFormat>(f->format), f->sample_rate, 0, nullptr);
  av_channel_layout_uninit(&in_layout);
  av_channel_layout_uninit(&out_layout);
  if (err < 0) return AvError(err, "configure resampler for " + path);
  swr.reset(raw);
  err = swr_init(swr.get());
  if (err < 0) return AvError(err, "configure resampler for " + path);
  return Status::Ok();
}

Result<bool> AudioReader::Impl::Pump() {
  const int out_rate = options.sample_rate;
  for (;;) {
    if (options.cancel != nullptr && options.cancel->IsCancelled()) {
      return CancelledError("decoding " + path + " was cancelled");
    }
    int err = avcodec_receive_frame(dec.get(), frame.get());
    if (err >= 0) {
      if (!swr) CR_RETURN_IF_ERROR(ConfigureResampler(frame.get()));
      if (!fifo_pos_known) {
        int64_t ts = frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp
                                                                    : frame->pts;
        if (ts == AV_NOPTS_VALUE) ts = origin;
        fifo_pos = av_rescale_q(ts - origin, time_base, AVRational{1, out_rate});
        fifo_pos_known = true;
      }
      int max_out = swr_get_out_samples(swr.get(), frame->nb_samples);
      std::vector<std::vector<float>> tmp(fifo.size(), std::vector<float>(std::max(max_out, 1)));
      std::vector<uint8_t*> ptrs;
      for (auto& t : tmp) ptrs.push_back(reinterpret_cast<uint8_t*>(t.data()));
      int got = swr_convert(swr.get(), ptrs.data(), max_out,
                            const_cast<const uint8_t**>(frame->extended_data), frame->nb_samples);
      av_frame_unref(frame.get());
      if (got < 0) return AvError(got, "resample audio of " + path);
      for (size_t c = 0; c < fifo.size(); ++c)
        fifo[c].insert(fifo[c].end(), tmp[c].begin(), tmp[c].begin() + got);
      return true;
    }
    if (err == AVERROR_EOF) {
      decoder_eof = true;
      if (swr && !swr_flushed) {
        swr_flushed = true;
        int max_out = swr_get_out_samples(swr.get(), 0);
        if (max_out > 0) {
          std::vector<std::vector<float>> tmp(fifo.size(), std::vector<float>(max_out));
          std::vector<uint8_t*> ptrs;
          for (auto& t : tmp) ptrs.push_back(reinterpret_cast<uint8_t*>(t.data()));
          int got = swr_convert(swr.get(), ptrs.data(), max_out, nullptr, 0);
          if (got > 0) {
            for (size_t c = 0; c < fifo.size(); ++c)
              fifo[c].insert(fifo[c].end(), tmp[c].begin(), tmp[c].begin() + got);
            return true;
          }
        }
      }
      return false;
    }
    if (err != AVERROR(EAGAIN)) return AvError(err, "decode audio of " + path);
    if (input_eof) {
      err = avcodec_send_packet(dec.get(), nullptr);
      if (err < 0 && err != AVERROR_EOF) return AvError(err, "flush audio decoder of " + path);
      continue;
    }
    err = av_read_frame(fmt.get(), pkt.get());
    if (err < 0) {
      if (err == AVERROR_EXIT) return AvError(err, "read " + path);
      input_eof = true;  // end or damaged tail: decode what we have
      continue;
    }
    if (pkt->stream_index != stream_index) {
      av_packet_unref(pkt.get());
      continue;
    }
    err = avcodec_send_packet(dec.get(), pkt.get());
    av_packet_unref(pkt.get());
    if (err == AVERROR_INVALIDDATA) {
      if (++consecutive_errors > 64) return DataLossError(path + ": audio stream is corrupt");
      continue;
    }
    if (err < 0 && err != AVERROR(EAGAIN)) return AvError(err, "decode audio of " + path);
    consecutive_errors = 0;
  }
}

Status AudioReader::Seek(MediaTime t) {
  Impl& d = *impl_;
  int64_t ts = t.Rescale(ToRational(d.time_base), Rounding::kDown) + d.origin;
  int err = av_seek_frame(d.fmt.get(), d.stream_index, ts, AVSEEK_FLAG_BACKWARD);
  if (err < 0) {
    err = av_seek_frame(d.fmt.get(), d.stream_index, d.origin,
                        AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY);
    if (err < 0) return AvError(err, "seek in " + d.path);
  }
  avcodec_flush_buffers(d.dec.get());
  d.swr.reset();  // a fresh resampler: no samples from before the seek leak through
  d.swr_flushed = false;
  d.input_eof = false;
  d.decoder_eof = false;
  for (auto& f : d.fifo) f.clear();
  d.fifo_pos_known = false;
  d.read_pos = t.Rescale({1, d.options.sample_rate}, Rounding::kNearest);
  return Status::Ok();
}

Result<AudioBuffer> AudioReader::Read(int64_t max_frames) {
  Impl& d = *impl_;
  AudioBuffer out;
  out.sample_rate = d.options.sample_rate;
  out.pts = MediaTime(d.read_pos, {1, d.options.sample_rate});
  out.channels.assign(d.fifo.size(), {});
  for (auto& c : out.channels) c.reserve(static_cast<size_t>(max_frames));
  while (out.frames() < max_frames) {
    if (d.fifo_pos_known) {
      // Drop samples before the read position (pre-roll after a seek).
      int64_t drop =
          std::min<int64_t>(d.read_pos - d.fifo_pos, static_cast<int64_t>(d.fifo[0].size()));
      if (drop > 0) {
        for (auto& f : d.fifo) f.erase(f.begin(), f.begin() + drop);
        d.fifo_pos += drop;
      }
      // Silence where the stream starts after the read position.
      int64_t gap = std::min(d.fifo_pos - d.read_pos, max_frames - out.frames());
      if (gap > 0) {
        for (auto& c : out.channels) c.insert(c.end(), static_cast<size_t>(gap), 0.0f);
        d.read_pos += gap;
        continue;
      }
      int64_t take =
          std::min<int64_t>(static_cast<int64_t>(d.fifo[0].size()), max_frames - out.frames());
      if (take > 0) {
        for (size_t c = 0; c < d.fifo.size(); ++c) {
          out.channels[c].insert(out.channels[c].end(), d.fifo[c].begin(),
                                 d.fifo[c].begin() + take);
          d.fifo[c].erase(d.fifo[c].begin(), d.fifo[c].begin() + take);
        }
        d.fifo_pos += take;
        d.read_pos += take;
        continue;
      }
    }
    CR_ASSIGN_OR_RETURN(bool more, d.Pump());
    if (!more) break;
  }
  return out;
}

}  // namespace cutroom::media
