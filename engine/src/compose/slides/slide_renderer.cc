// Cairo/Pango adapter for slides. Sizes are in pixels (cairo user units with an identity matrix);
// Pango sizes are absolute, so no DPI enters the layout.
#include "compose/slides/slide_renderer.h"

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "compose/slides/cairo_util.h"
#include "compose/slides/slide_fonts.h"
#include "compose/slides/slide_markdown.h"
#include "cutroom/file_util.h"

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

constexpr double kMinScale = 0.6;    // shrink-to-fit floor, of the base size
constexpr double kScaleStep = 0.05;  // shrink-to-fit granularity
constexpr double kCodeTint = 0.18;   // accent over background behind code
constexpr const char* kCodeFamily = "DejaVu Sans Mono,monospace";
constexpr const char* kEllipsis = "\u2026";

Rgb Mix(const Rgb& under, const Rgb& over, double amount) {
  return {under.r + (over.r - under.r) * amount, under.g + (over.g - under.g) * amount,
          under.b + (over.b - under.b) * amount};
}

std::string ToHex(const Rgb& c) {
  char buf[8];
  auto byte = [](double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255)); };
  std::snprintf(buf, sizeof(buf), "#%02X%02X%02X", byte(c.r), byte(c.g), byte(c.b));
  return buf;
}

struct Colours {
  Rgb background, text, accent, code_tint;
};

// Everything a layout needs, validated once.
// Member order matters: the context (and the caller's layouts) must be gone before the lease gives
// the font map back to another thread.
struct Setup {
  int width = 0, height = 0;
  Colours colours;
  double base_px = 0;
  bool transparent = false;  // leave the background unpainted (alpha 0)
  double box_x = 0, box_y = 0, box_w = 0, box_h = 0;  // content box
  FontMapLease fonts;
  PangoContextPtr context;
  std::string family;
};

Status MakeFonts(const SlideStyle& style, Setup* setup) {
  CR_ASSIGN_OR_RETURN(setup->fonts, LeaseFontMap(style.font_file));
  setup->family = style.font_file.empty() ? style.font_family : setup->fonts.family();
  setup->context.reset(pango_font_map_create_context(setup->fonts.map()));
  // Unhinted metrics: layout does not depend on the target surface and scales smoothly.
  FontOptionsPtr options(cairo_font_options_create());
  cairo_font_options_set_hint_metrics(options.get(), CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options.get(), CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias(options.get(), CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(setup->context.get(), options.get());
  pango_context_set_round_glyph_positions(setup->context.get(), FALSE);
  return Status::Ok();
}

Result<Setup> MakeSetup(std::string_view markdown, int width, int height, const SlideStyle& style) {
  CR_RETURN_IF_ERROR(CheckCanvasSize("slide", width, height));
  if (!std::isfinite(style.margin) || style.margin < 0 || style.margin > 0.3) {
    return InvalidArgumentError("SlideStyle.margin must be within 0..0.3 of the short side");
  }
  if (!std::isfinite(style.base_size) || style.base_size < 0 ||
      (style.base_size > 0 && (style.base_size < 4 || style.base_size > height / 2.0))) {
    return InvalidArgumentError("SlideStyle.base_size must be 0 (auto) or 4..height/2 pixels");
  }
  if (!g_utf8_validate(markdown.data(), static_cast<gssize>(markdown.size()), nullptr)) {
    return InvalidArgumentError("slide Markdown is not valid UTF-8");
  }
  Setup setup;
  setup.width = width;
  setup.height = height;
  CR_ASSIGN_OR_RETURN(setup.colours.background, ParseColour(style.background, "background"));
  CR_ASSIGN_OR_RETURN(setup.colours.text, ParseColour(style.text, "text"));
  CR_ASSIGN_OR_RETURN(setup.colours.accent, ParseColour(style.accent, "accent"));
  setup.colours.code_tint = Mix(setup.colours.background, setup.colours.accent, kCodeTint);
  setup.base_px = style.base_size > 0 ? style.base_size : height / 22.0;
  setup.transparent = style.transparent_background;
  double margin_px = std::round(style.margin * std::min(width, height));
  setup.box_x = margin_px;
  setup.box_y = margin_px;
  setup.box_w = width - 2 * margin_px;
  setup.box_h = height - 2 * margin_px;
  CR_RETURN_IF_ERROR(MakeFonts(style, &setup));
  return setup;
}

// One block laid out at some scale; positions are relative to the block's top-left corner until
// placed.
struct LaidBlock {
  MdBlockKind kind = MdBlockKind::kInvalid;
  LayoutPtr text;
  LayoutPtr marker;    // list items
  std::string source;  // the markup or code text, to re-lay with an ellipsis
  bool is_markup = true;
  double indent = 0;  // from the content box's left edge
  double text_dx = 0, text_dy = 0, marker_dy = 0;
  double pad = 0;                         // code box padding
  double bar_gap = 0, bar_thickness = 0;  // heading underline
  double w = 0, h = 0;                    // box size
  double x = 0, y = 0;                    // placed position
};

double PxHeight(PangoLayout* layout) {
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  return h / static_cast<double>(PANGO_SCALE);
}
double PxWidth(PangoLayout* layout) {
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  return w / static_cast<double>(PANGO_SCALE);
}

LayoutPtr MakeLayout(const Setup& setup, const std::string& family, double size_px, bool bold,
                     double width_px, PangoWrapMode wrap) {
  LayoutPtr layout(pango_layout_new(setup.context.get()));
  FontDescriptionPtr desc(pango_font_description_new());
  pango_font_description_set_family(desc.get(), family.c_str());
  pango_font_description_set_absolute_size(desc.get(), size_px * PANGO_SCALE);
  if (bold) pango_font_description_set_weight(desc.get(), PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description(layout.get(), desc.get());
  if (width_px > 0) {
    pango_layout_set_width(layout.get(), static_cast<int>(width_px * PANGO_SCALE));
    pango_layout_set_wrap(layout.get(), wrap);
  }
  return layout;
}

void SetContent(LaidBlock& block, const std::string& content) {
  if (block.is_markup) {
    pango_layout_set_markup(block.text.get(), content.c_str(), -1);
  } else {
    pango_layout_set_text(block.text.get(), content.c_str(), -1);
  }
}

// Recomputes the box from the layouts (after laying out or ellipsising).
void Measure(LaidBlock& block) {
  double text_h = PxHeight(block.text.get());
  double text_w = PxWidth(block.text.get());
  switch (block.kind) {
    case MdBlockKind::kHeading:
      block.w = text_w;
      block.h = text_h + block.bar_gap + block.bar_thickness;
      break;
    case MdBlockKind::kCode:
      block.h = text_h + 2 * block.pad;
      break;
    case MdBlockKind::kBullet:
    case MdBlockKind::kNumbered: {
      int text_base = pango_layout_get_baseline(block.text.get());
      int marker_base = pango_layout_get_baseline(block.marker.get());
      block.marker_dy = (text_base - marker_base) / static_cast<double>(PANGO_SCALE);
      block.w = block.text_dx + text_w;
      block.h = std::max(text_h, block.marker_dy + PxHeight(block.marker.get()));
      break;
    }
    default:
      block.w = text_w;
      block.h = text_h;
  }
}

LaidBlock LayBlock(const Setup& setup, const MdBlock& md, double scale) {
  LaidBlock block;
  block.kind = md.kind;
  double base = setup.base_px * scale;
  std::string code_bg = ToHex(setup.colours.code_tint);
  switch (md.kind) {
    case MdBlockKind::kHeading: {
      static constexpr double kHeadingScale[] = {2.0, 1.6, 1.3};
      double size = base * kHeadingScale[std::clamp(md.level, 1, 3) - 1];
      block.text = MakeLayout(setup, setup.family, size, true, setup.box_w, PANGO_WRAP_WORD_CHAR);
      block.source = InlineToPangoMarkup(md.text, kCodeFamily, code_bg);
      block.bar_gap = 0.12 * size;
      block.bar_thickness = std::max(2.0, std::round(0.06 * size));
      break;
    }
    case MdBlockKind::kCode: {
      double size = base * 0.8;
      block.pad = std::round(0.5 * size);
      block.text =
          MakeLayout(setup, kCodeFamily, size, false, setup.box_w - 2 * block.pad, PANGO_WRAP_CHAR);
      block.source = md.text.empty() ? " " : md.text;
      block.is_markup = false;
      block.w = setup.box_w;
      block.text_dx = block.pad;
      block.text_dy = block.pad;
      break;
    }
    case MdBlockKind::kBullet:
    case MdBlockKind::kNumbered: {
      block.indent = md.level * 1.2 * base;
      std::string marker = md.kind == MdBlockKind::kNumbered ? md.number + "."
                           : md.level == 0                   ? "\u2022"
                                                             : "\u25E6";
      block.marker = MakeLayout(setup, setup.family, base, false, 0, PANGO_WRAP_WORD);
      pango_layout_set_text(block.marker.get(), marker.c_str(), -1);
      block.text_dx = std::max(0.9 * base, PxWidth(block.marker.get()) + 0.35 * base);
      double text_w = std::max(base, setup.box_w - block.indent - block.text_dx);
      block.text = MakeLayout(setup, setup.family, base, false, text_w, PANGO_WRAP_WORD_CHAR);
      block.source = InlineToPangoMarkup(md.text, kCodeFamily, code_bg);
      break;
    }
    default:
      block.text = MakeLayout(setup, setup.family, base, false, setup.box_w, PANGO_WRAP_WORD_CHAR);
      block.source = InlineToPangoMarkup(md.text, kCodeFamily, code_bg);
  }
  SetContent(block, block.source);
  Measure(block);
  return block;
}

bool IsListItem(MdBlockKind kind) {
  return kind == MdBlockKind::kBullet || kind == MdBlockKind::kNumbered;
}

double GapBetween(const LaidBlock& a, const LaidBlock& b, double base) {
  return (IsListItem(a.kind) && IsListItem(b.kind) ? 0.3 : 0.6) * base;
}

double ExtraHeight(const LaidBlock& block) {
  return block.kind == MdBlockKind::kHeading ? block.bar_gap + block.bar_thickness
         : block.kind == MdBlockKind::kCode  ? 2 * block.pad
                                             : 0;
}

// Code: keeps the first lines that fit, then a "…" line. Pango's own height limit ellipsises
// only within one paragraph, and every code line is a paragraph of its own.
bool EllipsiseCode(LaidBlock& block, double max_h) {
  std::vector<std::string_view> lines;
  std::string_view rest = block.source;
  for (size_t nl; (nl = rest.find('\n')) != std::string_view::npos; rest.remove_prefix(nl + 1)) {
    lines.push_back(rest.substr(0, nl));
  }
  lines.push_back(rest);
  auto fits = [&](size_t kept) {
    std::string text;
    for (size_t i = 0; i < kept; ++i) text.append(lines[i]).append("\n");
    SetContent(block, text + kEllipsis);
    Measure(block);
    return block.h <= max_h + 0.01;
  };
  // Height grows with the number of lines kept: binary search the most that fit.
  size_t lo = 0, hi = lines.size();
  if (!fits(0)) return false;
  while (lo < hi) {
    size_t mid = (lo + hi + 1) / 2;
    if (fits(mid)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return fits(lo);
}

// Limits the block to `max_h` (its whole box), ending in an ellipsis; `force_ellipsis` appends
// one even when the text fits (the blocks after it were dropped). False when not even one line
// fits.
bool Ellipsise(LaidBlock& block, double max_h, bool force_ellipsis) {
  if (!block.is_markup) return EllipsiseCode(block, max_h);
  double limit = max_h - ExtraHeight(block);
  if (force_ellipsis) SetContent(block, block.source + " " + kEllipsis);
  pango_layout_set_ellipsize(block.text.get(), PANGO_ELLIPSIZE_END);
  // Pango keeps at least one line whatever the limit, and its limit is approximate: tighten until
  // the result fits.
  for (int attempt = 0; attempt < 64 && limit > 0; ++attempt) {
    pango_layout_set_height(block.text.get(), static_cast<int>(limit * PANGO_SCALE));
    Measure(block);
    if (block.h <= max_h + 0.01) return true;
    int count = pango_layout_get_line_count(block.text.get());
    PangoRectangle logical{};
    pango_layout_line_get_extents(pango_layout_get_line_readonly(block.text.get(), count - 1),
                                  nullptr, &logical);
    limit -= std::max(1.0, logical.height / static_cast<double>(PANGO_SCALE));
  }
  return false;
}

struct Plan {
  std::vector<LaidBlock> blocks;
};

double TotalHeight(const std::vector<LaidBlock>& blocks, double base) {
  double total = 0;
  for (size_t i = 0; i < blocks.size(); ++i) {
    total += blocks[i].h;
    if (i > 0) total += GapBetween(blocks[i - 1], blocks[i], base);
  }
  return total;
}

std::vector<LaidBlock> LayAll(const Setup& setup, const std::vector<MdBlock>& md, double scale) {
  std::vector<LaidBlock> blocks;
  blocks.reserve(md.size());
  for (const MdBlock& block : md) blocks.push_back(LayBlock(setup, block, scale));
  return blocks;
}

void Place(std::vector<LaidBlock>& blocks, const Setup& setup, double base, double top) {
  double y = top;
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (i > 0) y += GapBetween(blocks[i - 1], blocks[i], base);
    blocks[i].x = setup.box_x + blocks[i].indent;
    blocks[i].y = y;
    y += blocks[i].h;
  }
}

Plan MakePlan(const Setup& setup, std::string_view markdown) {
  Plan plan;
  std::vector<MdBlock> md = ParseMarkdownBlocks(markdown);
  if (md.empty()) return plan;
  double scale = 1.0;
  std::vector<LaidBlock> blocks = LayAll(setup, md, scale);
  double total = TotalHeight(blocks, setup.base_px * scale);
  if (total > setup.box_h) {
    // Height shrinks at least linearly with the scale, so sqrt(box/total) bounds the largest
    // scale that can fit; step down from there.
    double bound = std::sqrt(setup.box_h / total);
    scale = std::max(
        kMinScale, std::floor(std::min(1.0 - kScaleStep, bound) / kScaleStep + 1e-9) * kScaleStep);
    for (;; scale = std::max(kMinScale, scale - kScaleStep)) {
      blocks = LayAll(setup, md, scale);
      total = TotalHeight(blocks, setup.base_px * scale);
      if (total <= setup.box_h || scale <= kMinScale + 1e-9) break;
    }
  }
  double base = setup.base_px * scale;
  if (total <= setup.box_h) {
    Place(blocks, setup, base, setup.box_y + std::floor((setup.box_h - total) / 2));
    plan.blocks = std::move(blocks);
    return plan;
  }
  // Still too tall at the smallest size: keep what fits, ellipsise where the text stops.
  double used = 0;
  size_t kept = 0;
  for (; kept < blocks.size(); ++kept) {
    double gap = kept > 0 ? GapBetween(blocks[kept - 1], blocks[kept], base) : 0;
    double room = setup.box_h - used - gap;
    if (blocks[kept].h <= room) {
      used += gap + blocks[kept].h;
      continue;
    }
    if (room > 0 && Ellipsise(blocks[kept], room, false)) {
      ++kept;
    } else if (kept > 0) {
      double prev_room = blocks[kept - 1].h;
      if (!Ellipsise(blocks[kept - 1], prev_room, true)) --kept;
    }
    break;
  }
  blocks.resize(kept);
  Place(blocks, setup, base, setup.box_y);
  plan.blocks = std::move(blocks);
  return plan;
}

void SetSource(cairo_t* cr, const Rgb& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

void Draw(cairo_t* cr, const Setup& setup, const Plan& plan) {
  if (!setup.transparent) {
    SetSource(cr, setup.colours.background);
    cairo_paint(cr);
  }
  for (const LaidBlock& block : plan.blocks) {
    if (block.kind == MdBlockKind::kCode) {
      SetSource(cr, setup.colours.code_tint);
      cairo_rectangle(cr, block.x, block.y, block.w, block.h);
      cairo_fill(cr);
    }
    if (block.marker != nullptr) {
      SetSource(cr, setup.colours.accent);
      cairo_move_to(cr, block.x, block.y + block.marker_dy);
      pango_cairo_show_layout(cr, block.marker.get());
    }
    SetSource(cr, setup.colours.text);
    cairo_move_to(cr, block.x + block.text_dx, block.y + block.text_dy);
    pango_cairo_show_layout(cr, block.text.get());
    if (block.kind == MdBlockKind::kHeading) {
      SetSource(cr, setup.colours.accent);
      cairo_rectangle(cr, block.x, block.y + block.h - block.bar_thickness, block.w,
                      block.bar_thickness);
      cairo_fill(cr);
    }
  }
}

const char* KindName(MdBlockKind kind) {
  switch (kind) {
    case MdBlockKind::kHeading:
      return "heading";
    case MdBlockKind::kBullet:
    case MdBlockKind::kNumbered:
      return "bullet";
    case MdBlockKind::kCode:
      return "code";
    default:
      return "paragraph";
  }
}

}  // namespace

Result<std::vector<SlideBlock>> LayoutSlide(std::string_view markdown, int width, int height,
                                            const SlideStyle& style) {
  CR_ASSIGN_OR_RETURN(Setup setup, MakeSetup(markdown, width, height, style));
  Plan plan = MakePlan(setup, markdown);
  std::vector<SlideBlock> out;
  for (const LaidBlock& block : plan.blocks) {
    int x = static_cast<int>(std::floor(block.x));
    int y = static_cast<int>(std::floor(block.y));
    out.push_back({KindName(block.kind), x, y, static_cast<int>(std::ceil(block.x + block.w)) - x,
                   static_cast<int>(std::ceil(block.y + block.h)) - y});
  }
  return out;
}

Result<VideoFrame> RenderSlide(std::string_view markdown, int width, int height,
                               const SlideStyle& style) {
  CR_ASSIGN_OR_RETURN(Setup setup, MakeSetup(markdown, width, height, style));
  Plan plan = MakePlan(setup, markdown);

  int stride = cairo_format_stride_for_width(CAIRO_FORMAT_ARGB32, width);
  size_t bytes = static_cast<size_t>(stride) * static_cast<size_t>(height);
  std::shared_ptr<uint8_t[]> pixels = std::make_shared<uint8_t[]>(bytes);
  SurfacePtr surface(cairo_image_surface_create_for_data(pixels.get(), CAIRO_FORMAT_ARGB32, width,
                                                         height, stride));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return InternalError(std::string("cairo surface: ") +
                         cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  {
    CairoPtr cr(cairo_create(surface.get()));
    Draw(cr.get(), setup, plan);
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) {
      return InternalError(std::string("cairo drawing: ") +
                           cairo_status_to_string(cairo_status(cr.get())));
    }
  }
  cairo_surface_flush(surface.get());
  surface.reset();

  // Same size per pixel, so converted in place.
  internal::ArgbToRgba(pixels.get(), stride, pixels.get(), stride, width, height);
  VideoFrame frame;
  frame.format = PixelFormat::kRgba;
  frame.width = width;
  frame.height = height;
  frame.data[0] = pixels.get();
  frame.linesize[0] = stride;
  frame.owner = std::move(pixels);
  return frame;
}

Status WritePng(const VideoFrame& frame, const std::string& path) {
  if (frame.format != PixelFormat::kRgba || frame.empty() || frame.width <= 0 ||
      frame.height <= 0) {
    return InvalidArgumentError("WritePng " + path + ": needs a non-empty kRgba frame");
  }
  CR_ASSIGN_OR_RETURN(SurfacePtr surface, internal::SurfaceFromRgba(frame, "WritePng " + path));
  std::string png;
  auto append = [](void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
  };
  cairo_status_t status = cairo_surface_write_to_png_stream(surface.get(), append, &png);
  if (status != CAIRO_STATUS_SUCCESS) {
    return InternalError("WritePng " + path + ": " + cairo_status_to_string(status));
  }
  return WriteFileAtomically(path, png);
}

}  // namespace cutroom::compose
