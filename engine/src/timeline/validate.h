// Timeline validation: every error names the field ("segments[1].out: 12.5 s is past the end of
// source 'talk' (10.0 s)").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cutroom/media_info.h"
#include "cutroom/timeline.h"

namespace cutroom::timeline {

// Checks what needs no media: output size (positive, even, <= 8192), fps (1..240), codec
// settings, at least one segment, in < out, known source ids, unique source ids, crop keyframes
// (times ascending and inside the segment, cx/cy in 0..1, zoom in 1..20), caption words (ordered,
// end > start, non-empty text, within the timeline duration), caption style in `caption_styles`,
// max_words 1..4, colours "#RRGGBB", loudness target in -70..0, true peak in -20..0, segments on
// image sources muted, audio tracks (known non-image source, 0 <= in < out, at >= 0, gain
// -60..24 dB, fades 0..60000 ms, duck_db -60..0 and 0 on voice tracks), segment transitions
// (a cut has duration 0; other kinds 0 < duration <= the segment's duration, never on the first
// segment) and overlays (a known image source, 0 <= start < end <= the timeline duration, x/y
// and opacity in 0..1, 0 < width <= 1, 0 <= animation_duration <= end - start).
Status ValidateStructure(const Timeline& timeline, const std::vector<std::string>& caption_styles);

// Checks against probed sources (keyed by Source::id): segment times inside the source duration,
// a video stream present, an audio stream present when the output has audio and the segment is
// not muted; image sources' segment times are not checked (a still has no duration). Audio
// tracks: the source has an audio stream and in/out lie inside its duration.
// REQUIRES: ValidateStructure passed.
Status ValidateAgainstSources(const Timeline& timeline,
                              const std::map<std::string, MediaInfo>& source_info);

}  // namespace cutroom::timeline
