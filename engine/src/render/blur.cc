#include "render/blur.h"

#include <algorithm>
#include <vector>

namespace cutroom::render {
namespace {

// One running-sum pass along rows (stride 1) or columns (stride = linesize).
void BlurLine(uint8_t* p, int n, int step, int r, std::vector<uint8_t>& tmp) {
  tmp.resize(n);
  for (int i = 0; i < n; ++i) tmp[i] = p[static_cast<size_t>(i) * step];
  int sum = 0;
  const int window = 2 * r + 1;
  for (int i = -r; i <= r; ++i) sum += tmp[std::clamp(i, 0, n - 1)];
  for (int i = 0; i < n; ++i) {
    p[static_cast<size_t>(i) * step] = static_cast<uint8_t>((sum + window / 2) / window);
    sum += tmp[std::min(i + r + 1, n - 1)] - tmp[std::max(i - r, 0)];
  }
}

void BlurPlane(uint8_t* data, int stride, int w, int h, int r, int passes) {
  std::vector<uint8_t> tmp;
  for (int pass = 0; pass < passes; ++pass) {
    for (int y = 0; y < h; ++y) BlurLine(data + static_cast<size_t>(y) * stride, w, 1, r, tmp);
    for (int x = 0; x < w; ++x) BlurLine(data + x, h, stride, r, tmp);
  }
}

}  // namespace

void BoxBlur(VideoFrame& frame, int radius, int passes) {
  BlurPlane(frame.data[0], frame.linesize[0], frame.width, frame.height, radius, passes);
  int cr = std::max(1, radius / 2);
  for (int p = 1; p < 3; ++p) {
    BlurPlane(frame.data[p], frame.linesize[p], frame.width / 2, frame.height / 2, cr, passes);
  }
}

void DimLuma(VideoFrame& frame, double factor) {
  const int f = static_cast<int>(factor * 256);
  for (int y = 0; y < frame.height; ++y) {
    uint8_t* row = frame.data[0] + static_cast<size_t>(y) * frame.linesize[0];
    for (int x = 0; x < frame.width; ++x)
      row[x] = static_cast<uint8_t>(16 + ((row[x] - 16) * f >> 8));
  }
}

}  // namespace cutroom::render
