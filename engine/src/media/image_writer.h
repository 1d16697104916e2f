// Still images from frames: JPEG (baseline JFIF) through FFmpeg's mjpeg encoder.
//
// Thread safety: pure function; safe to call from several threads at once.
#pragma once

#include <string>

#include "cutroom/status.h"
#include "cutroom/video_frame.h"

namespace cutroom::media {

// Writes `frame` (kYuv420p, BT.709 limited range as the engine's frames are) as a JPEG: converted
// to full-range BT.601 4:2:0 (JFIF), encoded at `quality` (1 worst .. 100 best; clamped), written
// under a temporary name beside `path` and renamed into place, so `path` is never half-written.
// Errors: not kYuv420p or empty (InvalidArgument), missing encoder (Unimplemented), an
// unwritable folder (as WriteFileAtomically).
Status WriteJpeg(const VideoFrame& frame, const std::string& path, int quality);

}  // namespace cutroom::media
