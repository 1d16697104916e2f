// Small file helpers shared by every module that writes results.
#pragma once

#include <string>
#include <string_view>

#include "cutroom/status.h"

namespace cutroom {

// Writes `content` to a temporary file beside `path`, flushes it and renames it over `path`, so
// readers see either the old file or the whole new one, never a half-written one.
// Errors name the path: missing folder (NotFound), permission, full disk (ResourceExhausted).
Status WriteFileAtomically(const std::string& path, std::string_view content);

// Copies `from` to `to` through a temporary file beside `to` and a rename: `to` appears whole
// (mode 0644) or not at all. Errors name `to`; a full disk is ResourceExhausted.
Status CopyFileAtomically(const std::string& from, const std::string& to);

// Reads a whole (small) file. Errors: missing, a directory, larger than `max_bytes`.
Result<std::string> ReadSmallFile(const std::string& path, size_t max_bytes = 64 << 20);

}  // namespace cutroom
