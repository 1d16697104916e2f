// The `compose` pipeline: a tagged script (written, from an ad template, or from a topic) to a
// narrated video (engine compose/), as cached, resumable steps. The step functions are
// compose/compose_job.h's; this file declares what each reads, so that cache keys are right.
//
//   narrate (v1) script text; options voice, sentence_gap_s, paragraph_pause_s, max_duration_s
//                                                               -> narration.wav, narration.json
//   render  (v1) narrate; script text, style.json text, and the fingerprints (path, size,
//                modification time) of every file they name (images, b-roll, music, logo,
//                intro, outro, fonts); option threads
//                plans the Timeline (slides into the step's own folder) and renders it
//                                                               -> video.mp4, timeline.json
//   package (v1) everything; option output; never cached (writes the user's folder): plans
//                again into DIR/assets (deterministic, cheap) so DIR/timeline.json renders again
//                from DIR alone, then compose::PackageComposition -> result.json (+ the folder)
//
// Job inputs:  script = absolute path of the tagged script; style = absolute path of style.json
//              (compose_style.h), both read when a step runs and hashed into its key.
// Job options: output (folder, required), threads (CPU budget), and the style's voice,
//              sentence_gap_s, paragraph_pause_s and max_duration_s (copied from style.json by
//              MakeComposeJob: narration reads only these, so it is shared across looks).
// A colour or caption change, even into another folder, re-runs render and package, never narrate.
#pragma once

#include <string>

#include "cutroom/jobs/model.h"
#include "cutroom/jobs/pipeline.h"

namespace cutroom::jobs {

Status RegisterComposePipeline(PipelineRegistry& registry);

struct ComposeJobRequest {
  std::string script_path;  // the tagged script
  std::string style_path;   // style.json (the CLI writes DIR/style.json from its flags)
  std::string output_dir;
  int threads = 1;
};

// Checks what a user needs to hear about before a job exists — the script parses (errors with
// line and column), the style parses, the files they name exist — creates the output folder and
// builds the job with absolute paths.
Result<NewJob> MakeComposeJob(const PipelineRegistry& registry, const ComposeJobRequest& request);

}  // namespace cutroom::jobs
