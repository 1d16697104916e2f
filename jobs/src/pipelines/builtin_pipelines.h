// The one place where the pipelines this build knows are registered (no static registration).
#pragma once

#include "cutroom/jobs/pipeline.h"

namespace cutroom::jobs {

// Registers: render (render_pipeline.h), clip (clip_pipeline.h). The compose pipeline will be
// added here.
Status RegisterBuiltinPipelines(PipelineRegistry& registry);

}  // namespace cutroom::jobs
