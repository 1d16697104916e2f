#include "media/frame_scaler.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "media/ffmpeg_util.h"

namespace cutroom::media {
namespace {

constexpr int kWeightBits = 14;        // filter weights sum to 1 << 14
constexpr int kIntermediateShift = 8;  // horizontal pass keeps pixel * 64 in int16

// Keys' cubic convolution kernel with a = -0.5 (Catmull-Rom), as swscale's SWS_BICUBIC.
double Cubic(double x) {
  x = std::fabs(x);
  if (x < 1.0) return (1.5 * x - 2.5) * x * x + 1.0;
  if (x < 2.0) return ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0;
  return 0.0;
}

double Linear(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// For each output index: first source index and `taps` fixed-point weights.
// The table remembers what it was built for, so a steady sub-pixel window reuses it instead of
// recomputing thousands of weights for every frame.
struct FilterTable {
  int taps = 0;
  std::vector<int> first;
  std::vector<int16_t> weights;  // first.size() * taps
  // Built for (src_start, src_len, src_limit, dst_len, filter); src_limit 0 = not built.
  double built_start = 0, built_len = 0;
  int built_limit = 0, built_dst = 0;
  ScaleFilter built_filter = ScaleFilter::kInvalid;
};

void BuildTable(double src_start, double src_len, int src_limit, int dst_len, ScaleFilter filter,
                FilterTable& t) {
  if (t.built_limit == src_limit && t.built_dst == dst_len && t.built_filter == filter &&
      t.built_start == src_start && t.built_len == src_len) {
    return;
  }
  t.built_start = src_start;
  t.built_len = src_len;
  t.built_limit = src_limit;
  t.built_dst = dst_len;
  t.built_filter = filter;
  const double scale = src_len / dst_len;       // source pixels per output pixel
  const double stretch = std::max(1.0, scale);  // widen the kernel when minifying (anti-alias)
  const double radius = (filter == ScaleFilter::kBicubic ? 2.0 : 1.0) * stretch;
  t.taps = static_cast<int>(std::ceil(radius)) * 2 + 1;
  t.first.resize(dst_len);
  t.weights.assign(static_cast<size_t>(dst_len) * t.taps, 0);
  std::vector<double> w(t.taps);
  std::vector<double> folded(t.taps);
  for (int i = 0; i < dst_len; ++i) {
    double center = src_start + (i + 0.5) * scale - 0.5;
    int first = static_cast<int>(std::floor(center - radius)) + 1;
    double sum = 0;
    for (int k = 0; k < t.taps; ++k) {
      double d = (first + k - center) / stretch;
      w[k] = filter == ScaleFilter::kBicubic ? Cubic(d) : Linear(d);
      sum += w[k];
    }
    // Clamp taps at the edges by folding their weight onto the edge pixel.
    int16_t* out = &t.weights[static_cast<size_t>(i) * t.taps];
    int clamped_first = std::clamp(first, 0, std::max(0, src_limit - t.taps));
    std::fill(folded.begin(), folded.end(), 0.0);
    for (int k = 0; k < t.taps; ++k) {
      int src = std::clamp(first + k, 0, src_limit - 1);
      int slot = std::clamp(src - clamped_first, 0, t.taps - 1);
      folded[slot] += w[k] / sum;
    }
    int total = 0, biggest = 0;
    for (int k = 0; k < t.taps; ++k) {
      out[k] = static_cast<int16_t>(std::lround(folded[k] * (1 << kWeightBits)));
      total += out[k];
      if (std::abs(out[k]) > std::abs(out[biggest])) biggest = k;
    }
    out[biggest] = static_cast<int16_t>(out[biggest] + ((1 << kWeightBits) - total));
    t.first[i] = clamped_first;
  }
}

void ResamplePlane(const uint8_t* src, int src_stride, int src_w, int src_h, double x0, double y0,
                   double w, double h, uint8_t* dst, int dst_stride, int dst_w, int dst_h,
                   ScaleFilter filter, FilterTable& xt, FilterTable& yt,
                   std::vector<int16_t>& rows) {
  BuildTable(x0, w, src_w, dst_w, filter, xt);
  BuildTable(y0, h, src_h, dst_h, filter, yt);
  // Horizontal pass over the source rows the vertical pass needs.
  int row_lo = yt.first.front();
  int row_hi = std::min(src_h - 1, yt.first.back() + yt.taps - 1);
  int nrows = row_hi - row_lo + 1;
  rows.resize(static_cast<size_t>(nrows) * dst_w);
  for (int r = 0; r < nrows; ++r) {
    const uint8_t* s = src + static_cast<size_t>(row_lo + r) * src_stride;
    int16_t* out = &rows[static_cast<size_t>(r) * dst_w];
    for (int i = 0; i < dst_w; ++i) {
      const uint8_t* p = s + xt.first[i];
      const int16_t* wt = &xt.weights[static_cast<size_t>(i) * xt.taps];
      int acc = 0;
      for (int k = 0; k < xt.taps; ++k) acc += wt[k] * p[k];
      out[i] = static_cast<int16_t>((acc + (1 << (kIntermediateShift - 1))) >> kIntermediateShift);
    }
  }
  // Vertical pass: contiguous inner loop over columns, which the compiler vectorises.
  std::vector<int> acc(dst_w);
  constexpr int kFinalShift = 2 * kWeightBits - kIntermediateShift;
  for (int j = 0; j < dst_h; ++j) {
    std::fill(acc.begin(), acc.end(), 1 << (kFinalShift - 1));
    const int16_t* wt = &yt.weights[static_cast<size_t>(j) * yt.taps];
    for (int k = 0; k < yt.taps; ++k) {
      int r = std::min(yt.first[j] + k, row_hi) - row_lo;
      const int16_t* row = &rows[static_cast<size_t>(r) * dst_w];
      const int weight = wt[k];
      if (weight == 0) continue;
      for (int i = 0; i < dst_w; ++i) acc[i] += weight * row[i];
    }
    uint8_t* o = dst + static_cast<size_t>(j) * dst_stride;
    for (int i = 0; i < dst_w; ++i)
      o[i] = static_cast<uint8_t>(std::clamp(acc[i] >> kFinalShift, 0, 255));
  }
}

}  // namespace

struct FrameScaler::Impl {
  ScaleFilter filter;
  SwsContext* sws = nullptr;  // owned; sws_getCachedContext reuses it
  // Per plane, so each keeps its tables while the window stays.
  FilterTable xt[3], yt[3];
  std::vector<int16_t> rows;
  ~Impl() { sws_freeContext(sws); }
};

FrameScaler::FrameScaler(ScaleFilter filter) : impl_(std::make_unique<Impl>()) {
  impl_->filter = filter;
}
FrameScaler::~FrameScaler() = default;

bool FrameScaler::IsPixelAligned(const RectF& r) {
  auto whole_even = [](double v) {
    double rv = std::round(v);
    return std::fabs(v - rv) < 1e-6 && static_cast<int64_t>(rv) % 2 == 0;
  };
  return whole_even(r.x) && whole_even(r.y) && whole_even(r.w) && whole_even(r.h);
}

Status FrameScaler::Scale(const VideoFrame& src, const RectF& rect, VideoFrame& dst, int dst_x,
                          int dst_y, int dst_w, int dst_h) {
  if (src.format != PixelFormat::kYuv420p || dst.format != PixelFormat::kYuv420p) {
    return InvalidArgumentError("scaler: frames must be yuv420p");
  }
  if (dst_w <= 0 || dst_h <= 0 || dst_x < 0 || dst_y < 0 || dst_x + dst_w > dst.width ||
      dst_y + dst_h > dst.height || (dst_x | dst_y | dst_w | dst_h) & 1) {
    return InvalidArgumentError("scaler: destination rectangle outside the frame or odd");
  }
  if (rect.w <= 0 || rect.h <= 0 || rect.x < -1e-6 || rect.y < -1e-6 ||
      rect.x + rect.w > src.width + 1e-6 || rect.y + rect.h > src.height + 1e-6) {
    return InvalidArgumentError("scaler: source rectangle outside the frame");
  }
  Impl& d = *impl_;
  if (IsPixelAligned(rect)) {
    int x = static_cast<int>(std::lround(rect.x)), y = static_cast<int>(std::lround(rect.y));
    int w = static_cast<int>(std::lround(rect.w)), h = static_cast<int>(std::lround(rect.h));
    int flags = (d.filter == ScaleFilter::kBicubic ? SWS_BICUBIC : SWS_BILINEAR);
    d.sws = sws_getCachedContext(d.sws, w, h, AV_PIX_FMT_YUV420P, dst_w, dst_h, AV_PIX_FMT_YUV420P,
                                 flags, nullptr, nullptr, nullptr);
    if (d.sws == nullptr) return InternalError("scaler: cannot create swscale context");
    const uint8_t* in[4] = {src.data[0] + static_cast<size_t>(y) * src.linesize[0] + x,
                            src.data[1] + static_cast<size_t>(y / 2) * src.linesize[1] + x / 2,
                            src.data[2] + static_cast<size_t>(y / 2) * src.linesize[2] + x / 2,
                            nullptr};
    uint8_t* out[4] = {dst.data[0] + static_cast<size_t>(dst_y) * dst.linesize[0] + dst_x,
                       dst.data[1] + static_cast<size_t>(dst_y / 2) * dst.linesize[1] + dst_x / 2,
                       dst.data[2] + static_cast<size_t>(dst_y / 2) * dst.linesize[2] + dst_x / 2,
                       nullptr};
    sws_scale(d.sws, in, src.linesize.data(), 0, h, out, dst.linesize.data());
    return Status::Ok();
  }
  for (int p = 0; p < 3; ++p) {
    double div = p == 0 ? 1.0 : 2.0;
    int pw = p == 0 ? src.width : (src.width + 1) / 2;
    int ph = p == 0 ? src.height : (src.height + 1) / 2;
    uint8_t* out = dst.data[p] + static_cast<size_t>(p == 0 ? dst_y : dst_y / 2) * dst.linesize[p] +
                   (p == 0 ? dst_x : dst_x / 2);
    ResamplePlane(src.data[p], src.linesize[p], pw, ph, rect.x / div, rect.y / div, rect.w / div,
                  rect.h / div, out, dst.linesize[p], p == 0 ? dst_w : dst_w / 2,
                  p == 0 ? dst_h : dst_h / 2, d.filter, d.xt[p], d.yt[p], d.rows);
  }
  return Status::Ok();
}

}  // namespace cutroom::media
