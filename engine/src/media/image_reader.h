// Still pictures with their transparency: PNG alpha (and any other format FFmpeg decodes with an
// alpha channel) survives; formats without alpha (JPEG) come out opaque. For overlays.
//
// Thread safety: pure functions; safe to call from several threads at once.
#pragma once

#include <string>

#include "cutroom/cancel.h"
#include "cutroom/status.h"
#include "cutroom/video_frame.h"

namespace cutroom::media {

// Decodes the first picture of the image file at `path` as packed kRgba with straight (not
// premultiplied) alpha, sRGB values as stored. EXIF orientation is not applied. `cancel` may be
// null. The frame owns its pixels and is the only copy (the caller may write to it).
// Errors: as OpenInput (missing, empty, not a media file), "has no picture" (DataLoss) when
// nothing decodes.
Result<VideoFrame> DecodeImageRgba(const std::string& path, const CancelToken* cancel);

// A new kRgba frame of `width` x `height` holding `rgba` resized with a bicubic filter applied to
// each of the four channels alone (no colour conversion): premultiplied input stays
// premultiplied, which is what keeps transparent edges from turning dark.
// REQUIRES: rgba is a non-empty kRgba frame; width, height > 0.
Result<VideoFrame> ResizeRgba(const VideoFrame& rgba, int width, int height);

// A new kRgba frame of `width` x `height`, zeroed (transparent black); empty on allocation
// failure.
VideoFrame AllocateRgbaFrame(int width, int height);

}  // namespace cutroom::media
