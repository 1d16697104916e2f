// The `render` pipeline: one Timeline to one finished MP4, resumable and cached.
//
//   probe   (v1)  probes every source of the Timeline            -> probe.json
//   render  (v1)  engine RenderTimeline, cancellable, progress   -> render.mp4
//   package (v1)  copies render.mp4 to the requested output and writes <stem>.manifest.json
//
// Job inputs:  timeline = absolute path of the Timeline JSON.
// Job options: output = absolute path of the MP4 (required); caption_style = a style name that
//              replaces the Timeline's; threads = CPU budget for render ("1".."64").
// Cache keys:  probe   = source files' fingerprints (path, size, modification time);
//              render  = canonical Timeline JSON + caption_style + threads + probe.json's hash;
//              package = never cached (it writes outside the data directory; a cheap copy).
// So a caption-style change re-runs render and package, never probe.
#pragma once

#include <map>
#include <string>

#include "cutroom/jobs/model.h"
#include "cutroom/jobs/pipeline.h"

namespace cutroom::jobs {

Status RegisterRenderPipeline(PipelineRegistry& registry);

struct RenderJobRequest {
  std::string timeline_path;
  std::string output_path;
  std::string caption_style;  // "" keeps the Timeline's
  int threads = 0;            // 0: library default
};

// Checks the request the way a user needs to hear about it before a job exists (a Timeline that
// does not parse, an output folder that does not exist, an output that is a source, an unknown
// caption style) and builds the job with absolute paths.
Result<NewJob> MakeRenderJob(const PipelineRegistry& registry, const RenderJobRequest& request);

// The manifest written next to the output: "<folder>/<stem>.manifest.json".
std::string ManifestPathFor(const std::string& output_path);

}  // namespace cutroom::jobs
