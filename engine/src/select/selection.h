// Choosing the clips: the best scores first, never two clips that overlap by more than a share
// of the shorter one, and spread across the source (a soft penalty for crowding).
//
// Thread safety: pure functions.
#pragma once

#include <vector>

namespace cutroom::select {

struct RankedSpan {
  double start_s = 0;
  double end_s = 0;
  double score = 0;
};

struct SpreadOptions {
  int clips = 5;
  double max_overlap = 0.2;  // share of the shorter span
  double source_duration_s = 0;
  // While choosing, a candidate loses up to this many points for each chosen clip whose centre
  // lies within source_duration / clips of its own: the full penalty at the same centre, falling
  // linearly to 0 at that distance. Reported scores are not changed.
  double crowding_penalty = 10.0;
};

// Overlap of a and b as a share of the shorter one (0..1); 1 when a zero-length span lies inside
// the other.
double OverlapOfShorter(const RankedSpan& a, const RankedSpan& b);

// Indices into `spans` of the chosen clips, best score first (ties: earlier start). Greedy: each
// round takes the highest crowding-adjusted score among spans that do not overlap a chosen one
// by more than max_overlap.
std::vector<int> ChooseSpread(const std::vector<RankedSpan>& spans, const SpreadOptions& options);

}  // namespace cutroom::select
