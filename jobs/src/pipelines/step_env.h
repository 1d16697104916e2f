// Small pieces every pipeline's steps share: the engine's StepEnv for a step, how numbers are
// written into job options, and file fingerprints for cache keys. Internal to jobs/src/pipelines.
#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
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

// What identifies a file's content without reading it all: path, size, modification time.
// Errors: NotFound when the file cannot be stat'ed.
inline Result<std::string> FileFingerprint(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return NotFoundError(path + ": " + std::strerror(errno));
  int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return path + "\t" + std::to_string(st.st_size) + "\t" + std::to_string(mtime_ns) + "\n";
}

}  // namespace cutroom::jobs
