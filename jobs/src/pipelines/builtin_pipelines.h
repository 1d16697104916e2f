// The one place where the pipelines this build knows are registered (no static registration).
#pragma once

#include "cutroom/jobs/pipeline.h"

namespace cutroom::jobs {

// Registers: render (render_pipeline.h). The clip and compose pipelines will be added here.
Status RegisterBuiltinPipelines(PipelineRegistry& registry);

}  // namespace cutroom::jobs
