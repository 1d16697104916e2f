#include "cutroom/jobs/artifact_store.h"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "sha256.h"

namespace cutroom::jobs {

namespace fs = std::filesystem;

std::string ArtifactStore::PathOf(const std::string& sha256) const {
  return dir_ + "/" + sha256.substr(0, 2) + "/" + sha256;
}

Result<ArtifactRef> ArtifactStore::Put(const std::string& file, const std::string& name,
                                       const CancelToken* cancel) const {
  std::error_code ec;
  auto size = fs::file_size(file, ec);
  if (ec) return NotFoundError("output " + name + " was not written (" + file + ")");
  CR_ASSIGN_OR_RETURN(std::string hash, Sha256File(file, cancel));
  std::string target = PathOf(hash);
  fs::create_directories(fs::path(target).parent_path(), ec);
  if (ec) return UnavailableError("cannot create " + fs::path(target).parent_path().string() + ": " + ec.message());
  if (fs::exists(target, ec) && fs::file_size(target, ec) == size) {
    fs::remove(file, ec);  // the same content is already stored
  } else {
    // Read-only: a stored artifact never changes under its hash.
    chmod(file.c_str(), 0444);
    if (std::rename(file.c_str(), target.c_str()) != 0) {
      int err = errno;
      std::string msg = "store " + name + ": " + std::strerror(err);
      return err == ENOSPC ? ResourceExhaustedError(msg) : UnavailableError(msg);
    }
  }
  return ArtifactRef{name, hash, static_cast<int64_t>(size)};
}

bool ArtifactStore::Contains(const ArtifactRef& ref) const {
  if (ref.sha256.size() != 64) return false;
  std::error_code ec;
  auto size = fs::file_size(PathOf(ref.sha256), ec);
  return !ec && static_cast<int64_t>(size) == ref.size_bytes;
}

Result<ArtifactGcReport> ArtifactStore::RemoveUnreferenced(const std::set<std::string>& keep,
                                                           int64_t min_age_ms) const {
  ArtifactGcReport report;
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return report;
  auto now = fs::file_time_type::clock::now();
  for (auto it = fs::recursive_directory_iterator(dir_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string hash = it->path().filename().string();
    if (keep.count(hash) > 0) {
      ++report.files_kept;
      continue;
    }
    auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - it->last_write_time(ec));
    if (ec || age.count() < min_age_ms) {
      ++report.files_kept;
      continue;
    }
    auto size = it->file_size(ec);
    std::error_code rm;
    if (fs::remove(it->path(), rm)) {
      ++report.files_removed;
      report.bytes_removed += static_cast<int64_t>(size);
    }
  }
  if (ec) return UnavailableError("scan " + dir_ + ": " + ec.message());
  return report;
}

}  // namespace cutroom::jobs
