// Helpers shared by the narrate and plan steps of a compose job (compose_job.h). Internal to
// cutroom::compose_job.
//
// Thread safety: pure functions on files and values.
#pragma once

#include <string>

#include "compose/compose_job.h"
#include "compose/script.h"
#include "cutroom/status.h"

namespace cutroom::compose::internal {

// `path` made absolute: relative paths are taken against `base_dir` (itself made absolute).
std::string ResolveAgainst(const std::string& path, const std::string& base_dir);

// The folder holding `file` ("." when it has none).
std::string FolderOf(const std::string& file);

// OK, or Cancelled when env.cancel is set.
Status CheckCancelled(const StepEnv& env, const std::string& step);

void Report(const StepEnv& env, double progress, const std::string& message);

}  // namespace cutroom::compose::internal
