// Content-addressed artifact storage under the data directory: a file's name is its SHA-256.
// Files arrive by rename from a step's temporary folder (same filesystem), so readers never see a
// half-written artifact, and identical outputs are stored once.
//
// Layout: <dir>/<first two hex digits>/<64 hex digits>, read-only files.
// Thread safety: all methods may be called from any thread and from several processes.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "cutroom/cancel.h"
#include "cutroom/jobs/model.h"
#include "cutroom/status.h"

namespace cutroom::jobs {

struct ArtifactGcReport {
  int files_removed = 0;
  int64_t bytes_removed = 0;
  int files_kept = 0;
};

class ArtifactStore {
 public:
  explicit ArtifactStore(std::string dir) : dir_(std::move(dir)) {}

  // Hashes `file` and moves it into the store as `name`'s content. When the content is already
  // stored, `file` is removed and the stored copy kept. REQUIRES: `file` on the same filesystem.
  Result<ArtifactRef> Put(const std::string& file, const std::string& name,
                          const CancelToken* cancel = nullptr) const;
  std::string PathOf(const std::string& sha256) const;
  // True when the artifact's file exists with the recorded size.
  bool Contains(const ArtifactRef& ref) const;
  // Removes stored files whose hash is not in `keep` and whose last change is older than
  // `min_age_ms` (a step may have stored a file and not yet recorded it).
  Result<ArtifactGcReport> RemoveUnreferenced(const std::set<std::string>& keep, int64_t min_age_ms) const;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
};

}  // namespace cutroom::jobs
