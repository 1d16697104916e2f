#include "pipelines/builtin_pipelines.h"

#include "pipelines/render_pipeline.h"

namespace cutroom::jobs {

Status RegisterBuiltinPipelines(PipelineRegistry& registry) {
  CR_RETURN_IF_ERROR(RegisterRenderPipeline(registry));
  return Status::Ok();
}

}  // namespace cutroom::jobs
