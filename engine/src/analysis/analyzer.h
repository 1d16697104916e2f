// AnalyzeFile: scenes, motion, faces and audio of a media file in one streaming decode pass.
// The adapter between media/ (decoding) and the pure detectors in scenes/, motion/, faces/ and
// audio/. Every video frame is box-downscaled once to ~256 px for the scene and motion detectors;
// frames sampled at `face_sample_rate` are downscaled to <= 640 px for the face detector; audio is
// decoded in the same loop, interleaved by time. Memory does not grow with the source: frames are
// dropped as soon as they are measured, and only small per-sample records are kept.
//
// Thread safety: AnalyzeFile may run on several threads at once with distinct options. It starts
// no threads itself: face detection runs on `executor` when one is given (up to its concurrency
// samples in flight), else inline.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/audio/audio_analyzer.h"
#include "analysis/faces/face_tracker.h"
#include "analysis/motion/motion_meter.h"
#include "analysis/scenes/scene_detector.h"
#include "cutroom/cancel.h"
#include "cutroom/executor.h"
#include "cutroom/media_time.h"
#include "cutroom/status.h"

namespace cutroom::analysis {

inline constexpr int kAnalysisVersion = 1;

enum class FaceMode { kInvalid = 0, kOff, kDetect };

struct AnalyzeOptions {
  int scene_max_side = 256;              // working size of the scene and motion detectors
  int face_max_side = 640;               // working size of the full-picture face scans
  Rational face_sample_rate{5, 1};       // face samples per second of source
  FaceMode faces = FaceMode::kDetect;
  std::string landmark_model;            // empty: the libdlib-data default path
  int decode_threads = 0;                // FFmpeg decode threads; 0 = FFmpeg's choice
  bool skip_loop_filter = true;          // ~20% faster H.264 decode; detectors do not notice
  Executor* executor = nullptr;          // not owned; null: face detection inline
  const CancelToken* cancel = nullptr;   // not owned
  // Called from the calling thread with 0..1 and a short message.
  std::function<void(double, const std::string&)> progress;
  SceneDetectorOptions scenes;
  AudioAnalyzerOptions audio;
  FaceTrackerOptions tracker;
};

struct Analysis {
  std::string path;
  MediaTime duration;
  bool has_video = false;  // analysed video (a stream was present and decodable)
  bool has_audio = false;
  int width = 0;           // upright
  int height = 0;
  Rational fps;
  std::vector<std::string> notes;  // what was skipped or degraded, for people
  int64_t video_frames = 0;
  int64_t face_samples = 0;
  int corrupt_packets = 0;
  Rational face_sample_rate;
  std::vector<SceneCut> cuts;
  std::vector<MotionSample> motion;  // one per video frame
  std::vector<FaceTrack> faces;
  std::optional<AudioAnalysis> audio;
};

// Errors: as media::ProbeFile (missing, empty, not media), InvalidArgument when the file has
// neither video nor audio, Cancelled, DataLoss when nothing could be decoded. Damage after some
// frames were decoded ends that stream's analysis early with a note instead of an error.
Result<Analysis> AnalyzeFile(const std::string& path, const AnalyzeOptions& options);

enum class AnalysisJsonForm {
  kInvalid = 0,
  kRounded,  // analysis.json as documented (docs/analysis.md): compact, rounded values
  kExact,    // the same fields, doubles unrounded and times as exact "ticks@time_base" strings:
             // AnalysisFromJson gives back the same values (the clip job's stored artifact)
};

// analysis.json (docs/analysis.md).
std::string AnalysisToJson(const Analysis& analysis, AnalysisJsonForm form = AnalysisJsonForm::kRounded);

// Reads analysis.json back: everything later steps use (source facts with exact duration and
// frame rate, cuts, motion, face tracks with their samples, audio loudness, peaks, silences and
// speech). Values come back as written: rounded (times to 0.1 ms) or, from kExact, exactly.
// `face_samples` is not in the file (0). Errors: DataLoss for text that is not analysis.json of this version.
Result<Analysis> AnalysisFromJson(std::string_view json);

}  // namespace cutroom::analysis
