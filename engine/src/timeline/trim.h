// Trimming a finished Timeline: cutting time off its start and end in output time, the edit a
// reviewer makes when a clip starts a beat early or runs on. Segments outside the kept range are
// dropped, the first and last kept ones are shortened in source time, crop paths keep the exact
// framing they had at the new first frame (the path is evaluated there, not approximated), and
// caption words move with the picture (words wholly cut off are dropped, words cut in half are
// clipped to the new range), audio tracks move too (see TrimTimeline). Other audio settings and
// the output format are unchanged.
#pragma once

#include "cutroom/media_time.h"
#include "cutroom/status.h"
#include "cutroom/timeline.h"

namespace cutroom::timeline {

// Keeps output time [cut_start, Duration() - cut_end). InvalidArgument when a cut is negative or
// less than `min_kept` (default 1 s) would remain.
Result<Timeline> TrimTimeline(const Timeline& timeline, MediaTime cut_start, MediaTime cut_end,
                              MediaTime min_kept = MediaTime::FromMicroseconds(1'000'000));

}  // namespace cutroom::timeline
