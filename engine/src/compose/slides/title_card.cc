// Cairo/Pango adapter for title cards. Sizes are pixels (identity cairo matrix, absolute Pango
// sizes). The small colour and pixel helpers repeat slide_renderer.cc's private ones on purpose:
// that file keeps them private, and sharing four lines is not worth a new internal header.
#include "compose/slides/title_card.h"

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "compose/slides/cairo_util.h"
#include "compose/slides/slide_fonts.h"

namespace cutroom::compose {
namespace {

using internal::CairoPtr;
using internal::CheckCanvasSize;
using internal::FontDescriptionPtr;
using internal::FontOptionsPtr;
using internal::LayoutPtr;
using internal::PangoContextPtr;
using internal::ParseColour;
using internal::Rgb;
using internal::SurfacePtr;

constexpr double kDarken = 0.5;       // black over a picture background, for contrast
constexpr double kShadowAlpha = 0.6;  // text shadow over a picture background
constexpr double kMinScale = 0.4;     // shrink-to-fit floor, of the starting size
constexpr double kScaleStep = 0.92;   // shrink-to-fit factor per try
constexpr double kTextShare = 0.8;    // of the content box's height, for the text block

// Scales `picture` to cover the card (centred; the overflow is cropped), then darkens it.
void PaintPicture(cairo_t* cr, cairo_surface_t* picture, int pw, int ph, int width, int height) {
  double scale = std::max(width / static_cast<double>(pw), height / static_cast<double>(ph));
  cairo_save(cr);
  cairo_translate(cr, (width - pw * scale) / 2, (height - ph * scale) / 2);
  cairo_scale(cr, scale, scale);
  cairo_set_source_surface(cr, picture, 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
  // Edge pixels repeat rather than fading to transparent at the border.
  cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
  cairo_paint(cr);
  cairo_restore(cr);
  cairo_set_source_rgba(cr, 0, 0, 0, kDarken);
  cairo_paint(cr);
}

LayoutPtr MakeTextLayout(PangoContext* context, const std::string& family, std::string_view text,
                         double size_px, double width_px) {
  LayoutPtr layout(pango_layout_new(context));
  FontDescriptionPtr desc(pango_font_description_new());
  pango_font_description_set_family(desc.get(), family.c_str());
  pango_font_description_set_absolute_size(desc.get(), size_px * PANGO_SCALE);
  pango_font_description_set_weight(desc.get(), PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(layout.get(), desc.get());
  pango_layout_set_width(layout.get(), static_cast<int>(width_px * PANGO_SCALE));
  pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
  pango_layout_set_text(layout.get(), text.data(), static_cast<int>(text.size()));
  return layout;
}

void LayoutSize(PangoLayout* layout, double* w, double* h) {
  PangoRectangle ink{}, logical{};
  pango_layout_get_pixel_extents(layout, &ink, &logical);
  *w = logical.width;
  *h = logical.height;
}

}  // namespace

Result<VideoFrame> RenderTitleCard(std::string_view text, const VideoFrame* background_rgba_or_null,
                                   int width, int height, const SlideStyle& style) {
  CR_RETURN_IF_ERROR(CheckCanvasSize("title card", width, height));
  if (!std::isfinite(style.margin) || style.margin < 0 || style.margin > 0.3) {
    return InvalidArgumentError("SlideStyle.margin must be within 0..0.3 of the short side");
  }
  if (!std::isfinite(style.base_size) || style.base_size < 0) {
    return InvalidArgumentError("SlideStyle.base_size must be 0 (auto) or positive");
  }
  const VideoFrame* picture = background_rgba_or_null;
  if (picture != nullptr && (picture->format != PixelFormat::kRgba || picture->empty() ||
                             picture->width <= 0 || picture->height <= 0)) {
    return InvalidArgumentError("title card background must be a non-empty kRgba frame");
  }
  if (!g_utf8_validate(text.data(), static_cast<gssize>(text.size()), nullptr)) {
    return InvalidArgumentError("title card text is not valid UTF-8");
  }
  CR_ASSIGN_OR_RETURN(Rgb background, ParseColour(style.background, "background"));
  CR_ASSIGN_OR_RETURN(Rgb text_colour, ParseColour(style.text, "text"));
  CR_ASSIGN_OR_RETURN(Rgb accent, ParseColour(style.accent, "accent"));

  // Declared before the context and layouts so that they are gone before the lease gives the font
  // map back.
  CR_ASSIGN_OR_RETURN(FontMapLease fonts, LeaseFontMap(style.font_file));
  const std::string family = style.font_file.empty() ? style.font_family : fonts.family();
  PangoContextPtr context(pango_font_map_create_context(fonts.map()));
  {
    FontOptionsPtr options(cairo_font_options_create());
    cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(options.get(), CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(context.get(), options.get());
  }

  const double margin = std::round(style.margin * std::min(width, height));
  const double box_w = width - 2 * margin;
  const double box_h = height - 2 * margin;
  const double start_px = style.base_size > 0 ? style.base_size * 2.5 : height / 7.0;

  LayoutPtr layout;
  double size_px = start_px;
  double text_w = 0, text_h = 0;
  if (!text.empty()) {
    for (;;) {
      layout = MakeTextLayout(context.get(), family, text, size_px, box_w);
      LayoutSize(layout.get(), &text_w, &text_h);
      if (text_h <= box_h * kTextShare && text_w <= box_w + 0.5) break;
      if (size_px * kScaleStep < start_px * kMinScale) {
        // Too long even at the smallest size: keep the lines that fit and end with "…".
        pango_layout_set_height(layout.get(), static_cast<int>(box_h * kTextShare * PANGO_SCALE));
        pango_layout_set_ellipsize(layout.get(), PANGO_ELLIPSIZE_END);
        LayoutSize(layout.get(), &text_w, &text_h);
        break;
      }
      size_px *= kScaleStep;
    }
  }

  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, width, height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return ResourceExhaustedError("title card: cannot allocate a " + std::to_string(width) + "x" +
                                  std::to_string(height) + " image");
  }
  {
    CairoPtr cr(cairo_create(surface.get()));
    cairo_set_source_rgb(cr.get(), background.r, background.g, background.b);
    cairo_paint(cr.get());
    if (picture != nullptr) {
      CR_ASSIGN_OR_RETURN(SurfacePtr source, internal::SurfaceFromRgba(*picture, "title card"));
      PaintPicture(cr.get(), source.get(), picture->width, picture->height, width, height);
    }
    if (layout) {
      const double bar_h = std::max(2.0, std::round(size_px * 0.08));
      const double bar_gap = std::round(size_px * 0.3);
      const double bar_w = std::min(text_w, std::max(box_w * 0.25, std::min(box_w, 4 * size_px)));
      const double block_h = text_h + bar_gap + bar_h;
      const double top = std::round(margin + (box_h - block_h) / 2);
      // The layout's width is the box's; centred alignment places the lines inside it.
      const double text_x = margin;
      if (picture != nullptr) {
        const double offset = std::max(1.0, std::round(size_px * 0.04));
        cairo_set_source_rgba(cr.get(), 0, 0, 0, kShadowAlpha);
        cairo_move_to(cr.get(), text_x + offset, top + offset);
        pango_cairo_show_layout(cr.get(), layout.get());
      }
      cairo_set_source_rgb(cr.get(), text_colour.r, text_colour.g, text_colour.b);
      cairo_move_to(cr.get(), text_x, top);
      pango_cairo_show_layout(cr.get(), layout.get());
      cairo_set_source_rgb(cr.get(), accent.r, accent.g, accent.b);
      cairo_rectangle(cr.get(), std::round((width - bar_w) / 2), top + text_h + bar_gap, bar_w,
                      bar_h);
      cairo_fill(cr.get());
    }
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      return InternalError(std::string("title card drawing: ") +
                           cairo_status_to_string(cairo_status(cr.get())));
    }
  }
  cairo_surface_flush(surface.get());

  // Opaque (the background is painted first), so the conversion only repacks the bytes.
  const int stride = width * 4;
  std::shared_ptr<uint8_t[]> pixels =
      std::make_shared<uint8_t[]>(static_cast<size_t>(stride) * static_cast<size_t>(height));
  internal::ArgbToRgba(cairo_image_surface_get_data(surface.get()),
                       cairo_image_surface_get_stride(surface.get()), pixels.get(), stride, width,
                       height);
  // Pango objects go before the lease (declared first, destroyed last).
  layout.reset();
  context.reset();

  VideoFrame frame;
  frame.format = PixelFormat::kRgba;
  frame.width = width;
  frame.height = height;
  frame.data[0] = pixels.get();
  frame.linesize[0] = stride;
  frame.owner = std::move(pixels);
  return frame;
}

}  // namespace cutroom::compose
