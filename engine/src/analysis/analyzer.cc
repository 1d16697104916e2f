#include "analysis/analyzer.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <future>
#include <memory>
#include <mutex>

#include "analysis/faces/face_detector.h"
#include "media/audio_reader.h"
#include "media/probe.h"
#include "media/video_reader.h"

namespace cutroom::analysis {
namespace {

constexpr int64_t kAudioChunk = 4800;  // 100 ms at 48 kHz
constexpr int kAudioRate = 48000;
// One full scan in this many is done at twice the size, so that small faces are found without
// paying four times the cost on every scan.
constexpr int64_t kSmallFaceProbeEvery = 5;  // full scans
// One face sample in this many scans the whole picture; the others only around tracked faces.
constexpr int64_t kFullScanEvery = 5;

using FaceResult = Result<std::vector<FaceObservation>>;

// Detectors for the face tasks in flight; each task borrows one (dlib's scanner is not shareable).
class DetectorPool {
 public:
  void Add(std::unique_ptr<FaceDetector> d) { free_.push_back(std::move(d)); }
  std::unique_ptr<FaceDetector> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    auto d = std::move(free_.back());
    free_.pop_back();
    return d;
  }
  void Return(std::unique_ptr<FaceDetector> d) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(d));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<FaceDetector>> free_;  // guarded by mu_
};

struct PendingFaces {
  MediaTime time;
  std::future<FaceResult> result;  // boxes in upright frame pixels
};

// A part of the frame given to the face detector, box-downscaled by `factor`.
struct Region {
  Plane8 plane;
  int factor = 1;
  double x0 = 0.0, y0 = 0.0;  // top-left in upright frame pixels
  Upsample upsample = Upsample::kNone;
  FaceSizeRange sizes;  // face sides (pixels of `plane`) to look for; default: all
};

// The square around a predicted face box (normalised) that a face moving for one sample stays
// inside, scaled so the face is about kRoiFacePx.
Region RegionAround(const VideoFrame& frame, const RectF& box) {
  constexpr double kRoiFacePx = 100.0;
  const double face_px = std::max(box.w * frame.width, box.h * frame.height);
  const double cx = (box.x + box.w / 2) * frame.width, cy = (box.y + box.h / 2) * frame.height;
  const int side = std::min({static_cast<int>(face_px * 2.4) + 2, frame.width, frame.height});
  const int x0 = std::clamp(static_cast<int>(cx - side / 2.0), 0, frame.width - side);
  const int y0 = std::clamp(static_cast<int>(cy - side / 2.0), 0, frame.height - side);
  Region r;
  r.factor = std::max(1, static_cast<int>(face_px / kRoiFacePx));
  r.x0 = x0;
  r.y0 = y0;
  BoxDownscale(frame.data[0] + static_cast<size_t>(y0) * frame.linesize[0] + x0, frame.linesize[0],
               side, side, r.factor, &r.plane);
  // Under ~90 px the HOG window (80 px) misses the face: double the region instead.
  r.upsample = face_px / r.factor < 90.0 ? Upsample::kTwice : Upsample::kNone;
  // In 0.2 s a face changes size by far less than one pyramid level (1.2x): look for it one
  // level smaller or larger than it was, and skip the levels for smaller faces (the costly,
  // large ones) and larger ones. A face that grows or shrinks past that range within a sample
  // (a zoom cut) is left to the full scans, like a new face.
  constexpr double kRoiSizeMargin = 1.35;
  r.sizes = FaceSizeRange{face_px / r.factor / kRoiSizeMargin, face_px / r.factor * kRoiSizeMargin};
  return r;
}

// Face sampling, detection (inline or on the executor) and tracking.
class FaceStage {
 public:
  static Result<std::unique_ptr<FaceStage>> Create(const AnalyzeOptions& options, int frame_w,
                                                   int frame_h, std::vector<std::string>* notes) {
    auto stage = std::unique_ptr<FaceStage>(new FaceStage(options, frame_w, frame_h));
    const std::string model_path =
        options.landmark_model.empty() ? std::string(kDefaultLandmarkModel) : options.landmark_model;
    std::shared_ptr<const LandmarkModel> model;
    auto loaded = LandmarkModel::Load(model_path);
    if (loaded.ok()) {
      model = *loaded;
    } else {
      notes->push_back("faces: no mouth activity (" + loaded.status().message() + ")");
    }
    const int workers = options.executor != nullptr ? std::max(1, options.executor->Concurrency()) : 1;
    for (int i = 0; i < workers; ++i) {
      CR_ASSIGN_OR_RETURN(auto detector, FaceDetector::Create(model));
      stage->pool_.Add(std::move(detector));
    }
    stage->max_in_flight_ = static_cast<size_t>(workers);
    return stage;
  }

  // Takes a sample when `frame` is due; returns an error only from a failed detection.
  //
  // Cost control (HOG at 640 px costs ~60 ms with Debian's SSE2 dlib, several times the decode of
  // a 1080p frame): the whole picture is scanned once every kFullScanEvery samples; in between,
  // only regions around the tracked faces' predicted boxes are scanned, scaled so that the face
  // is ~100 px. New faces therefore appear within a second; tracked ones are followed at the
  // full sample rate.
  Status MaybeSample(const VideoFrame& frame) {
    if (!next_) next_ = frame.pts;
    if (frame.pts < *next_) return Status::Ok();
    while (*next_ <= frame.pts) *next_ = *next_ + interval_;
    const bool full = samples_ % kFullScanEvery == 0;
    ++samples_;
    auto regions = std::make_shared<std::vector<Region>>();
    if (full) {
      // Faces under ~120 px in the scan are found by the upsampled probe scan; once tracked,
      // the regions below follow them at full resolution.
      Region r;
      r.factor = BoxFactor(frame.width, frame.height, options_.face_max_side);
      BoxDownscale(frame.data[0], frame.linesize[0], frame.width, frame.height, r.factor, &r.plane);
      r.upsample = full_scans_ % kSmallFaceProbeEvery == 0 ? Upsample::kTwice : Upsample::kNone;
      ++full_scans_;
      regions->push_back(std::move(r));
    }
    for (const RectF& box : tracker_.PredictedBoxes(frame.pts)) {
      regions->push_back(RegionAround(frame, box));
    }
    if (regions->empty()) return Status::Ok();  // nothing tracked: wait for the next full scan

    DetectorPool* pool = &pool_;
    auto task = std::make_shared<std::packaged_task<FaceResult()>>([pool, regions]() -> FaceResult {
      auto detector = pool->Take();
      std::vector<FaceObservation> all;
      for (const Region& r : *regions) {
        FaceResult found = detector->Detect(r.plane, r.upsample, r.sizes);
        if (!found.ok()) {
          pool->Return(std::move(detector));
          return found.status();
        }
        for (FaceObservation f : *found) {
          // To upright frame pixels.
          f.box = RectF{r.x0 + f.box.x * r.factor, r.y0 + f.box.y * r.factor, f.box.w * r.factor,
                        f.box.h * r.factor};
          // Overlapping regions can see the same face twice: keep the surer one.
          bool duplicate = false;
          for (auto& kept : all) {
            if (Iou(kept.box, f.box) > 0.5) {
              if (f.score > kept.score) kept = f;
              duplicate = true;
            }
          }
          if (!duplicate) all.push_back(f);
        }
      }
      pool->Return(std::move(detector));
      return all;
    });
    PendingFaces pending{frame.pts, task->get_future()};
    if (options_.executor != nullptr) {
      options_.executor->Submit([task]() { (*task)(); });
    } else {
      (*task)();
    }
    pending_.push_back(std::move(pending));
    while (pending_.size() >= max_in_flight_) CR_RETURN_IF_ERROR(Collect());
    return Status::Ok();
  }

  Status Drain() {
    Status first;
    while (!pending_.empty()) {
      Status s = Collect();
      if (first.ok() && !s.ok()) first = s;
    }
    return first;
  }

  // Tasks in flight use pool_: they must end before it does (an early error return).
  ~FaceStage() {
    for (auto& p : pending_) {
      if (p.result.valid()) p.result.wait();
    }
  }

  std::vector<FaceTrack> Finish() { return tracker_.Finish(); }
  int64_t samples() const { return samples_; }

 private:
  FaceStage(const AnalyzeOptions& options, int frame_w, int frame_h)
      : options_(options), tracker_(options.tracker), frame_w_(frame_w), frame_h_(frame_h) {
    const Rational rate = options.face_sample_rate;
    interval_ = MediaTime::FromRational(Rational::Make(rate.den, rate.num));
  }

  Status Collect() {
    PendingFaces p = std::move(pending_.front());
    pending_.pop_front();
    FaceResult faces = p.result.get();
    if (!faces.ok()) return faces.status();
    std::vector<FaceDetection> detections;
    for (const auto& f : *faces) {
      FaceDetection d;
      d.box = RectF{f.box.x / frame_w_, f.box.y / frame_h_, f.box.w / frame_w_, f.box.h / frame_h_};
      d.score = f.score;
      if (f.has_landmarks) d.mouth_openness = f.mouth_openness;
      detections.push_back(d);
    }
    tracker_.Update(p.time, detections);
    return Status::Ok();
  }

  const AnalyzeOptions& options_;
  FaceTracker tracker_;
  DetectorPool pool_;
  std::deque<PendingFaces> pending_;
  size_t max_in_flight_ = 1;
  double frame_w_, frame_h_;
  MediaTime interval_;
  std::optional<MediaTime> next_;
  int64_t samples_ = 0;
  int64_t full_scans_ = 0;
};

// A stream that stops well before the duration its header declares is usually a file cut short
// (an interrupted copy or upload): say so, since everything after that point is missing.
void NoteTruncation(const MediaTime& declared, const MediaTime& decoded_end, const char* what,
                    std::vector<std::string>* notes) {
  const double declared_s = declared.ToSeconds(), end_s = decoded_end.ToSeconds();
  if (declared_s <= 0 || end_s <= 0) return;
  if (declared_s - end_s <= std::max(1.0, 0.02 * declared_s)) return;
  char text[160];
  std::snprintf(text, sizeof(text),
                "the source looks truncated: its %s stops at %.1f s of the %.1f s its header "
                "declares",
                what, end_s, declared_s);
  notes->push_back(text);
}

// Box-downscales a yuv420p frame to equal-size Y, U and V planes of about `max_side`.
void ToSmallYuv(const VideoFrame& frame, int max_side, SmallYuv* out) {
  int factor = BoxFactor(frame.width, frame.height, max_side);
  if (factor < 2) factor = 2;
  if (factor % 2 != 0) ++factor;
  BoxDownscale(frame.data[0], frame.linesize[0], frame.width, frame.height, factor, &out->y);
  BoxDownscale(frame.data[1], frame.linesize[1], frame.width / 2, frame.height / 2, factor / 2, &out->u);
  BoxDownscale(frame.data[2], frame.linesize[2], frame.width / 2, frame.height / 2, factor / 2, &out->v);
}

}  // namespace

Result<Analysis> AnalyzeFile(const std::string& path, const AnalyzeOptions& options) {
  if (options.face_sample_rate.num <= 0 || options.face_sample_rate.den <= 0) {
    return InvalidArgumentError("face sample rate must be positive");
  }
  if (options.scene_max_side < 16 || options.face_max_side < 64) {
    return InvalidArgumentError("analysis sizes too small (scenes >= 16 px, faces >= 64 px)");
  }
  CR_ASSIGN_OR_RETURN(MediaInfo info, media::ProbeFile(path, options.cancel));
  Analysis out;
  out.path = path;
  out.duration = info.duration;
  const StreamInfo* video_stream = info.video();
  const StreamInfo* audio_stream = info.audio();
  if (video_stream == nullptr && audio_stream == nullptr) {
    return InvalidArgumentError(path + ": has no audio or video stream to analyse");
  }

  std::unique_ptr<media::VideoReader> video;
  if (video_stream != nullptr) {
    media::VideoReaderOptions vo;
    vo.threads = options.decode_threads;
    vo.cancel = options.cancel;
    vo.skip_loop_filter = options.skip_loop_filter;
    auto opened = media::VideoReader::Open(path, vo);
    if (opened.ok()) {
      video = std::move(opened).value();
    } else if (audio_stream == nullptr) {
      return opened.status();
    } else {
      out.notes.push_back("video not analysed: " + opened.status().message());
    }
  } else {
    out.notes.push_back("no video stream: audio-only analysis (no cuts, motion or faces)");
  }

  std::unique_ptr<media::AudioReader> audio;
  std::unique_ptr<AudioAnalyzer> audio_analyzer;
  if (audio_stream != nullptr) {
    media::AudioReaderOptions ao;
    ao.sample_rate = kAudioRate;
    ao.channels = audio_stream->channels >= 2 ? 2 : 1;
    ao.cancel = options.cancel;
    auto opened = media::AudioReader::Open(path, ao);
    if (opened.ok()) {
      audio = std::move(opened).value();
      CR_ASSIGN_OR_RETURN(audio_analyzer,
                          AudioAnalyzer::Create(audio->channels(), audio->sample_rate(), options.audio));
    } else if (video == nullptr) {
      return opened.status();
    } else {
      out.notes.push_back("audio not analysed: " + opened.status().message());
    }
  } else {
    out.notes.push_back("no audio stream: video-only analysis (no loudness, silences or peaks)");
  }
  if (video == nullptr && audio == nullptr) return DataLossError(path + ": nothing to analyse");

  std::unique_ptr<FaceStage> faces;
  if (video != nullptr) {
    out.width = video->width();
    out.height = video->height();
    out.fps = video->stream().fps;
    if (options.faces == FaceMode::kDetect) {
      CR_ASSIGN_OR_RETURN(faces, FaceStage::Create(options, out.width, out.height, &out.notes));
      out.face_sample_rate = options.face_sample_rate;
    } else {
      out.notes.push_back("faces: not requested");
    }
  }

  SceneDetector scenes(options.scenes);
  MotionMeter motion;
  SmallYuv small;
  const double duration_s = std::max(1e-3, info.duration.ToSeconds());
  bool audio_done = audio == nullptr;
  MediaTime audio_position;

  // Decodes audio up to `until` (all of it when null). Damage ends the audio with a note.
  auto pump_audio = [&](const MediaTime* until) -> Status {
    while (!audio_done && (until == nullptr || audio_position <= *until)) {
      auto buffer = audio->Read(kAudioChunk);
      if (!buffer.ok()) {
        if (buffer.status().code() == StatusCode::kCancelled) return buffer.status();
        out.notes.push_back("audio analysis stopped at " + audio_position.ToString() +
                            " s: " + buffer.status().message());
        audio_done = true;
        break;
      }
      if (buffer->frames() == 0) {
        audio_done = true;
        break;
      }
      CR_RETURN_IF_ERROR(audio_analyzer->Add(*buffer));
      audio_position = buffer->pts + MediaTime(buffer->frames(), Rational::Make(1, buffer->sample_rate));
      if (video == nullptr && options.progress) {
        options.progress(audio_position.ToSeconds() / duration_s, "audio");
      }
    }
    return Status::Ok();
  };

  if (video != nullptr) {
    VideoFrame frame;
    MediaTime video_end;  // end of the last decoded frame
    for (;;) {
      auto more = video->Next(&frame);
      if (!more.ok()) {
        if (more.status().code() == StatusCode::kCancelled) return more.status();
        if (out.video_frames == 0 && audio == nullptr) return more.status();
        out.notes.push_back("video analysis stopped after " + std::to_string(out.video_frames) +
                            " frames: " + more.status().message());
        break;
      }
      if (!*more) break;
      if (frame.format != PixelFormat::kYuv420p || frame.width < 4 || frame.height < 4) {
        return DataLossError(path + ": decoder returned an unusable frame");
      }
      CR_RETURN_IF_ERROR(pump_audio(&frame.pts));
      ToSmallYuv(frame, options.scene_max_side, &small);
      scenes.Add(small, frame.pts);
      out.motion.push_back(motion.Add(small.y, frame.pts));
      if (faces != nullptr) CR_RETURN_IF_ERROR(faces->MaybeSample(frame));
      ++out.video_frames;
      video_end = frame.pts + frame.duration;
      if (options.progress && out.video_frames % 30 == 0) {
        options.progress(frame.pts.ToSeconds() / duration_s, "video + audio");
      }
    }
    out.corrupt_packets = video->corrupt_packets();
    if (out.video_frames == 0) {
      out.notes.push_back("video stream has no decodable frames");
    } else {
      out.has_video = true;
    }
    scenes.Finish();
    out.cuts = scenes.cuts();
    if (faces != nullptr) {
      CR_RETURN_IF_ERROR(faces->Drain());
      out.faces = faces->Finish();
      out.face_samples = faces->samples();
    }
    if (out.corrupt_packets > 0) {
      out.notes.push_back("skipped " + std::to_string(out.corrupt_packets) +
                          " corrupt video packets");
    }
    NoteTruncation(video->stream().duration > MediaTime() ? video->stream().duration : info.duration,
                   video_end, "video", &out.notes);
  }
  CR_RETURN_IF_ERROR(pump_audio(nullptr));
  if (video == nullptr) NoteTruncation(info.duration, audio_position, "audio", &out.notes);
  if (audio_analyzer != nullptr) {
    out.audio = audio_analyzer->Finish();
    out.has_audio = out.audio->duration > MediaTime();
    if (!out.has_audio) out.notes.push_back("audio stream has no decodable samples");
  }
  if (!out.has_video && !out.has_audio) {
    return DataLossError(path + ": no decodable audio or video");
  }
  if (options.progress) options.progress(1.0, "done");
  return out;
}

}  // namespace cutroom::analysis
