// Image overlays (timeline::Overlay): pictures with transparency drawn over the segment picture
// and under the captions, with their entrance (and exit) animations.
//
// Each overlay's picture is decoded once (PNG alpha kept), scaled once to its output size with
// premultiplied alpha, cropped to the bounding box of its non-transparent pixels and converted
// to premultiplied BT.709 limited-range Y/U/V planes with alpha (chroma at half resolution):
// memory is one prepared picture per overlay, whatever the video's length. Per frame the
// visible overlays are blended in 16-bit integer arithmetic, which the compiler vectorises.
//
// Thread safety: one instance per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cutroom/cancel.h"
#include "cutroom/status.h"
#include "cutroom/timeline.h"
#include "cutroom/video_frame.h"

namespace cutroom::render {

// A picture ready to blend onto yuv420p: values premultiplied by alpha, even size.
struct PreparedPicture {
  int width = 0;   // even
  int height = 0;  // even
  int x = 0;       // even offset of these planes inside the overlay's full (uncropped) box
  int y = 0;
  int box_width = 0;  // the overlay's full size at 100% scale, in output pixels
  int box_height = 0;
  std::vector<uint8_t> luma, alpha;           // width * height
  std::vector<uint8_t> cb, cr, chroma_alpha;  // (width / 2) * (height / 2)
};

// Converts a kRgba picture with premultiplied alpha, already at its output size, to the blendable
// form, cropped to its non-transparent pixels (width/height 0 when it is all transparent).
PreparedPicture PreparePicture(const VideoFrame& rgba_premultiplied);

// Multiplies the colour channels of a kRgba frame by its alpha, in place.
void PremultiplyAlpha(VideoFrame& rgba);

class OverlayLayer {
 public:
  // Decodes and prepares every overlay of `timeline` for an output of its size. Errors name the
  // overlay and its source ("overlays[0]: image source 'logo': ...").
  // REQUIRES: ValidateStructure(timeline) passed.
  static Result<std::unique_ptr<OverlayLayer>> Create(const timeline::Timeline& timeline,
                                                      const CancelToken* cancel);

  bool empty() const { return overlays_.empty(); }

  // Draws, in order, the overlays visible at output time `t` onto `frame`.
  // REQUIRES: frame is yuv420p of the output size and not shared.
  void BlendOnto(VideoFrame& frame, MediaTime t);

 private:
  struct Item {
    timeline::Overlay overlay;
    int x = 0, y = 0;  // even top-left of the full box in the output at 100% scale
    PreparedPicture picture;
  };

  OverlayLayer(int width, int height) : width_(width), height_(height) {}
  void Draw(const Item& item, double opacity, double scale, int dy, VideoFrame& frame);

  int width_;
  int height_;
  std::vector<Item> overlays_;
  std::vector<int> xmap_, ymap_;  // pop: source column/row per destination, reused
};

}  // namespace cutroom::render
