// Box blur of a yuv420p frame in place (three passes approximate a Gaussian), and a luma dim.
// Used for the blurred background of the fit_blur layout, on a small frame.
#pragma once

#include "cutroom/video_frame.h"

namespace cutroom::render {

// REQUIRES: kYuv420p frame owned by the caller; radius >= 1.
void BoxBlur(VideoFrame& frame, int radius, int passes = 3);

// Scales luma towards black by `factor` (0..1), keeping limited range.
void DimLuma(VideoFrame& frame, double factor);

}  // namespace cutroom::render
