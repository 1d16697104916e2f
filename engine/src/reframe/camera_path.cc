#include "reframe/camera_path.h"

#include <algorithm>
#include <cmath>

namespace cutroom::reframe {
namespace {

// Target at time t: linear between samples, held beyond the ends.
double TargetAt(const std::vector<PathSample>& s, double t) {
  if (t <= s.front().t_s) return s.front().x;
  if (t >= s.back().t_s) return s.back().x;
  auto it = std::lower_bound(s.begin(), s.end(), t,
                             [](const PathSample& p, double v) { return p.t_s < v; });
  const PathSample& b = *it;
  const PathSample& a = *(it - 1);
  double f = b.t_s > a.t_s ? (t - a.t_s) / (b.t_s - a.t_s) : 1.0;
  return a.x + f * (b.x - a.x);
}

// Median of the targets within +-window/2 of each sample: removes detector jitter and single
// false detections without lagging behind real motion.
std::vector<PathSample> MedianFilter(const std::vector<PathSample>& s, double window) {
  std::vector<PathSample> out = s;
  std::vector<double> values;
  size_t lo = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    while (s[lo].t_s < s[i].t_s - window / 2) ++lo;
    values.clear();
    for (size_t j = lo; j < s.size() && s[j].t_s <= s[i].t_s + window / 2; ++j)
      values.push_back(s[j].x);
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    out[i].x = values[values.size() / 2];
  }
  return out;
}

}  // namespace

CameraPath PlanAxis(const std::vector<PathSample>& raw, double duration_s, double lo, double hi,
                    const CameraLimits& limits) {
  CameraPath path;
  std::vector<PathSample> targets = MedianFilter(raw, limits.smoothing_s);
  for (auto& p : targets) p.x = std::clamp(p.x, lo, hi);
  auto [min_it, max_it] =
      std::minmax_element(targets.begin(), targets.end(),
                          [](const PathSample& a, const PathSample& b) { return a.x < b.x; });
  if (max_it->x - min_it->x <= limits.steady_band) {
    // Locked off at the middle of the subject's range: no motion at all while it stays put.
    path.mode = CameraMode::kSteady;
    path.keys.push_back({0.0, std::clamp((min_it->x + max_it->x) / 2, lo, hi)});
    return path;
  }
  path.mode = CameraMode::kTracking;
  constexpr double kStep = 1.0 / 50;  // simulation step
  constexpr double kGain = 3.0;       // 1/s: how fast the camera closes the gap
  double p = TargetAt(targets, limits.look_ahead_s), v = 0;
  double next_key = 0;
  for (double t = 0; t <= duration_s + 1e-9; t += kStep) {
    double error = TargetAt(targets, t + limits.look_ahead_s) - p;
    double desired = 0;
    if (std::fabs(error) > limits.dead_zone) {
      desired = (error - std::copysign(limits.dead_zone, error)) * kGain;
    }
    desired = std::clamp(desired, -limits.max_velocity, limits.max_velocity);
    double dv =
        std::clamp(desired - v, -limits.max_acceleration * kStep, limits.max_acceleration * kStep);
    v += dv;
    p = std::clamp(p + v * kStep, lo, hi);
    if (p == lo || p == hi) v = 0;
    if (t + 1e-9 >= next_key) {
      path.keys.push_back({t, p});
      next_key += limits.key_interval_s;
    }
  }
  if (path.keys.back().t_s < duration_s - 1e-6) path.keys.push_back({duration_s, p});
  return path;
}

}  // namespace cutroom::reframe
