// Slides rendered from Markdown with Cairo + Pango (the compose pipeline's "visuals").
//
// Supported subset: headings (# .. ###; deeper levels render as ###), paragraphs, bullet lists
// (- * +, one level of nesting by indenting 2+ spaces), numbered lists (1. or 1)), **bold**,
// *italic*, `code` spans and fenced ``` code blocks. Everything else is literal text: Pango markup
// characters (< > &) are always escaped, never interpreted.
//
// Fitting: text wraps to the content box (the slide minus `margin` on every side). When the blocks
// do not fit, every size is shrunk together (down to 60% of the base size); when even that is too
// tall, the last block that fits is ellipsised ("…") and later blocks are dropped. Text is never
// cut mid-glyph or drawn off the slide.
//
// Thread safety: all functions are safe to call concurrently. Pango font maps (one per font file,
// over a private fontconfig configuration, plus one for the system fonts) are pooled for the life
// of the process and lent to one call at a time; the process-wide fontconfig configuration is never
// changed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cutroom/status.h"
#include "cutroom/video_frame.h"

namespace cutroom::compose {

struct SlideStyle {
  // Fontconfig family name; ignored when `font_file` is set.
  std::string font_family = "DejaVu Sans";
  // Optional TTF/OTF file; its family replaces `font_family` (system fonts still serve as
  // fallback for glyphs it lacks, e.g. emoji).
  std::string font_file;
  // Colours, each exactly "#RRGGBB". `accent` draws headings' underlines, list markers and the
  // tint behind code.
  std::string background = "#101418";
  std::string text = "#F5F7FA";
  std::string accent = "#FFB000";
  // Margin on every side, as a fraction of the slide's short side. REQUIRES: 0 <= margin <= 0.3.
  double margin = 0.07;
  // Paragraph font size in pixels; 0 means output height / 22. Headings are 2.0x (#), 1.6x (##)
  // and 1.3x (###); code is 0.8x.
  double base_size = 0;
  // No background: only the text, list markers, underlines and code tints are drawn, over fully
  // transparent pixels (a text layer to lay over another picture). `background` is still
  // validated.
  bool transparent_background = false;
};

// The bounding box of one rendered block, in pixels of the slide.
struct SlideBlock {
  std::string kind;  // "heading", "paragraph", "bullet" (also numbered items) or "code"
  int x = 0;
  int y = 0;
  int w = 0;
  int h = 0;
};

// Renders `markdown` at width x height into a new PixelFormat::kRgba frame (straight alpha;
// opaque unless style.transparent_background; pts and duration zero). The frame owns its pixels.
// Errors (InvalidArgument): width/height outside [16, 8192]; margin or base_size out of range;
// a colour that is not "#RRGGBB" (names the field); a font file that cannot be read or is not a
// font (names the file); markdown that is not valid UTF-8.
Result<VideoFrame> RenderSlide(std::string_view markdown, int width, int height,
                               const SlideStyle& style);

// The blocks RenderSlide draws, in reading order, with their boxes (list markers and heading
// underlines included). Blocks dropped for lack of room are absent. Same errors as RenderSlide.
Result<std::vector<SlideBlock>> LayoutSlide(std::string_view markdown, int width, int height,
                                            const SlideStyle& style);

// Writes a kRgba frame as a PNG (through a temporary file renamed over `path`, so readers never
// see a partial file). Errors: another pixel format (InvalidArgument), I/O (names the path).
Status WritePng(const VideoFrame& frame, const std::string& path);

}  // namespace cutroom::compose
