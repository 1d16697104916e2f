// `cutroom analyze`: scenes, motion, faces and audio of a media file -> analysis.json.
#include <csignal>
#include <cstdio>
#include <fstream>
#include <string>

#include "analysis/analyzer.h"
#include "cli_common.h"
#include "commands.h"

namespace cutroom::cli {
namespace {

constexpr char kUsage[] = R"(usage: cutroom analyze FILE [-o analysis.json] [options]

Analyses a video or audio file in one decoding pass: shot cuts (with fades), per-frame motion,
face tracks with mouth activity, and audio loudness (EBU R128), silences, peaks and speech
activity. Writes analysis.json (docs/analysis.md); without -o it goes to stdout.

  -o, --output FILE      where to write the JSON
  --face-fps N           face samples per second (default 5; 0 turns face detection off)
  --landmarks FILE       dlib 68-point landmark model
                         (default /usr/share/dlib/shape_predictor_68_face_landmarks.dat)
  --threads N            decode threads and face-detection workers (default: FFmpeg's choice, 1 worker)
  --log-format FORMAT    text (default) or json lines on stderr
  --verbose              also show FFmpeg's own messages

Exit codes: 0 ok, 1 the file could not be analysed, 2 bad arguments.
)";

CancelToken* g_cancel = nullptr;  // only for the signal handler; owned by RunAnalyze's stack
extern "C" void OnAnalyzeSignal(int) {
  if (g_cancel != nullptr) g_cancel->Cancel();
}

bool ParseInt(const std::string& text, int lo, int hi, int* out) {
  try {
    size_t used = 0;
    const int v = std::stoi(text, &used);
    if (used != text.size() || v < lo || v > hi) return false;
    *out = v;
    return true;
  } catch (...) {
    return false;
  }
}

}  // namespace

int RunAnalyze(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, {"--help", "-h", "--verbose"},
                        {"-o", "--output", "--face-fps", "--landmarks", "--threads", "--log-format"});
  if (!args.ok()) return Fail("analyze", args.status().message(), kExitUsage);
  if (args->Has("--help") || args->Has("-h")) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (args->positional.size() != 1) return Fail("analyze", "expected one FILE", kExitUsage);
  auto format = ParseLogFormat(args->Get("--log-format"));
  if (!format.ok()) return Fail("analyze", format.status().message(), kExitUsage);
  const std::string output = args->Get("-o", args->Get("--output"));

  analysis::AnalyzeOptions options;
  if (args->Has("--face-fps")) {
    int fps = 0;
    if (!ParseInt(args->Get("--face-fps"), 0, 60, &fps)) {
      return Fail("analyze", "--face-fps must be 0..60", kExitUsage);
    }
    if (fps == 0) {
      options.faces = analysis::FaceMode::kOff;
    } else {
      options.face_sample_rate = Rational{fps, 1};
    }
  }
  int threads = 0;
  if (args->Has("--threads") && !ParseInt(args->Get("--threads"), 1, 64, &threads)) {
    return Fail("analyze", "--threads must be 1..64", kExitUsage);
  }
  options.decode_threads = threads;
  options.landmark_model = args->Get("--landmarks");
  ConfigureLibraryLogging(args->Has("--verbose"));
  Logger logger(stderr, *format);

  // Face detection is the costly part: with --threads N it runs on N-1 workers beside decoding.
  std::unique_ptr<ThreadPoolExecutor> pool;
  if (threads > 1) {
    pool = std::make_unique<ThreadPoolExecutor>(threads - 1);
    options.executor = pool.get();
  }
  CancelToken cancel;
  g_cancel = &cancel;
  std::signal(SIGINT, OnAnalyzeSignal);
  std::signal(SIGTERM, OnAnalyzeSignal);
  options.cancel = &cancel;
  ProgressBar bar;
  options.progress = [&](double p, const std::string& m) { bar.Update(p, m); };

  const std::string& path = args->positional[0];
  auto result = analysis::AnalyzeFile(path, options);
  bar.Done();
  g_cancel = nullptr;
  if (!result.ok()) {
    logger.Error(result.status().message(), {{"command", "analyze"}, {"file", path}});
    return kExitFailure;
  }
  for (const auto& note : result->notes) logger.Warn(note, {{"command", "analyze"}});
  const std::string json = analysis::AnalysisToJson(*result);
  if (output.empty()) {
    std::fputs(json.c_str(), stdout);
  } else {
    // Written under a temporary name and renamed, so a reader never sees half a file.
    const std::string tmp = output + ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << json;
      if (!out.good()) return Fail("analyze", "cannot write " + tmp);
    }
    if (std::rename(tmp.c_str(), output.c_str()) != 0) {
      std::remove(tmp.c_str());
      return Fail("analyze", "cannot write " + output);
    }
  }
  logger.Info("analysed", {{"file", path},
                           {"cuts", std::to_string(result->cuts.size())},
                           {"face_tracks", std::to_string(result->faces.size())},
                           {"frames", std::to_string(result->video_frames)}});
  return kExitOk;
}

}  // namespace cutroom::cli
