// JSON form of the Timeline (docs/timeline.md). nlohmann::json stays inside this module.
#pragma once

#include <string>
#include <string_view>

#include "cutroom/timeline.h"

namespace cutroom::timeline {

// Parses a Timeline. Errors name the JSON path of the bad field ("segments[2].in: ...").
// Unknown fields are errors (a typo must not be silently ignored). Times are strings of exact
// decimal or fractional seconds ("12.48", "1001/30000") or JSON integers.
Result<Timeline> ParseTimelineJson(std::string_view json);

// Reads and parses a file; source paths that are relative are resolved against the file's folder.
Result<Timeline> LoadTimelineFile(const std::string& path);

// Writes the canonical JSON form (exact times as strings). Round-trips through ParseTimelineJson.
std::string TimelineToJson(const Timeline& timeline);

}  // namespace cutroom::timeline
