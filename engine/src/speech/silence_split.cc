#include "speech/silence_split.h"

#include <algorithm>
#include <cmath>

namespace cutroom::speech {
namespace {

constexpr double kSilenceFloorDb = -60;  // a loudest frame below this: nothing was said
constexpr double kMinThresholdDb = -55;

struct FrameRange {
  int64_t begin = 0;  // frames
  int64_t end = 0;
};

double Percentile(std::vector<double> values, double q) {
  const size_t k = static_cast<size_t>(q * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

}  // namespace

std::vector<SampleRange> SplitAtSilences(std::span<const float> samples, int sample_rate,
                                         const SplitOptions& options) {
  const int64_t frame = std::max(1, sample_rate / 100);
  const int64_t n_frames = static_cast<int64_t>(samples.size()) / frame;
  if (n_frames == 0) return {};
  std::vector<double> energy_db(static_cast<size_t>(n_frames));
  for (int64_t f = 0; f < n_frames; ++f) {
    double sum = 0;
    for (int64_t i = f * frame; i < (f + 1) * frame; ++i) {
      const double v = samples[static_cast<size_t>(i)];
      sum += v * v;
    }
    energy_db[static_cast<size_t>(f)] = 10.0 * std::log10(sum / static_cast<double>(frame) + 1e-12);
  }
  const double noise = Percentile(energy_db, 0.10);
  const double peak = Percentile(energy_db, 0.99);
  if (peak < kSilenceFloorDb) return {};
  const double threshold = std::max(noise + 0.3 * (peak - noise), kMinThresholdDb);

  const int64_t min_gap = std::max<int64_t>(1, std::llround(options.min_silence_s * 100));
  std::vector<FrameRange> islands;
  for (int64_t f = 0; f < n_frames; ++f) {
    if (energy_db[static_cast<size_t>(f)] <= threshold) continue;
    if (!islands.empty() && f - islands.back().end < min_gap) {
      islands.back().end = f + 1;
    } else {
      islands.push_back({f, f + 1});
    }
  }
  std::erase_if(islands, [](const FrameRange& r) { return r.end - r.begin < 3; });  // clicks

  const int64_t target = std::max<int64_t>(1, std::llround(options.target_chunk_s * 100));
  const int64_t max_len = std::max<int64_t>(target, std::llround(options.max_chunk_s * 100));
  std::vector<FrameRange> chunks;
  bool open = false;
  FrameRange current;
  for (FrameRange island : islands) {
    if (open && island.end - current.begin > max_len) {
      chunks.push_back(current);
      open = false;
    }
    // One island longer than max_len: cut it at its quietest frame in its second half.
    while (island.end - island.begin > max_len) {
      const int64_t from = island.begin + max_len / 2;
      const int64_t to = island.begin + max_len;
      int64_t cut = from;
      for (int64_t f = from; f < to; ++f) {
        if (energy_db[static_cast<size_t>(f)] < energy_db[static_cast<size_t>(cut)]) cut = f;
      }
      chunks.push_back({island.begin, cut});
      island.begin = cut;
    }
    if (!open) {
      current = island;
      open = true;
    } else {
      current.end = island.end;
    }
    if (current.end - current.begin >= target) {
      chunks.push_back(current);
      open = false;
    }
  }
  if (open) chunks.push_back(current);

  // Pad into the neighbouring silence (up to half of it), in samples.
  const int64_t total = static_cast<int64_t>(samples.size());
  const int64_t pad = std::llround(options.padding_s * sample_rate);
  std::vector<SampleRange> out;
  for (size_t i = 0; i < chunks.size(); ++i) {
    const int64_t begin = chunks[i].begin * frame;
    const int64_t end = chunks[i].end * frame;
    const int64_t gap_before = i == 0 ? begin : begin - chunks[i - 1].end * frame;
    const int64_t gap_after = i + 1 == chunks.size() ? total - end : chunks[i + 1].begin * frame - end;
    const int64_t pad_before = i == 0 ? std::min(pad, gap_before) : std::min(pad, gap_before / 2);
    const int64_t pad_after =
        i + 1 == chunks.size() ? std::min(pad, gap_after) : std::min(pad, gap_after / 2);
    out.push_back({std::max<int64_t>(0, begin - pad_before), std::min(total, end + pad_after)});
  }
  return out;
}

}  // namespace cutroom::speech
