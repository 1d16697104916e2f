#include "select/selection.h"

#include <algorithm>
#include <cmath>

namespace cutroom::select {

double OverlapOfShorter(const RankedSpan& a, const RankedSpan& b) {
  const double overlap = std::min(a.end_s, b.end_s) - std::max(a.start_s, b.start_s);
  const double shorter = std::min(a.end_s - a.start_s, b.end_s - b.start_s);
  if (shorter <= 0) {
    // A point: inside the other span or not.
    return overlap >= 0 ? 1.0 : 0.0;
  }
  return std::clamp(overlap / shorter, 0.0, 1.0);
}

std::vector<int> ChooseSpread(const std::vector<RankedSpan>& spans, const SpreadOptions& options) {
  std::vector<int> chosen;
  if (options.clips <= 0) return chosen;
  const double radius =
      options.source_duration_s > 0 ? options.source_duration_s / options.clips : 0.0;
  std::vector<bool> available(spans.size(), true);
  while (static_cast<int>(chosen.size()) < options.clips) {
    int best = -1;
    double best_adjusted = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
      if (!available[i]) continue;
      const RankedSpan& span = spans[i];
      const double centre = (span.start_s + span.end_s) / 2.0;
      double crowding = 0;
      for (int c : chosen) {
        const RankedSpan& other = spans[static_cast<size_t>(c)];
        const double distance = std::abs((other.start_s + other.end_s) / 2.0 - centre);
        if (distance < radius) crowding += 1.0 - distance / radius;
      }
      const double adjusted = span.score - options.crowding_penalty * crowding;
      if (best < 0 || adjusted > best_adjusted + 1e-9 ||
          (std::abs(adjusted - best_adjusted) <= 1e-9 &&
           span.start_s < spans[static_cast<size_t>(best)].start_s)) {
        best = static_cast<int>(i);
        best_adjusted = adjusted;
      }
    }
    if (best < 0) break;
    chosen.push_back(best);
    available[static_cast<size_t>(best)] = false;
    for (size_t i = 0; i < spans.size(); ++i) {
      if (available[i] &&
          OverlapOfShorter(spans[i], spans[static_cast<size_t>(best)]) > options.max_overlap) {
        available[i] = false;
      }
    }
  }
  std::stable_sort(chosen.begin(), chosen.end(), [&](int a, int b) {
    const RankedSpan& sa = spans[static_cast<size_t>(a)];
    const RankedSpan& sb = spans[static_cast<size_t>(b)];
    if (sa.score != sb.score) return sa.score > sb.score;
    return sa.start_s < sb.start_s;
  });
  return chosen;
}

}  // namespace cutroom::select
