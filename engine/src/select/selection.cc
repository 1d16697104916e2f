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

std::vector<uint64_t> WordHashes(const std::vector<std::string>& words) {
  std::vector<uint64_t> hashes;
  hashes.reserve(words.size());
  const std::hash<std::string> hash;
  for (const std::string& w : words) hashes.push_back(hash(w));
  return hashes;
}

std::unordered_set<uint64_t> WordPairs(const std::vector<uint64_t>& word_hashes, size_t begin,
                                       size_t end) {
  std::unordered_set<uint64_t> pairs;
  end = std::min(end, word_hashes.size());
  for (size_t i = begin; i + 1 < end; ++i) {
    const uint64_t a = word_hashes[i], b = word_hashes[i + 1];
    pairs.insert(a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2)));
  }
  return pairs;
}

double RepeatedShare(const std::unordered_set<uint64_t>& a, const std::unordered_set<uint64_t>& b) {
  if (a.empty() || b.empty()) return 0.0;
  const auto& smaller = a.size() <= b.size() ? a : b;
  const auto& larger = a.size() <= b.size() ? b : a;
  size_t shared = 0;
  for (uint64_t pair : smaller) shared += larger.count(pair);
  // Shared pairs over the smaller set is the larger of the two shares.
  return static_cast<double>(shared) / static_cast<double>(smaller.size());
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
      if (!available[i]) continue;
      if (OverlapOfShorter(spans[i], spans[static_cast<size_t>(best)]) > options.max_overlap ||
          (options.repeats && options.repeats(static_cast<int>(i), best))) {
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
