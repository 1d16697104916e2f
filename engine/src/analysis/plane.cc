#include "analysis/plane.h"

namespace cutroom::analysis {
namespace {

// Column sums of `factor` rows are kept in 16 bits (8 lanes per SSE2 add), which holds 257 rows
// of 255; the divider below is exact up to factor 255.
constexpr int kMaxFastFactor = 255;

// (sum + area / 2) / area, exactly, by a multiplication: with m = ceil(2^40 / area) the error
// term is below area, and n * (m * area - 2^40) < 2^40 holds for every n <= 256 * area when
// area < 2^16 (factor <= 255). Integer division per output pixel cost as much as the sums.
class RoundingDivider {
 public:
  explicit RoundingDivider(uint32_t area)
      : half_(area / 2), m_(((uint64_t{1} << 40) + area - 1) / area) {}
  uint8_t operator()(uint32_t sum) const {
    const uint64_t n = static_cast<uint64_t>(sum) + half_;
    return static_cast<uint8_t>((n * m_) >> 40);
  }

 private:
  uint32_t half_;
  uint64_t m_;
};

// One output row from the column sums: `kFactor` > 0 fixes the block width at compile time for
// the common factors; 0 reads it from `factor`.
template <int kFactor>
void SumAcross(const uint16_t* __restrict cols, int w, int factor, const RoundingDivider& divide,
               uint8_t* __restrict dst) {
  const int f = kFactor > 0 ? kFactor : factor;
  for (int x = 0; x < w; ++x) {
    const uint16_t* c = cols + static_cast<size_t>(x) * static_cast<size_t>(f);
    uint32_t s = 0;
    for (int dx = 0; dx < f; ++dx) s += c[dx];
    dst[x] = divide(s);
  }
}

// The plain version, for factors too large for 16-bit column sums (a 4K picture shrunk below
// 16 px): rare enough that speed does not matter.
void BoxDownscaleWide(const uint8_t* src, int stride, int w, int h, int factor, Plane8* out) {
  std::vector<uint64_t> sums(static_cast<size_t>(w));
  const uint64_t area = static_cast<uint64_t>(factor) * static_cast<uint64_t>(factor);
  for (int y = 0; y < h; ++y) {
    std::fill(sums.begin(), sums.end(), uint64_t{0});
    for (int dy = 0; dy < factor; ++dy) {
      const uint8_t* row = src + static_cast<size_t>(y * factor + dy) * static_cast<size_t>(stride);
      for (int x = 0; x < w; ++x) {
        const uint8_t* p = row + static_cast<size_t>(x) * static_cast<size_t>(factor);
        for (int dx = 0; dx < factor; ++dx) sums[static_cast<size_t>(x)] += p[dx];
      }
    }
    uint8_t* dst = out->pixels.data() + static_cast<size_t>(y) * static_cast<size_t>(w);
    for (int x = 0; x < w; ++x)
      dst[x] = static_cast<uint8_t>((sums[static_cast<size_t>(x)] + area / 2) / area);
  }
}

}  // namespace

void BoxDownscale(const uint8_t* src, int stride, int src_w, int src_h, int factor, Plane8* out) {
  const int w = src_w / factor;
  const int h = src_h / factor;
  out->width = w;
  out->height = h;
  out->pixels.resize(static_cast<size_t>(w) * static_cast<size_t>(h));
  if (factor == 1) {
    for (int y = 0; y < h; ++y) {
      std::copy_n(src + static_cast<size_t>(y) * static_cast<size_t>(stride), w,
                  out->pixels.begin() + static_cast<long>(y) * w);
    }
    return;
  }
  if (factor > kMaxFastFactor) {
    BoxDownscaleWide(src, stride, w, h, factor, out);
    return;
  }
  const size_t used_w = static_cast<size_t>(w) * static_cast<size_t>(factor);
  std::vector<uint16_t> columns(used_w);
  uint16_t* __restrict cols = columns.data();
  const RoundingDivider divide(static_cast<uint32_t>(factor * factor));
  for (int y = 0; y < h; ++y) {
    const uint8_t* first =
        src + static_cast<size_t>(y) * static_cast<size_t>(factor) * static_cast<size_t>(stride);
    for (size_t x = 0; x < used_w; ++x) cols[x] = first[x];
    for (int dy = 1; dy < factor; ++dy) {
      const uint8_t* __restrict row = first + static_cast<size_t>(dy) * static_cast<size_t>(stride);
      for (size_t x = 0; x < used_w; ++x) cols[x] = static_cast<uint16_t>(cols[x] + row[x]);
    }
    uint8_t* dst = out->pixels.data() + static_cast<size_t>(y) * static_cast<size_t>(w);
    switch (factor) {
      case 2:
        SumAcross<2>(cols, w, factor, divide, dst);
        break;
      case 3:
        SumAcross<3>(cols, w, factor, divide, dst);
        break;
      case 4:
        SumAcross<4>(cols, w, factor, divide, dst);
        break;
      case 8:
        SumAcross<8>(cols, w, factor, divide, dst);
        break;
      default:
        SumAcross<0>(cols, w, factor, divide, dst);
        break;
    }
  }
}

}  // namespace cutroom::analysis
