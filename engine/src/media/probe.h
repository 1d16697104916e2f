// Probing: what a media file holds, read with FFmpeg without decoding the whole file.
#pragma once

#include <string>

#include "cutroom/cancel.h"
#include "cutroom/media_info.h"
#include "cutroom/status.h"

namespace cutroom::media {

// Errors name the problem: missing file, a directory, an empty file, not a media file, no
// streams. `cancel` may be null.
Result<MediaInfo> ProbeFile(const std::string& path, const CancelToken* cancel = nullptr);

// The JSON form printed by `cutroom probe --json`:
// {"path","container","duration_s","bit_rate","streams":[{"index","type","codec",...}]}.
std::string MediaInfoToJson(const MediaInfo& info);

}  // namespace cutroom::media
