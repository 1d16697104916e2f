#include "cutroom/jobs/data_dir.h"

#include <sys/statvfs.h>

#include <cstdlib>
#include <filesystem>

namespace cutroom::jobs {

Result<DataDir> ResolveDataDir(const std::string& explicit_dir) {
  std::string root = explicit_dir;
  const char* env = nullptr;
  if (root.empty() && (env = std::getenv("CUTROOM_HOME")) != nullptr && *env != '\0') root = env;
  if (root.empty() && (env = std::getenv("XDG_DATA_HOME")) != nullptr && *env != '\0') {
    root = std::string(env) + "/cutroom";
  }
  if (root.empty() && (env = std::getenv("HOME")) != nullptr && *env != '\0') {
    root = std::string(env) + "/.local/share/cutroom";
  }
  if (root.empty()) {
    return FailedPreconditionError("no data directory: set CUTROOM_HOME (or HOME)");
  }
  std::error_code ec;
  root = std::filesystem::absolute(root, ec).lexically_normal().string();
  if (!root.empty() && root.back() == '/' && root.size() > 1) root.pop_back();
  DataDir dir{root};
  for (const std::string& d : {dir.root, dir.artifacts_dir(), dir.tmp_dir()}) {
    std::filesystem::create_directories(d, ec);
    if (ec || !std::filesystem::is_directory(d)) {
      return PermissionDeniedError("cannot create data directory " + d +
                                   (ec ? ": " + ec.message() : std::string()));
    }
  }
  return dir;
}

Status CheckFreeSpace(const std::string& dir, int64_t needed_bytes, std::string_view what) {
  if (needed_bytes <= 0) return Status::Ok();
  struct statvfs st {};
  if (statvfs(dir.c_str(), &st) != 0) return UnavailableError("cannot read free space of " + dir);
  int64_t free_bytes = static_cast<int64_t>(st.f_bavail) * static_cast<int64_t>(st.f_frsize);
  if (free_bytes >= needed_bytes) return Status::Ok();
  return ResourceExhaustedError(std::string(what) + " needs at least " +
                                std::to_string(needed_bytes >> 20) + " MB free in " + dir +
                                ", only " + std::to_string(free_bytes >> 20) +
                                " MB left; free space or run `cutroom gc`");
}

}  // namespace cutroom::jobs
