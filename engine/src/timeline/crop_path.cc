#include "timeline/crop_path.h"

#include <algorithm>
#include <cmath>

namespace cutroom::timeline {
namespace {

double Component(const CropKeyframe& k, int component) {
  switch (component) {
    case 0:
      return k.cx;
    case 1:
      return k.cy;
    default:
      return k.zoom;
  }
}

// Fritsch-Carlson tangents for one component at keyframes `i` and `i + 1`.
//
// The end tangents are zero rather than the usual one-sided secant: before the first and after
// the last keyframe the crop holds still, so a zero slope there means the virtual camera starts
// and stops without a jerk (the path is C1 across the ends too).
//
// Tangents are computed over the whole keyframe list because Fritsch-Carlson's limiting step
// (alpha^2 + beta^2 <= 9) can shrink a tangent shared with the neighbouring interval. Shrinking
// only ever moves (alpha, beta) towards the origin, so one left-to-right pass leaves every
// interval inside the monotone region. O(n) per call; crop lists are short.
void Tangents(const std::vector<CropKeyframe>& keys, const std::vector<double>& x, int component,
              size_t i, double* m_i, double* m_next) {
  const size_t n = keys.size();
  std::vector<double> secant(n - 1);
  for (size_t k = 0; k + 1 < n; ++k) {
    double h = x[k + 1] - x[k];
    // h > 0 by the REQUIRES; a zero secant keeps a broken list finite instead of NaN.
    secant[k] =
        h > 0 ? (Component(keys[k + 1], component) - Component(keys[k], component)) / h : 0.0;
  }
  std::vector<double> m(n, 0.0);
  for (size_t k = 1; k + 1 < n; ++k) {
    // A local extremum (or flat neighbour) keeps a zero tangent so the path does not overshoot.
    if (secant[k - 1] * secant[k] > 0) m[k] = (secant[k - 1] + secant[k]) / 2;
  }
  for (size_t k = 0; k + 1 < n; ++k) {
    if (secant[k] == 0) {
      m[k] = 0;
      m[k + 1] = 0;
      continue;
    }
    double alpha = m[k] / secant[k];
    double beta = m[k + 1] / secant[k];
    double radius_sq = alpha * alpha + beta * beta;
    if (radius_sq > 9) {
      double tau = 3 / std::sqrt(radius_sq);
      m[k] = tau * alpha * secant[k];
      m[k + 1] = tau * beta * secant[k];
    }
  }
  *m_i = m[i];
  *m_next = m[i + 1];
}

double Hermite(double y0, double y1, double m0, double m1, double h, double u) {
  double u2 = u * u;
  double u3 = u2 * u;
  double value = (2 * u3 - 3 * u2 + 1) * y0 + (u3 - 2 * u2 + u) * h * m0 + (-2 * u3 + 3 * u2) * y1 +
                 (u3 - u2) * h * m1;
  // In exact arithmetic a monotone Hermite segment stays between its ends; the clamp removes the
  // last-bit rounding that could otherwise put a value a hair outside.
  return std::clamp(value, std::min(y0, y1), std::max(y0, y1));
}

}  // namespace

CropKeyframe EvaluateCrop(const std::vector<CropKeyframe>& keyframes, Interpolation interpolation,
                          MediaTime offset) {
  CropKeyframe result;
  result.t = offset;
  if (keyframes.empty()) return result;

  auto take = [&result](const CropKeyframe& k) {
    result.cx = k.cx;
    result.cy = k.cy;
    result.zoom = k.zoom;
    return result;
  };
  if (offset <= keyframes.front().t) return take(keyframes.front());
  if (offset >= keyframes.back().t) return take(keyframes.back());

  // The interval [t_i, t_{i+1}) holding `offset`.
  auto after = std::upper_bound(keyframes.begin(), keyframes.end(), offset,
                                [](const MediaTime& t, const CropKeyframe& k) { return t < k.t; });
  size_t i = static_cast<size_t>(after - keyframes.begin()) - 1;
  const CropKeyframe& a = keyframes[i];
  const CropKeyframe& b = keyframes[i + 1];
  if (interpolation == Interpolation::kHold) return take(a);

  double span = (b.t - a.t).ToSeconds();
  if (!(span > 0)) return take(a);  // only with unsorted keyframes, which the REQUIRES excludes
  double u = (offset - a.t).ToSeconds() / span;
  if (interpolation != Interpolation::kSmooth) {
    result.cx = a.cx + (b.cx - a.cx) * u;
    result.cy = a.cy + (b.cy - a.cy) * u;
    result.zoom = a.zoom + (b.zoom - a.zoom) * u;
    return result;
  }

  std::vector<double> x(keyframes.size());
  MediaTime origin = keyframes.front().t;
  for (size_t k = 0; k < keyframes.size(); ++k) x[k] = (keyframes[k].t - origin).ToSeconds();
  double* outputs[] = {&result.cx, &result.cy, &result.zoom};
  for (int component = 0; component < 3; ++component) {
    double m0 = 0;
    double m1 = 0;
    Tangents(keyframes, x, component, i, &m0, &m1);
    *outputs[component] =
        Hermite(Component(a, component), Component(b, component), m0, m1, span, u);
  }
  return result;
}

RectF CropWindow(const CropKeyframe& value, int source_width, int source_height, int output_width,
                 int output_height) {
  if (source_width <= 0 || source_height <= 0 || output_width <= 0 || output_height <= 0) {
    return RectF{};
  }
  const double sw = source_width;
  const double sh = source_height;
  const double out_aspect = static_cast<double>(output_width) / output_height;
  double w = sw;
  double h = sw / out_aspect;
  if (h > sh) {
    h = sh;
    w = std::min(sh * out_aspect, sw);  // min: rounding must not make it wider than the source
  }
  // A zoom below 1 would ask for a window larger than the source, which cannot be placed inside
  // it; validation rejects such values, this keeps a stray one harmless.
  double zoom = std::isfinite(value.zoom) ? std::max(value.zoom, 1.0) : 1.0;
  w /= zoom;
  h /= zoom;
  double cx = std::isfinite(value.cx) ? value.cx : 0.5;
  double cy = std::isfinite(value.cy) ? value.cy : 0.5;
  RectF window;
  window.w = w;
  window.h = h;
  window.x = std::clamp(cx * sw - w / 2, 0.0, sw - w);
  window.y = std::clamp(cy * sh - h / 2, 0.0, sh - h);
  return window;
}

}  // namespace cutroom::timeline
