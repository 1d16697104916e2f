// `cutroom clip` in one process: probe -> analyze -> transcribe -> select -> plan ->
// render[i] (in parallel within the CPU budget) -> package. Each step is a function of the
// previous steps' outputs, so the job engine (jobs/) can run them as cached, resumable steps.
//
// Output layout (../shared/docs/architecture.md, docs/manifest.md):
//   DIR/manifest.json, DIR/transcript.json, DIR/analysis.json,
//   DIR/clips/NN.{mp4,srt,vtt,ass,jpg,timeline.json}, DIR/exports/NN.{fcpxml,edl,otio}
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cutroom/cancel.h"
#include "cutroom/executor.h"
#include "cutroom/log.h"
#include "cutroom/timeline.h"

namespace cutroom::clip {

struct ClipJobOptions {
  std::string input;
  std::string output_dir;
  int clips = 5;
  double min_s = 15;
  double max_s = 90;
  std::string aspect = "9:16";
  int width = 0, height = 0;  // exact output size; 0: from `aspect`
  std::string caption_style = "highlight_word";
  timeline::Layout layout = timeline::Layout::kInvalid;  // kInvalid = auto
  std::vector<std::string> topic;
  std::string subtitles_path;  // explicit subtitles; else embedded/sidecar/recognition
  std::string weights_path;    // scoring weights JSON; empty = shipped defaults
  int threads = 1;             // CPU budget
  const CancelToken* cancel = nullptr;
  Logger* logger = nullptr;
  std::function<void(double, const std::string&)> progress;
};

struct ClipJobResult {
  std::string manifest_path;
  int clips = 0;
  std::vector<std::string> warnings;
};

// REQUIRES: `executor` has options.threads workers (renders and recognition run on it).
Result<ClipJobResult> RunClipJob(const ClipJobOptions& options, Executor& executor);

}  // namespace cutroom::clip
