#include "pipelines/builtin_pipelines.h"

#include "pipelines/clip_pipeline.h"
#include "pipelines/compose_pipeline.h"
#include "pipelines/render_pipeline.h"

namespace cutroom::jobs {

Status RegisterBuiltinPipelines(PipelineRegistry& registry) {
  CR_RETURN_IF_ERROR(RegisterRenderPipeline(registry));
  CR_RETURN_IF_ERROR(RegisterClipPipeline(registry));
  CR_RETURN_IF_ERROR(RegisterComposePipeline(registry));
  return Status::Ok();
}

}  // namespace cutroom::jobs
