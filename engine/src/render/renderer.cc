#include "render/renderer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>

#include "analysis/audio/loudness_meter.h"
#include "captions/ass_overlay.h"
#include "captions/caption_styles.h"
#include "media/frames.h"
#include "media/media_writer.h"
#include "media/probe.h"
#include "media/video_reader.h"
#include "render/overlay_layer.h"
#include "render/timeline_audio.h"
#include "render/transition.h"
#include "render/video_compositor.h"
#include "timeline/validate.h"

namespace cutroom::render {
namespace {

// Headroom under the requested true-peak ceiling: AAC encoding adds inter-sample overshoot.
constexpr double kCodecHeadroomDb = 0.5;
// Loudness normalisation never boosts by more than this (near-silent sources stay quiet).
constexpr double kMaxGainDb = 30.0;

bool SamePath(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::exists(a, ec) && std::filesystem::exists(b, ec) &&
         std::filesystem::equivalent(a, b, ec);
}

Status CheckCancelled(const RenderOptions& options) {
  if (options.cancel != nullptr && options.cancel->IsCancelled()) {
    return CancelledError("render cancelled");
  }
  return Status::Ok();
}

// Integrated loudness of the audio as encoded before normalisation: the cut segments with their
// gains and fades plus the audio tracks, ducking included (the same TimelineAudio mix).
Result<double> MeasureLoudness(const timeline::Timeline& tl, const RenderOptions& options) {
  TimelineAudio::Options ao;
  ao.sample_rate = tl.output.audio->sample_rate;
  ao.channels = tl.output.audio->channels;
  ao.cancel = options.cancel;
  CR_ASSIGN_OR_RETURN(auto audio, TimelineAudio::Create(tl, ao));
  CR_ASSIGN_OR_RETURN(auto meter, analysis::LoudnessMeter::Create(
                                      ao.channels, ao.sample_rate,
                                      static_cast<unsigned>(analysis::LoudnessModes::kIntegrated)));
  for (;;) {
    CR_ASSIGN_OR_RETURN(AudioBuffer buf, audio->Read(ao.sample_rate));
    if (buf.frames() == 0) break;
    CR_RETURN_IF_ERROR(meter->Add(buf));
  }
  return meter->IntegratedLufs();
}

// Two output frames, reused once the encoder has let go of them.
class FramePool {
 public:
  FramePool(int w, int h) : w_(w), h_(h) {}
  VideoFrame Get() {
    for (auto& f : frames_) {
      if (f.owner.use_count() == 1) return f;
    }
    frames_.push_back(media::AllocateVideoFrame(PixelFormat::kYuv420p, w_, h_));
    return frames_.back();
  }

 private:
  int w_, h_;
  std::vector<VideoFrame> frames_;
};

// Decodes a still image once: its single picture is shown for every frame of its segments.
// FFmpeg's image demuxers (image2, png_pipe, jpeg_pipe, ...) read it as a one-frame video.
Result<VideoFrame> DecodeImage(const timeline::Source& source, const RenderOptions& options) {
  media::VideoReaderOptions vo;
  vo.threads = 1;
  vo.cancel = options.cancel;
  auto reader = media::VideoReader::Open(source.path, vo);
  if (!reader.ok()) {
    return reader.status().WithContext("image source '" + source.id + "'");
  }
  VideoFrame frame;
  auto got = (*reader)->Next(&frame);
  if (!got.ok()) return got.status().WithContext("image source '" + source.id + "'");
  // Frames come out at even sizes (4:2:0), so a 1-pixel-wide picture has nothing left.
  if (!*got || frame.empty() || frame.width < 2 || frame.height < 2) {
    return DataLossError("image source '" + source.id + "': " + source.path +
                         ": cannot decode the picture (unsupported or corrupt image file)");
  }
  return frame;
}

}  // namespace

Result<RenderStats> RenderTimeline(const timeline::Timeline& tl, const std::string& output_path,
                                   const RenderOptions& options) {
  CR_RETURN_IF_ERROR(timeline::ValidateStructure(tl, captions::StyleNames()));
  std::map<std::string, MediaInfo> infos;
  for (const auto& src : tl.sources) {
    auto info = media::ProbeFile(src.path, options.cancel);
    if (!info.ok()) return info.status().WithContext("source '" + src.id + "'");
    if (SamePath(src.path, output_path)) {
      return InvalidArgumentError("output " + output_path + " is the source '" + src.id +
                                  "': refusing to overwrite an input");
    }
    infos[src.id] = std::move(info).value();
  }
  CR_RETURN_IF_ERROR(timeline::ValidateAgainstSources(tl, infos));

  auto report = [&](double p, const std::string& m) {
    if (options.progress) options.progress(p, m);
  };
  RenderStats stats;
  const auto& out = tl.output;
  if (out.audio && tl.audio.loudness_target_lufs) {
    report(0.0, "measuring loudness");
    CR_ASSIGN_OR_RETURN(stats.source_loudness_lufs, MeasureLoudness(tl, options));
    if (std::isfinite(stats.source_loudness_lufs) && stats.source_loudness_lufs > -70.0) {
      stats.loudness_gain_db =
          std::min(kMaxGainDb, *tl.audio.loudness_target_lufs - stats.source_loudness_lufs);
    }
  }

  std::unique_ptr<captions::AssOverlay> overlay;
  if (tl.captions && !tl.captions->words.empty()) {
    CR_ASSIGN_OR_RETURN(std::string script,
                        captions::BuildAssScript(*tl.captions, out.width, out.height));
    CR_ASSIGN_OR_RETURN(overlay, captions::AssOverlay::Create(script, out.width, out.height,
                                                              tl.captions->font_file));
  }

  media::VideoEncodeSettings venc;
  venc.width = out.width;
  venc.height = out.height;
  venc.fps = out.fps;
  venc.preset = out.video.preset;
  venc.crf = out.video.crf;
  venc.profile = out.video.profile;
  venc.threads = options.threads;
  std::optional<media::AudioEncodeSettings> aenc;
  std::unique_ptr<TimelineAudio> audio;
  if (out.audio) {
    aenc =
        media::AudioEncodeSettings{out.audio->sample_rate, out.audio->channels, out.audio->bitrate};
    TimelineAudio::Options ao;
    ao.sample_rate = out.audio->sample_rate;
    ao.channels = out.audio->channels;
    ao.extra_gain_db = stats.loudness_gain_db;
    ao.limit_true_peak = tl.audio.loudness_target_lufs.has_value();
    ao.ceiling_dbtp = tl.audio.true_peak_dbtp - kCodecHeadroomDb;
    ao.cancel = options.cancel;
    CR_ASSIGN_OR_RETURN(audio, TimelineAudio::Create(tl, ao));
  }
  std::unique_ptr<OverlayLayer> overlays;
  if (!tl.overlays.empty()) {
    CR_ASSIGN_OR_RETURN(overlays, OverlayLayer::Create(tl, options.cancel));
  }
  CR_ASSIGN_OR_RETURN(auto writer, media::MediaWriter::Create(output_path, venc, aenc));

  const Rational frame_unit{out.fps.den, out.fps.num};  // seconds per frame
  const std::vector<int64_t> frame_bounds = SegmentBoundaries(tl, frame_unit);
  const int64_t total_frames = frame_bounds.back();
  std::map<std::string, std::unique_ptr<media::VideoReader>> readers;
  std::map<std::string, VideoFrame> images;  // by source id: one decoded picture per image
  VideoCompositor compositor(out.width, out.height);
  TransitionBlender transitions(out.width, out.height);
  const bool any_transition =
      std::any_of(tl.segments.begin() + 1, tl.segments.end(), [](const timeline::Segment& seg) {
        return seg.transition.kind != timeline::TransitionKind::kCut;
      });
  FramePool pool(out.width, out.height);
  MediaTime segment_out_start;
  int64_t audio_written = 0;
  const int sample_rate = out.audio ? out.audio->sample_rate : 48000;

  for (size_t s = 0; s < tl.segments.size(); ++s) {
    const timeline::Segment& seg = tl.segments[s];
    const timeline::Source& source = *tl.FindSource(seg.source);
    const bool is_image = source.kind == timeline::SourceKind::kImage;
    media::VideoReader* reader = nullptr;
    if (is_image) {
      if (!images.contains(seg.source)) {
        CR_ASSIGN_OR_RETURN(images[seg.source], DecodeImage(source, options));
      }
    } else {
      auto& slot = readers[seg.source];
      if (!slot) {
        media::VideoReaderOptions vo;
        vo.threads = options.threads;
        vo.cancel = options.cancel;
        CR_ASSIGN_OR_RETURN(slot, media::VideoReader::Open(source.path, vo));
      }
      reader = slot.get();
    }
    for (int64_t k = frame_bounds[s]; k < frame_bounds[s + 1]; ++k) {
      CR_RETURN_IF_ERROR(CheckCancelled(options));
      MediaTime t_out(k * frame_unit.num, {1, frame_unit.den});
      MediaTime offset = t_out - segment_out_start;
      if (offset < MediaTime()) offset = MediaTime();
      VideoFrame src;
      if (is_image) {
        src = images[seg.source];
      } else {
        CR_ASSIGN_OR_RETURN(src, reader->FrameAt(seg.in + offset));
      }
      VideoFrame frame = pool.Get();
      CR_RETURN_IF_ERROR(compositor.Compose(src, seg, offset, frame));
      if (s > 0) {
        if (auto progress = TransitionProgress(seg.transition, offset)) {
          CR_RETURN_IF_ERROR(transitions.Apply(seg.transition.kind, *progress, frame));
        }
      }
      // The next segment transitions from this picture as composed, without overlays and
      // captions: those lie over the transition, not inside it.
      if (any_transition && k + 1 == frame_bounds[s + 1]) transitions.Hold(frame);
      if (overlays) overlays->BlendOnto(frame, t_out);
      if (overlay) CR_RETURN_IF_ERROR(overlay->BlendOnto(frame, t_out));
      CR_RETURN_IF_ERROR(writer->WriteVideo(frame));
      if (audio) {
        // Keep audio level with video so the muxer interleaves without buffering.
        int64_t target = MediaTime((k + 1) * frame_unit.num, {1, frame_unit.den})
                             .Rescale({1, sample_rate}, Rounding::kNearest);
        while (audio_written < target) {
          CR_ASSIGN_OR_RETURN(AudioBuffer chunk, audio->Read(target - audio_written));
          if (chunk.frames() == 0) break;
          CR_RETURN_IF_ERROR(writer->WriteAudio(chunk));
          audio_written += chunk.frames();
          if (chunk.frames() < 64) break;  // limiter look-ahead filling: catch up next frame
        }
      }
      if ((k & 15) == 0) {
        report(static_cast<double>(k) / std::max<int64_t>(1, total_frames),
               "frame " + std::to_string(k) + "/" + std::to_string(total_frames));
      }
    }
    segment_out_start = segment_out_start + seg.duration();
    if (reader != nullptr && reader->corrupt_packets() > 0 && options.logger != nullptr) {
      options.logger->Warn(
          "source has damaged packets; skipped them",
          {{"source", seg.source}, {"packets", std::to_string(reader->corrupt_packets())}});
    }
  }
  if (audio) {
    for (;;) {
      CR_ASSIGN_OR_RETURN(AudioBuffer chunk, audio->Read(sample_rate));
      if (chunk.frames() == 0) break;
      CR_RETURN_IF_ERROR(writer->WriteAudio(chunk));
    }
  }
  CR_RETURN_IF_ERROR(CheckCancelled(options));
  report(1.0, "finishing");
  CR_RETURN_IF_ERROR(writer->Finish());
  stats.frames = writer->frames_written();
  stats.duration_s = static_cast<double>(stats.frames) * frame_unit.ToDouble();
  stats.bytes = writer->bytes_written();
  return stats;
}

}  // namespace cutroom::render
