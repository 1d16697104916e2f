#include "compose/slides/cairo_util.h"

#include <algorithm>
#include <cstring>

namespace cutroom::compose::internal {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Status CheckCanvasSize(const char* what, int width, int height) {
  constexpr int kMinSide = 16;
  constexpr int kMaxSide = 8192;
  if (width < kMinSide || width > kMaxSide || height < kMinSide || height > kMaxSide) {
    return InvalidArgumentError(std::string(what) + " size " + std::to_string(width) + "x" +
                                std::to_string(height) + " is outside " + std::to_string(kMinSide) +
                                ".." + std::to_string(kMaxSide));
  }
  return Status::Ok();
}

Result<Rgb> ParseColour(const std::string& value, const char* field) {
  int v[6] = {};
  bool ok = value.size() == 7 && value[0] == '#';
  for (int i = 0; ok && i < 6; ++i) {
    v[i] = HexDigit(value[static_cast<size_t>(i) + 1]);
    ok = v[i] >= 0;
  }
  if (!ok) {
    return InvalidArgumentError(std::string("SlideStyle.") + field + ": colour '" + value +
                                "' is not #RRGGBB");
  }
  return Rgb{(v[0] * 16 + v[1]) / 255.0, (v[2] * 16 + v[3]) / 255.0, (v[4] * 16 + v[5]) / 255.0};
}

Result<SurfacePtr> SurfaceFromRgba(const VideoFrame& frame, const std::string& what) {
  SurfacePtr surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, frame.width, frame.height));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return ResourceExhaustedError(what + ": cannot allocate the image");
  }
  uint8_t* dst = cairo_image_surface_get_data(surface.get());
  int dst_stride = cairo_image_surface_get_stride(surface.get());
  for (int y = 0; y < frame.height; ++y) {
    const uint8_t* in = frame.data[0] + static_cast<ptrdiff_t>(y) * frame.linesize[0];
    uint8_t* out = dst + static_cast<ptrdiff_t>(y) * dst_stride;
    for (int x = 0; x < frame.width; ++x) {
      uint32_t a = in[4 * x + 3];
      auto pre = [a](uint32_t v) { return (v * a + 127) / 255; };
      uint32_t argb = a << 24 | pre(in[4 * x]) << 16 | pre(in[4 * x + 1]) << 8 | pre(in[4 * x + 2]);
      std::memcpy(out + 4 * x, &argb, 4);
    }
  }
  cairo_surface_mark_dirty(surface.get());
  return surface;
}

void ArgbToRgba(const uint8_t* src, int src_stride, uint8_t* dst, int dst_stride, int width,
                int height) {
  for (int y = 0; y < height; ++y) {
    const uint8_t* in = src + static_cast<ptrdiff_t>(y) * src_stride;
    uint8_t* out = dst + static_cast<ptrdiff_t>(y) * dst_stride;
    for (int x = 0; x < width; ++x) {
      uint32_t argb = 0;
      std::memcpy(&argb, in + 4 * x, 4);
      uint32_t a = argb >> 24;
      uint32_t c[3] = {(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF};
      if (a != 255 && a != 0) {
        for (uint32_t& v : c) v = std::min<uint32_t>(255, (v * 255 + a / 2) / a);
      }
      out[4 * x + 0] = static_cast<uint8_t>(c[0]);
      out[4 * x + 1] = static_cast<uint8_t>(c[1]);
      out[4 * x + 2] = static_cast<uint8_t>(c[2]);
      out[4 * x + 3] = static_cast<uint8_t>(a);
    }
  }
}

}  // namespace cutroom::compose::internal
