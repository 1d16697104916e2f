// Caption files for a clip (SRT, WebVTT, ASS) written from its Timeline. SRT and VTT hold one
// cue per caption screen, grouped exactly as the burned captions are (captions::GroupWords: 1 to
// max_words words, never across a sentence end), so the files match the video.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "cutroom/status.h"
#include "cutroom/timeline.h"
#include "speech/subtitle_io.h"

namespace cutroom::export_ {

// One cue per caption group, in output time (group start to group end), text as shown on screen
// (words joined by spaces, upper case when the track asks for it). No captions: no cues.
std::vector<speech::Cue> TimelineCaptionCues(const timeline::Timeline& timeline);

// speech::WriteSrt / WriteWebVtt of TimelineCaptionCues. No captions: an empty SRT, a VTT with
// only its header.
std::string TimelineCaptionsToSrt(const timeline::Timeline& timeline);
std::string TimelineCaptionsToVtt(const timeline::Timeline& timeline);

// The styled script the renderer burns in (captions::BuildAssScript at the output size). No
// captions: a script with no events in the default style. Errors: as BuildAssScript.
Result<std::string> TimelineCaptionsToAss(const timeline::Timeline& timeline);

}  // namespace cutroom::export_
