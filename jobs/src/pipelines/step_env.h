// Small pieces every pipeline's steps share: the engine's StepEnv for a step, and how numbers
// are written into job options. Internal to jobs/src/pipelines.
#pragma once

#include <algorithm>
#include <cstdio>
#include <string>

#include "clip/clip_job.h"
#include "cutroom/jobs/pipeline.h"

namespace cutroom::jobs {

// The step's cancel token, logger and progress, with a CPU budget of `threads` (at least 1).
inline clip::StepEnv EnvFor(StepContext& ctx, int threads) {
  clip::StepEnv env;
  env.threads = std::max(1, threads);
  env.cancel = &ctx.cancel();
  env.logger = ctx.logger();
  env.progress = [&ctx](double p, const std::string& m) { ctx.ReportProgress(p, m); };
  return env;
}

// A double as an option string that reads back exactly ("%.17g").
inline std::string FormatDouble(double v) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

}  // namespace cutroom::jobs
