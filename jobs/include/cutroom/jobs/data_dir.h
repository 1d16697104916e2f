// The data directory ($CUTROOM_HOME, default ~/.local/share/cutroom):
//   cutroom.db        the SQLite job store (WAL: also cutroom.db-wal, cutroom.db-shm)
//   artifacts/        content-addressed step outputs (ArtifactStore)
//   tmp/              steps' temporary folders; removed after each attempt, swept by `cutroom gc`
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cutroom/status.h"

namespace cutroom::jobs {

struct DataDir {
  std::string root;

  std::string db_path() const { return root + "/cutroom.db"; }
  std::string artifacts_dir() const { return root + "/artifacts"; }
  std::string tmp_dir() const { return root + "/tmp"; }
};

// The folder from `explicit_dir` if not empty, else $CUTROOM_HOME, else $XDG_DATA_HOME/cutroom,
// else $HOME/.local/share/cutroom; created with its subfolders when missing. Reads the
// environment: call it from the composition root (main), not from library code.
Result<DataDir> ResolveDataDir(const std::string& explicit_dir);

// ResourceExhausted with a clear message when fewer than `needed_bytes` are free at `dir`.
Status CheckFreeSpace(const std::string& dir, int64_t needed_bytes, std::string_view what);

}  // namespace cutroom::jobs
