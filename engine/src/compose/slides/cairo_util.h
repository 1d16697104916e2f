// Cairo/Pango pieces the slide renderer and the title card share: owning pointers, "#RRGGBB"
// colours, and moving pixels between VideoFrame's kRgba (bytes R, G, B, A; straight alpha) and
// Cairo's ARGB32 (one native-endian uint32 per pixel; premultiplied alpha). Internal to
// engine/src/compose/slides.
//
// Thread safety: pure functions on their arguments.
#pragma once

#include <cairo.h>
#include <pango/pango.h>

#include <memory>
#include <string>

#include "cutroom/status.h"
#include "cutroom/video_frame.h"

namespace cutroom::compose::internal {

struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
struct FontDescriptionFree {
  void operator()(PangoFontDescription* desc) const { pango_font_description_free(desc); }
};
struct CairoSurfaceDestroy {
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct CairoDestroy {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
};
struct CairoFontOptionsDestroy {
  void operator()(cairo_font_options_t* options) const { cairo_font_options_destroy(options); }
};
using PangoContextPtr = std::unique_ptr<PangoContext, GObjectUnref>;
using LayoutPtr = std::unique_ptr<PangoLayout, GObjectUnref>;
using FontDescriptionPtr = std::unique_ptr<PangoFontDescription, FontDescriptionFree>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoSurfaceDestroy>;
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using FontOptionsPtr = std::unique_ptr<cairo_font_options_t, CairoFontOptionsDestroy>;

struct Rgb {
  double r = 0, g = 0, b = 0;
};

// Slides and title cards are drawn at 16..8192 pixels a side. Errors: InvalidArgument naming
// `what` ("slide", "title card") and the size.
Status CheckCanvasSize(const char* what, int width, int height);

// "#RRGGBB" (hex digits of either case). Errors name "SlideStyle.<field>".
Result<Rgb> ParseColour(const std::string& value, const char* field);

// A new ARGB32 surface holding a kRgba frame. Errors: the surface cannot be allocated (naming
// `what`).
Result<SurfacePtr> SurfaceFromRgba(const VideoFrame& frame, const std::string& what);

// Converts `height` rows of ARGB32 at `src` (row pitch `src_stride`) into kRgba bytes at `dst`
// (pitch `dst_stride`); `src` and `dst` may be the same buffer (same pitch).
void ArgbToRgba(const uint8_t* src, int src_stride, uint8_t* dst, int dst_stride, int width,
                int height);

}  // namespace cutroom::compose::internal
