// Title cards (thumbnails of composed videos): one line or a few of large text, centred, over a
// picture or a flat colour, drawn with Cairo + Pango like the slides.
//
// Thread safety: safe to call concurrently (font maps are pooled as for RenderSlide).
#pragma once

#include <string_view>

#include "compose/slides/slide_renderer.h"
#include "cutroom/status.h"
#include "cutroom/video_frame.h"

namespace cutroom::compose {

// Renders `text` (plain UTF-8, no markup; may be empty) large, bold and centred in the content
// box (the card minus style.margin of its short side on every side), in style.text with an
// accent bar (style.accent) under it, into a new opaque kRgba frame of width x height that owns
// its pixels.
//
// Background: when `background_rgba_or_null` is given (a kRgba frame, any size; not owned, read
// only during the call), it is scaled to cover the card (centred, cropped, aspect kept) and
// darkened so light text stays readable over it, and the text gets a soft shadow; otherwise the
// card is filled with style.background.
//
// Fitting: the text starts at style.base_size * 2.5 (or height / 7 when base_size is 0) and
// shrinks until its wrapped lines fit; at 40% of that it is ellipsised ("…") to the box.
// Errors (InvalidArgument): width/height outside [16, 8192]; a colour that is not "#RRGGBB"; a
// background that is not a non-empty kRgba frame; text that is not valid UTF-8; an unreadable
// font file (names the file).
Result<VideoFrame> RenderTitleCard(std::string_view text, const VideoFrame* background_rgba_or_null,
                                   int width, int height, const SlideStyle& style);

}  // namespace cutroom::compose
