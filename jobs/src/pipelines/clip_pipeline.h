// The `clip` pipeline: a long video to scored, reframed, captioned shorts (engine clip/), as
// cached, resumable steps. The step functions are clip/clip_job.h's; this file declares what each
// reads, so that cache keys are right.
//
//   probe      (v1) source fingerprint                           -> probe.json
//   transcribe (v1) probe; options subtitles (+ file fingerprint), threads -> transcript.json
//   analyze    (v1) probe; option threads                        -> analysis.json
//              (their results depend on the executor's concurrency, so threads is in the key)
//   select     (v1) transcribe, analyze; options clips, min_s, max_s, topic, weights
//                   (+ weights file hash)                        -> selection.json
//   plan       (v1) select, transcribe, analyze; input source; options aspect, size, layout,
//                   caption_style                                -> plan.json, timeline_{i}.json
//                   expands into render[0..N-1] before package
//   render[i]  (v1) plan/timeline_{i}.json; options threads, parallel (+ source fingerprint)
//                                                                 -> clip.mp4
//   package    (v1) everything; option output; never cached (writes the user's folder)
//                                                                 -> manifest.json (+ the folder)
//
// Job inputs:  source = absolute path of the video.
// Job options: output (folder, required), clips, min_s, max_s, topic, weights, aspect, size
//              ("WxH" or unset), layout (auto|fill|fit_blur|split), caption_style, subtitles,
//              threads (CPU budget), parallel (steps at once; each gets threads/parallel;
//              MakeClipJob sets 1 to keep the job's memory under budget).
// A caption-style change re-runs plan, render[i] and package only.
#pragma once

#include <string>
#include <vector>

#include "cutroom/jobs/model.h"
#include "cutroom/jobs/pipeline.h"

namespace cutroom::jobs {

Status RegisterClipPipeline(PipelineRegistry& registry);

struct ClipJobRequest {
  std::string input;
  std::string output_dir;
  int clips = 5;
  double min_s = 15;
  double max_s = 90;
  std::string aspect = "9:16";
  int width = 0, height = 0;  // exact output size; 0: from `aspect`
  std::string caption_style = "highlight_word";
  std::string layout = "auto";
  std::vector<std::string> topic;
  std::string subtitles_path;
  std::string weights_path;
  int threads = 1;  // CPU budget
};

// Checks the request as a user needs to hear about it before a job exists (missing input,
// unknown aspect, layout or caption style, bad ranges), creates the output folder, and builds
// the job with absolute paths.
Result<NewJob> MakeClipJob(const PipelineRegistry& registry, const ClipJobRequest& request);

}  // namespace cutroom::jobs
