// Crop path evaluation: keyframes -> a crop window at any time, with sub-pixel precision.
// Pure functions; the renderer calls them once per output frame.
#pragma once

#include <vector>

#include "cutroom/timeline.h"
#include "cutroom/video_frame.h"

namespace cutroom::timeline {

// The keyframe values at `offset` from the segment start. kHold steps, kLinear interpolates,
// kSmooth uses monotone cubic (Fritsch-Carlson) interpolation per component, so the path never
// overshoots between keyframes. Before the first / after the last keyframe: that keyframe's
// value. No keyframes: centre, zoom 1. The returned keyframe's `t` is `offset`.
// REQUIRES: keyframe times strictly ascending (ValidateStructure checks this).
CropKeyframe EvaluateCrop(const std::vector<CropKeyframe>& keyframes, Interpolation interpolation,
                          MediaTime offset);

// The crop window in upright source pixels for a keyframe value: the largest window with the
// aspect `output_width:output_height` inside `source_width x source_height`, divided by zoom,
// centred at (cx, cy) and clamped to lie inside the source. Zoom below 1 is treated as 1.
// REQUIRES: all four sizes positive; otherwise an empty rectangle is returned.
RectF CropWindow(const CropKeyframe& value, int source_width, int source_height, int output_width,
                 int output_height);

}  // namespace cutroom::timeline
