// Caption styles compiled to ASS (Advanced SubStation Alpha) scripts. Pure text generation;
// libass rendering is in ass_overlay.h.
#pragma once

#include <string>
#include <vector>

#include "cutroom/timeline.h"

namespace cutroom::captions {

// Registered style names, in display order: highlight_word, karaoke, pop_in, bounce,
// boxed_word, minimal.
std::vector<std::string> StyleNames();

// A group of consecutive words shown together on one screen.
struct WordGroup {
  size_t first = 0;  // index into CaptionTrack::words
  size_t count = 0;
  MediaTime start;  // first word's start
  MediaTime end;    // last word's end (or the next group's start when the gap is short)
};

// Splits words into groups of 1..max_words that never cross a sentence end (a word ending in
// . ! ? or …) nor a pause longer than 0.7 s.
std::vector<WordGroup> GroupWords(const timeline::CaptionTrack& track);

// A complete ASS script (PlayResX/Y = output size) for the track in its style.
// Errors: unknown style, colours not "#RRGGBB".
Result<std::string> BuildAssScript(const timeline::CaptionTrack& track, int output_width,
                                   int output_height);

}  // namespace cutroom::captions
