#include "captions/ass_overlay.h"

#include <ass/ass.h>

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>

namespace cutroom::captions {
namespace {

struct AssLibraryDeleter {
  void operator()(ASS_Library* library) const { ass_library_done(library); }
};
struct AssRendererDeleter {
  void operator()(ASS_Renderer* renderer) const { ass_renderer_done(renderer); }
};
struct AssTrackDeleter {
  void operator()(ASS_Track* track) const { ass_free_track(track); }
};
using AssLibraryPtr = std::unique_ptr<ASS_Library, AssLibraryDeleter>;
using AssRendererPtr = std::unique_ptr<ASS_Renderer, AssRendererDeleter>;
using AssTrackPtr = std::unique_ptr<ASS_Track, AssTrackDeleter>;

// libass reports font fallbacks and other chatter at info levels; only errors are worth a line,
// and they go to stderr because the overlay has no logger of its own.
void AssMessage(int level, const char* format, va_list args, void* /*data*/) {
  if (level > 1) return;  // 0 fatal, 1 error
  std::fputs("libass: ", stderr);
  std::vfprintf(stderr, format, args);
  std::fputc('\n', stderr);
}

// The caption colour in BT.709 limited range. Computed once per bitmap, so floating point is
// fine here.
struct YuvColour {
  int y = 16, u = 128, v = 128;
  int opacity = 0;  // 0..255
};

YuvColour ToYuv(uint32_t rgba) {
  double r = (rgba >> 24) & 0xFF, g = (rgba >> 16) & 0xFF, b = (rgba >> 8) & 0xFF;
  YuvColour c;
  c.y = static_cast<int>(std::lround(16 + 0.182586 * r + 0.614231 * g + 0.062007 * b));
  c.u = static_cast<int>(std::lround(128 - 0.100644 * r - 0.338572 * g + 0.439216 * b));
  c.v = static_cast<int>(std::lround(128 + 0.439216 * r - 0.398942 * g - 0.040274 * b));
  c.opacity = 255 - static_cast<int>(rgba & 0xFF);  // libass alpha is transparency
  return c;
}

// dst + (target - dst) * weight / 65536, rounded; weight in 0..65536.
inline uint8_t Mix(uint8_t dst, int target, uint32_t weight) {
  int32_t delta = (target - dst) * static_cast<int32_t>(weight);
  return static_cast<uint8_t>(dst + ((delta + 32768) >> 16));
}

class AssOverlayImpl : public AssOverlay {
 public:
  AssOverlayImpl(AssLibraryPtr library, AssRendererPtr renderer, AssTrackPtr track, int width,
                 int height)
      : library_(std::move(library)),
        renderer_(std::move(renderer)),
        track_(std::move(track)),
        width_(width),
        height_(height) {}

  Status BlendOnto(VideoFrame& frame, MediaTime time) override {
    if (frame.format != PixelFormat::kYuv420p || frame.width != width_ || frame.height != height_ ||
        frame.data[0] == nullptr || frame.data[1] == nullptr || frame.data[2] == nullptr) {
      return InvalidArgumentError("caption overlay needs a yuv420p frame of " +
                                  std::to_string(width_) + "x" + std::to_string(height_));
    }
    // Rounded down: a caption starting at 1.00 s must not appear on a frame at 0.999 s.
    long long now_ms = time.Rescale({1, 1000}, Rounding::kDown);
    int changed = 0;
    // Frames arrive fresh, so even an unchanged image list has to be blended again.
    for (ASS_Image* image = ass_render_frame(renderer_.get(), track_.get(), now_ms, &changed);
         image != nullptr; image = image->next) {
      BlendImage(*image, frame);
    }
    return Status::Ok();
  }

 private:
  void BlendImage(const ASS_Image& image, VideoFrame& frame) const {
    YuvColour colour = ToYuv(image.color);
    if (colour.opacity == 0 || image.w <= 0 || image.h <= 0) return;
    // weight[coverage] in 0..65536 for coverage * opacity / 255^2: one table per bitmap keeps
    // the per-pixel work to a lookup, a multiply and a shift.
    uint32_t weight[256];
    for (int a = 0; a < 256; ++a) {
      weight[a] = static_cast<uint32_t>(
          (static_cast<uint64_t>(a) * colour.opacity * 65536 + 65025 / 2) / 65025);
    }
    // Clip to the frame in luma coordinates.
    const int x0 = std::max(image.dst_x, 0), y0 = std::max(image.dst_y, 0);
    const int x1 = std::min(image.dst_x + image.w, width_);
    const int y1 = std::min(image.dst_y + image.h, height_);
    if (x0 >= x1 || y0 >= y1) return;

    for (int y = y0; y < y1; ++y) {
      const uint8_t* src = image.bitmap + static_cast<ptrdiff_t>(y - image.dst_y) * image.stride;
      uint8_t* dst = frame.data[0] + static_cast<ptrdiff_t>(y) * frame.linesize[0];
      for (int x = x0; x < x1; ++x) {
        uint8_t a = src[x - image.dst_x];
        if (a != 0) dst[x] = Mix(dst[x], colour.y, weight[a]);
      }
    }

    // 4:2:0 chroma: each sample takes the mean weight of the 2x2 luma pixels it covers (pixels
    // outside the clipped bitmap count as zero coverage).
    const int cx0 = x0 / 2, cx1 = (x1 + 1) / 2;
    const int cy0 = y0 / 2, cy1 = (y1 + 1) / 2;
    for (int cy = cy0; cy < cy1; ++cy) {
      const uint8_t* rows[2] = {nullptr, nullptr};
      for (int k = 0; k < 2; ++k) {
        int y = cy * 2 + k;
        if (y >= y0 && y < y1) {
          rows[k] = image.bitmap + static_cast<ptrdiff_t>(y - image.dst_y) * image.stride;
        }
      }
      uint8_t* u = frame.data[1] + static_cast<ptrdiff_t>(cy) * frame.linesize[1];
      uint8_t* v = frame.data[2] + static_cast<ptrdiff_t>(cy) * frame.linesize[2];
      for (int cx = cx0; cx < cx1; ++cx) {
        uint32_t sum = 0;
        for (int k = 0; k < 2; ++k) {
          if (rows[k] == nullptr) continue;
          for (int x = cx * 2; x < cx * 2 + 2; ++x) {
            if (x >= x0 && x < x1) sum += weight[rows[k][x - image.dst_x]];
          }
        }
        if (sum == 0) continue;
        uint32_t w = (sum + 2) >> 2;
        u[cx] = Mix(u[cx], colour.u, w);
        v[cx] = Mix(v[cx], colour.v, w);
      }
    }
  }

  // Declared in destruction order's reverse: the track and renderer go before the library.
  AssLibraryPtr library_;
  AssRendererPtr renderer_;
  AssTrackPtr track_;
  int width_;
  int height_;
};

Result<std::vector<char>> ReadFontFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read caption font file \"" + path + "\"");
  std::vector<char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return DataLossError("error reading caption font file \"" + path + "\"");
  if (data.empty()) return InvalidArgumentError("caption font file \"" + path + "\" is empty");
  return data;
}

}  // namespace

Result<std::unique_ptr<AssOverlay>> AssOverlay::Create(const std::string& ass_script, int width,
                                                       int height, const std::string& font_file) {
  if (width <= 0 || height <= 0) {
    return InvalidArgumentError("caption overlay size must be positive, got " +
                                std::to_string(width) + "x" + std::to_string(height));
  }
  std::vector<char> font_data;
  if (!font_file.empty()) {
    CR_ASSIGN_OR_RETURN(font_data, ReadFontFile(font_file));
  }

  AssLibraryPtr library(ass_library_init());
  if (library == nullptr) return InternalError("ass_library_init failed");
  ass_set_message_cb(library.get(), AssMessage, nullptr);
  if (!font_data.empty()) {
    // libass copies the data; the font is then selectable by its family name.
    ass_add_font(library.get(), font_file.c_str(), font_data.data(),
                 static_cast<int>(font_data.size()));
  }

  AssRendererPtr renderer(ass_renderer_init(library.get()));
  if (renderer == nullptr) return InternalError("ass_renderer_init failed");
  ass_set_frame_size(renderer.get(), width, height);
  ass_set_storage_size(renderer.get(), width, height);
  if (font_file.empty()) {
    ass_set_fonts(renderer.get(), nullptr, "DejaVu Sans", ASS_FONTPROVIDER_AUTODETECT, nullptr, 1);
  } else {
    // The file overrides whatever family the script names. libass consults a default font path
    // only after fontconfig's fallback, which always finds something, so fontconfig is off here
    // and the file is the default font. Cost: glyphs missing from the file have no fallback.
    ass_set_fonts(renderer.get(), font_file.c_str(), nullptr, ASS_FONTPROVIDER_NONE, nullptr, 0);
  }

  // ass_read_memory takes a mutable buffer; hand it a copy.
  std::string buffer = ass_script;
  AssTrackPtr track(ass_read_memory(library.get(), buffer.data(), buffer.size(), nullptr));
  if (track == nullptr) return InvalidArgumentError("libass could not parse the caption script");

  return std::unique_ptr<AssOverlay>(
      new AssOverlayImpl(std::move(library), std::move(renderer), std::move(track), width, height));
}

}  // namespace cutroom::captions
