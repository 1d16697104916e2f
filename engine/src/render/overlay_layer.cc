#include "render/overlay_layer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "media/image_reader.h"
#include "render/transition.h"

namespace cutroom::render {
namespace {

// Rise: the overlay starts this fraction of the output height below its place.
constexpr double kRiseFraction = 0.04;
// Pop: the overlay starts at this fraction of its size.
constexpr double kPopStartScale = 0.8;

// BT.709 limited range from 8-bit RGB, in 16.16 fixed point (the same matrix as the caption
// overlay's). The offsets are multiplied by alpha: these act on premultiplied values.
constexpr int kYr = 11966, kYg = 40254, kYb = 4064, kYOffset = 4112;     // 16 * 65536 / 255
constexpr int kUr = -6596, kUg = -22189, kUb = 28784, kCOffset = 32897;  // 128 * 65536 / 255
constexpr int kVr = 28784, kVg = -26145, kVb = -2639;

int EvenRound(double v) { return static_cast<int>(std::lround(v / 2.0)) * 2; }

uint8_t Clamp8(int v) { return static_cast<uint8_t>(std::clamp(v, 0, 255)); }

// Premultiplied "over" for one sample: value and alpha scaled by the frame's opacity (op in
// 0..256), then out = value + dst * (255 - alpha) / 255 with an exact rounded division by 255.
// Every intermediate fits 16 bits, so the unmapped loop vectorises on 16-bit lanes.
inline uint8_t Over(uint8_t dst, uint8_t value, uint8_t alpha, unsigned op) {
  const unsigned k = (alpha * op) >> 8;
  const unsigned v = (value * op) >> 8;
  const unsigned x = dst * (255u - k) + 128u;
  return static_cast<uint8_t>(std::min(255u, v + ((x + (x >> 8)) >> 8)));
}

// Blends one row of premultiplied `value`/`alpha` samples onto `dst` (n samples). `map` (may be
// null) picks the source sample for each destination sample.
void BlendRow(uint8_t* dst, const uint8_t* value, const uint8_t* alpha, const int* map, int n,
              unsigned op) {
  if (map == nullptr) {
    for (int i = 0; i < n; ++i) dst[i] = Over(dst[i], value[i], alpha[i], op);
  } else {
    for (int i = 0; i < n; ++i) dst[i] = Over(dst[i], value[map[i]], alpha[map[i]], op);
  }
}

}  // namespace

void PremultiplyAlpha(VideoFrame& rgba) {
  for (int y = 0; y < rgba.height; ++y) {
    uint8_t* p = rgba.data[0] + static_cast<ptrdiff_t>(y) * rgba.linesize[0];
    for (int x = 0; x < rgba.width; ++x, p += 4) {
      const int a = p[3];
      if (a == 255) continue;
      for (int c = 0; c < 3; ++c) p[c] = static_cast<uint8_t>((p[c] * a + 127) / 255);
    }
  }
}

PreparedPicture PreparePicture(const VideoFrame& rgba) {
  PreparedPicture out;
  int x0 = rgba.width, y0 = rgba.height, x1 = 0, y1 = 0;
  for (int y = 0; y < rgba.height; ++y) {
    const uint8_t* row = rgba.data[0] + static_cast<ptrdiff_t>(y) * rgba.linesize[0];
    for (int x = 0; x < rgba.width; ++x) {
      if (row[x * 4 + 3] == 0) continue;
      x0 = std::min(x0, x);
      x1 = std::max(x1, x + 1);
      y0 = std::min(y0, y);
      y1 = std::max(y1, y + 1);
    }
  }
  if (x1 <= x0 || y1 <= y0) return out;
  // Even bounds keep chroma samples aligned with the even place the picture is drawn at.
  x0 &= ~1;
  y0 &= ~1;
  x1 = (x1 + 1) & ~1;
  y1 = (y1 + 1) & ~1;
  out.x = x0;
  out.y = y0;
  out.width = x1 - x0;
  out.height = y1 - y0;
  const size_t n = static_cast<size_t>(out.width) * out.height;
  out.luma.assign(n, 0);
  out.alpha.assign(n, 0);
  const int cw = out.width / 2, ch = out.height / 2;
  out.cb.assign(static_cast<size_t>(cw) * ch, 0);
  out.cr.assign(static_cast<size_t>(cw) * ch, 0);
  out.chroma_alpha.assign(static_cast<size_t>(cw) * ch, 0);
  std::vector<int> cb_sum(static_cast<size_t>(cw) * ch, 0), cr_sum(cb_sum.size(), 0),
      a_sum(cb_sum.size(), 0);
  for (int y = 0; y < out.height; ++y) {
    const int sy = y0 + y;
    if (sy >= rgba.height) break;  // padding to an even size stays transparent
    const uint8_t* row = rgba.data[0] + static_cast<ptrdiff_t>(sy) * rgba.linesize[0];
    for (int x = 0; x < out.width; ++x) {
      const int sx = x0 + x;
      if (sx >= rgba.width) break;
      const uint8_t* p = row + sx * 4;
      const int a = p[3];
      // Resampling can ring a colour above its alpha; premultiplied values never exceed it.
      const int r = std::min<int>(p[0], a), g = std::min<int>(p[1], a), b = std::min<int>(p[2], a);
      const size_t i = static_cast<size_t>(y) * out.width + x;
      out.alpha[i] = static_cast<uint8_t>(a);
      out.luma[i] = Clamp8((a * kYOffset + kYr * r + kYg * g + kYb * b + 32768) >> 16);
      const size_t c = static_cast<size_t>(y / 2) * cw + x / 2;
      cb_sum[c] += a * kCOffset + kUr * r + kUg * g + kUb * b;
      cr_sum[c] += a * kCOffset + kVr * r + kVg * g + kVb * b;
      a_sum[c] += a;
    }
  }
  // 4:2:0: each chroma sample is the mean of its 2x2 premultiplied values and alphas.
  for (size_t c = 0; c < cb_sum.size(); ++c) {
    out.cb[c] = Clamp8((cb_sum[c] + (2 << 16)) >> 18);
    out.cr[c] = Clamp8((cr_sum[c] + (2 << 16)) >> 18);
    out.chroma_alpha[c] = static_cast<uint8_t>((a_sum[c] + 2) >> 2);
  }
  return out;
}

Result<std::unique_ptr<OverlayLayer>> OverlayLayer::Create(const timeline::Timeline& timeline,
                                                           const CancelToken* cancel) {
  const int width = timeline.output.width, height = timeline.output.height;
  std::unique_ptr<OverlayLayer> layer(new OverlayLayer(width, height));
  // Decoded pictures by source id, premultiplied; dropped once every overlay is prepared.
  std::map<std::string, VideoFrame> decoded;
  for (size_t i = 0; i < timeline.overlays.size(); ++i) {
    const timeline::Overlay& overlay = timeline.overlays[i];
    const std::string context =
        "overlays[" + std::to_string(i) + "]: image source '" + overlay.source + "'";
    const timeline::Source* source = timeline.FindSource(overlay.source);
    if (source == nullptr) return InvalidArgumentError(context + ": unknown source");
    auto it = decoded.find(overlay.source);
    if (it == decoded.end()) {
      auto picture = media::DecodeImageRgba(source->path, cancel);
      if (!picture.ok()) return picture.status().WithContext(context);
      PremultiplyAlpha(*picture);
      it = decoded.emplace(overlay.source, std::move(picture).value()).first;
    }
    const VideoFrame& rgba = it->second;
    const int box_w = std::max(1, static_cast<int>(std::lround(overlay.width * width)));
    const int box_h = std::max(
        1, static_cast<int>(std::lround(static_cast<double>(box_w) * rgba.height / rgba.width)));
    Item item;
    item.overlay = overlay;
    item.x = EvenRound(overlay.x * width);
    item.y = EvenRound(overlay.y * height);
    if (box_w == rgba.width && box_h == rgba.height) {
      item.picture = PreparePicture(rgba);
    } else {
      auto resized = media::ResizeRgba(rgba, box_w, box_h);
      if (!resized.ok()) return resized.status().WithContext(context);
      item.picture = PreparePicture(*resized);
    }
    item.picture.box_width = box_w;
    item.picture.box_height = box_h;
    layer->overlays_.push_back(std::move(item));
  }
  return layer;
}

void OverlayLayer::BlendOnto(VideoFrame& frame, MediaTime t) {
  for (const Item& item : overlays_) {
    const timeline::Overlay& o = item.overlay;
    if (t < o.start || t >= o.end || item.picture.width == 0) continue;
    const double animation_s = o.animation_duration.ToSeconds();
    const double entrance =
        animation_s > 0 ? std::clamp((t - o.start).ToSeconds() / animation_s, 0.0, 1.0) : 1.0;
    double opacity = o.opacity;
    double scale = 1.0;
    int dy = 0;
    switch (o.animation) {
      case timeline::OverlayAnimation::kFade: {
        const double exit =
            animation_s > 0 ? std::clamp((o.end - t).ToSeconds() / animation_s, 0.0, 1.0) : 1.0;
        opacity *= std::min(entrance, exit);
        break;
      }
      case timeline::OverlayAnimation::kRise:
        opacity *= entrance;
        dy = EvenRound(kRiseFraction * height_ * (1.0 - Smoothstep(entrance)));
        break;
      case timeline::OverlayAnimation::kPop:
        opacity *= entrance;
        scale = kPopStartScale + (1.0 - kPopStartScale) * Smoothstep(entrance);
        break;
      case timeline::OverlayAnimation::kNone:
      case timeline::OverlayAnimation::kInvalid:
        break;
    }
    Draw(item, opacity, scale, dy, frame);
  }
}

void OverlayLayer::Draw(const Item& item, double opacity, double scale, int dy, VideoFrame& frame) {
  const PreparedPicture& pic = item.picture;
  const auto op = static_cast<unsigned>(std::lround(std::clamp(opacity, 0.0, 1.0) * 256.0));
  if (op == 0) return;
  // Destination rectangle (even), scaled about the centre of the overlay's full box.
  int dst_x = item.x + pic.x, dst_y = item.y + pic.y + dy;
  int dst_w = pic.width, dst_h = pic.height;
  const bool scaled = scale < 1.0;
  if (scaled) {
    const double cx = item.x + pic.box_width / 2.0, cy = item.y + dy + pic.box_height / 2.0;
    dst_w = std::max(2, EvenRound(pic.width * scale));
    dst_h = std::max(2, EvenRound(pic.height * scale));
    dst_x = EvenRound(cx + (item.x + pic.x - cx) * scale);
    dst_y = EvenRound(cy + (item.y + dy + pic.y - cy) * scale);
    xmap_.resize(dst_w);
    ymap_.resize(dst_h);
    for (int i = 0; i < dst_w; ++i) xmap_[i] = static_cast<int>(int64_t{i} * pic.width / dst_w);
    for (int j = 0; j < dst_h; ++j) ymap_[j] = static_cast<int>(int64_t{j} * pic.height / dst_h);
  }
  const int x0 = std::max(0, dst_x), x1 = std::min(width_, dst_x + dst_w);
  const int y0 = std::max(0, dst_y), y1 = std::min(height_, dst_y + dst_h);
  if (x0 >= x1 || y0 >= y1) return;
  const int* map = scaled ? xmap_.data() + (x0 - dst_x) : nullptr;
  for (int y = y0; y < y1; ++y) {
    const int sy = scaled ? ymap_[y - dst_y] : y - dst_y;
    const size_t off = static_cast<size_t>(sy) * pic.width + (scaled ? 0 : x0 - dst_x);
    BlendRow(frame.data[0] + static_cast<ptrdiff_t>(y) * frame.linesize[0] + x0,
             pic.luma.data() + off, pic.alpha.data() + off, map, x1 - x0, op);
  }
  // Chroma: everything is even, so the rectangle halves exactly. A scaled picture samples the
  // chroma of the luma sample it maps its even columns/rows to.
  const int cw = pic.width / 2;
  const int cx0 = x0 / 2, cx1 = x1 / 2;
  if (scaled) {
    for (int i = 0; i < cx1 - cx0; ++i) xmap_[i] = xmap_[(x0 - dst_x) + 2 * i] / 2;
  }
  const int* cmap = scaled ? xmap_.data() : nullptr;
  for (int cy = y0 / 2; cy < y1 / 2; ++cy) {
    const int sy = scaled ? ymap_[cy * 2 - dst_y] / 2 : cy - dst_y / 2;
    const size_t off = static_cast<size_t>(sy) * cw + (scaled ? 0 : cx0 - dst_x / 2);
    const uint8_t* a = pic.chroma_alpha.data() + off;
    BlendRow(frame.data[1] + static_cast<ptrdiff_t>(cy) * frame.linesize[1] + cx0,
             pic.cb.data() + off, a, cmap, cx1 - cx0, op);
    BlendRow(frame.data[2] + static_cast<ptrdiff_t>(cy) * frame.linesize[2] + cx0,
             pic.cr.data() + off, a, cmap, cx1 - cx0, op);
  }
}

}  // namespace cutroom::render
