#include "analysis/motion/motion_meter.h"

#include <cstdlib>
#include <limits>

namespace cutroom::analysis {
namespace {

constexpr int kSearch = 4;  // pixels either way at the working resolution

// Mean absolute difference of `a` shifted by (dx, dy) against `b`, over the interior that every
// searched shift covers, so that all candidates are scored on the same pixels.
double ShiftedMad(const Plane8& a, const Plane8& b, int dx, int dy) {
  uint64_t sum = 0;
  uint64_t count = 0;
  for (int y = kSearch; y < b.height - kSearch; ++y) {
    const uint8_t* rb = b.pixels.data() + static_cast<size_t>(y) * b.width;
    const uint8_t* ra = a.pixels.data() + static_cast<size_t>(y - dy) * a.width;
    for (int x = kSearch; x < b.width - kSearch; ++x) {
      sum += static_cast<uint64_t>(std::abs(static_cast<int>(rb[x]) - static_cast<int>(ra[x - dx])));
    }
    count += static_cast<uint64_t>(b.width - 2 * kSearch);
  }
  return count > 0 ? static_cast<double>(sum) / static_cast<double>(count) : 0.0;
}

}  // namespace

MotionMeter::MotionMeter(int max_side) : max_side_(max_side) {}

MotionSample MotionMeter::Add(const Plane8& luma, MediaTime pts) {
  MotionSample sample;
  sample.time = pts;
  if (luma.empty()) return sample;
  const int factor = BoxFactor(luma.width, luma.height, max_side_);
  BoxDownscale(luma.pixels.data(), luma.width, luma.width, luma.height, factor, &scratch_);
  const bool comparable = prev_.width == scratch_.width && prev_.height == scratch_.height &&
                          scratch_.width > 2 * kSearch + 1 && scratch_.height > 2 * kSearch + 1;
  if (comparable) {
    double best = std::numeric_limits<double>::infinity();
    int best_dx = 0, best_dy = 0;
    const double still = ShiftedMad(prev_, scratch_, 0, 0);
    for (int dy = -kSearch; dy <= kSearch; ++dy) {
      for (int dx = -kSearch; dx <= kSearch; ++dx) {
        const double mad = (dx == 0 && dy == 0) ? still : ShiftedMad(prev_, scratch_, dx, dy);
        // Prefer no shift unless a shift explains clearly more (flat pictures match anywhere).
        const double biased = (dx == 0 && dy == 0) ? mad : mad + 0.5;
        if (biased < best) {
          best = biased;
          best_dx = dx;
          best_dy = dy;
        }
      }
    }
    const double residual = (best_dx == 0 && best_dy == 0) ? still
                                                           : ShiftedMad(prev_, scratch_, best_dx, best_dy);
    sample.magnitude = residual / 255.0;
    sample.pan_x = static_cast<double>(best_dx) / scratch_.width;
    sample.pan_y = static_cast<double>(best_dy) / scratch_.height;
  }
  std::swap(prev_, scratch_);
  return sample;
}

}  // namespace cutroom::analysis
