#include "compose/compose_plan_util.h"

#include <filesystem>
#include <utility>

#include "cutroom/file_util.h"

namespace cutroom::compose::internal {

namespace fs = std::filesystem;

std::string ResolveAgainst(const std::string& path, const std::string& base_dir) {
  fs::path p(path);
  if (p.is_relative()) p = fs::path(base_dir) / p;
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  return (ec ? p : abs).lexically_normal().string();
}

std::string FolderOf(const std::string& file) {
  fs::path parent = fs::path(file).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

Status CheckCancelled(const StepEnv& env, const std::string& step) {
  if (env.cancel != nullptr && env.cancel->IsCancelled()) {
    return CancelledError(step + ": cancelled");
  }
  return Status::Ok();
}

void Report(const StepEnv& env, double progress, const std::string& message) {
  if (env.progress) env.progress(progress, message);
}

}  // namespace cutroom::compose::internal
