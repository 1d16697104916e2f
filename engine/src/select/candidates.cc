#include "select/candidates.h"

#include <algorithm>
#include <cmath>

namespace cutroom::select {
namespace {

Window RunOf(const std::vector<speech::Sentence>& sentences, int first, int last) {
  return {sentences[static_cast<size_t>(first)].start, sentences[static_cast<size_t>(last)].end,
          first, last};
}

}  // namespace

std::vector<Window> SentenceWindows(const std::vector<speech::Sentence>& sentences,
                                    MediaTime min_duration, MediaTime max_duration) {
  std::vector<Window> windows;
  const int n = static_cast<int>(sentences.size());
  for (int i = 0; i < n; ++i) {
    for (int j = i; j < n; ++j) {
      MediaTime length =
          sentences[static_cast<size_t>(j)].end - sentences[static_cast<size_t>(i)].start;
      if (length > max_duration) break;
      if (length >= min_duration) windows.push_back(RunOf(sentences, i, j));
    }
  }
  return windows;
}

std::vector<Window> LongestWindowsWithin(const std::vector<speech::Sentence>& sentences,
                                         MediaTime max_duration) {
  std::vector<Window> windows;
  const int n = static_cast<int>(sentences.size());
  int previous_last = -1;
  for (int i = 0; i < n; ++i) {
    int last = i;
    while (last + 1 < n &&
           sentences[static_cast<size_t>(last + 1)].end - sentences[static_cast<size_t>(i)].start <=
               max_duration) {
      ++last;
    }
    // A run that ends where the previous one did is contained in it: keep only the longer.
    if (last == previous_last) continue;
    windows.push_back(RunOf(sentences, i, last));
    previous_last = last;
  }
  return windows;
}

Window WholeTranscript(const std::vector<speech::Sentence>& sentences) {
  return RunOf(sentences, 0, static_cast<int>(sentences.size()) - 1);
}

std::vector<Window> FixedWindows(MediaTime source_duration, const std::vector<double>& scene_cuts_s,
                                 MediaTime min_duration, MediaTime max_duration) {
  std::vector<Window> windows;
  const double total = source_duration.ToSeconds();
  if (total <= 0) return windows;
  const double min_s = min_duration.ToSeconds();
  const double max_s = max_duration.ToSeconds();
  if (total < min_s) {
    windows.push_back({MediaTime(), source_duration, -1, -1});
    return windows;
  }
  const double length = std::min(total, (min_s + max_s) / 2.0);
  std::vector<double> starts;
  for (double t = 0; t + length <= total + 1e-9; t += length / 4.0) starts.push_back(t);
  for (double cut : scene_cuts_s) {
    if (cut > 0 && cut + min_s <= total) starts.push_back(cut);
  }
  std::sort(starts.begin(), starts.end());
  starts.erase(std::unique(starts.begin(), starts.end(),
                           [](double a, double b) { return std::abs(a - b) < 1e-3; }),
               starts.end());
  for (double start : starts) {
    double end = std::min(total, start + length);
    double best_distance = 1e18;
    for (double cut : scene_cuts_s) {
      if (cut < start + min_s || cut > start + max_s || cut > total) continue;
      double distance = std::abs(cut - (start + length));
      if (distance < best_distance) {
        best_distance = distance;
        end = cut;
      }
    }
    if (end - start < min_s - 1e-6) continue;
    MediaTime s = MediaTime::FromSecondsApprox(start);
    MediaTime e = end >= total ? source_duration : MediaTime::FromSecondsApprox(end);
    windows.push_back({s, e, -1, -1});
  }
  return windows;
}

}  // namespace cutroom::select
