// The steps of a `cutroom clip` job, each a function of files: it reads its inputs (the source,
// earlier steps' JSON) and writes its outputs, so that the job engine (jobs/, the `clip`
// pipeline) can run them as cached, resumable steps:
//
//   probe -> (transcribe || analyze) -> select -> plan -> render[i] -> package
//
//   ProbeSource      source             -> probe.json       (has video/audio, MediaInfo)
//   AnalyzeSource    source             -> analysis.json    (AnalysisToJson, exact form)
//   TranscribeSource source, probe.json -> transcript.json  (exact: times as ticks@time_base)
//   SelectClipsFrom  transcript, analysis -> selection.json (select::SelectionToJson)
//   PlanClipsFrom    selection, transcript, analysis -> one Timeline JSON per clip
//   RenderClipFile   Timeline JSON      -> MP4
//   PackageClipFiles all of the above   -> the output folder (manifest.json last)
//
// Output layout (../shared/docs/architecture.md, docs/manifest.md):
//   DIR/manifest.json, DIR/transcript.json, DIR/analysis.json,
//   DIR/clips/NN.{mp4,srt,vtt,ass,jpg,timeline.json}, DIR/exports/NN.{fcpxml,edl,otio}
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "clip/clip_planner.h"
#include "cutroom/cancel.h"
#include "cutroom/log.h"
#include "cutroom/timeline.h"

namespace cutroom::clip {

// What every step gets from its runner.
struct StepEnv {
  int threads = 1;  // CPU budget of this step
  const CancelToken* cancel = nullptr;
  Logger* logger = nullptr;
  std::function<void(double, const std::string&)> progress;  // optional
};

// probe.json: {"has_video", "has_audio", "duration", "info": MediaInfo JSON}.
// Errors: as media::ProbeFile; FailedPrecondition when the source has no video stream.
Status ProbeSource(const std::string& input, const std::string& probe_json, const StepEnv& env);

struct ProbeFacts {
  bool has_video = false;
  bool has_audio = false;
};
Result<ProbeFacts> ReadProbeFacts(const std::string& probe_json);

Status AnalyzeSource(const std::string& input, const std::string& analysis_json, const StepEnv& env);

// A source without audio gets an empty transcript (the package warns about it).
Status TranscribeSource(const std::string& input, const std::string& probe_json,
                        const std::string& subtitles_path, const std::string& transcript_json,
                        const StepEnv& env);

struct ClipSelectOptions {
  int clips = 5;
  double min_s = 15;
  double max_s = 90;
  std::vector<std::string> topic;
  std::string weights_path;  // scoring weights JSON; empty = shipped defaults
};
// Errors: InvalidArgument for bad options or weights; NotFound when no clip can be made.
Status SelectClipsFrom(const std::string& transcript_json, const std::string& analysis_json,
                       const ClipSelectOptions& options, const std::string& selection_json);

// Writes clip i's Timeline (0-based, best first) to timeline_path(i); returns how many.
Result<int> PlanClipsFrom(const std::string& selection_json, const std::string& transcript_json,
                          const std::string& analysis_json, const std::string& source_path,
                          const PlanOptions& options,
                          const std::function<std::string(int)>& timeline_path);

Status RenderClipFile(const std::string& timeline_json, const std::string& mp4, const StepEnv& env);

struct PackageFiles {
  std::string output_dir;
  std::string source_path;  // absolute
  std::string probe_json, analysis_json, transcript_json, selection_json;
  std::vector<std::string> timelines;  // one per clip, in selection order
  std::vector<std::string> mp4s;       // rendered, same order
};

struct ClipJobResult {
  std::string manifest_path;
  int clips = 0;
  std::vector<std::string> warnings;
};

// Copies the MP4s and Timelines into output_dir and writes analysis.json and transcript.json in
// their documented (rounded) forms (each through a temporary file and a rename), writes captions, thumbnails and exports, then manifest.json last.
Result<ClipJobResult> PackageClipFiles(const PackageFiles& files, const StepEnv& env);

// What a finished package in `output_dir` says (manifest path, clip count, warnings).
Result<ClipJobResult> ReadPackageResult(const std::string& output_dir);

// "01.mp4" for (1, ".mp4").
std::string NumberedFile(int index, const std::string& ext);

}  // namespace cutroom::clip
