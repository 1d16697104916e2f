// Choosing the clips: the best scores first, never two clips that overlap by more than a share
// of the shorter one or that repeat each other's words (a passage said twice, a re-run intro, a
// looped segment), and spread across the source (a soft penalty for crowding).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>
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
  // May be empty. True when span `candidate` repeats the content of the chosen span `chosen`
  // (indices into the spans): such a candidate is dropped like an overlapping one.
  std::function<bool(int candidate, int chosen)> repeats;
};

// Overlap of a and b as a share of the shorter one (0..1); 1 when a zero-length span lies inside
// the other.
double OverlapOfShorter(const RankedSpan& a, const RankedSpan& b);

// Hashes of words (normalised words: the same word, the same hash), for WordPairs.
std::vector<uint64_t> WordHashes(const std::vector<std::string>& words);

// The distinct adjacent word pairs of the words [begin, end) of `word_hashes`, hashed: what two
// passages must share to be the same passage said twice. Recognition errors change a pair or two
// per wrong word, so a repeat recognised differently still shares most of its pairs.
std::unordered_set<uint64_t> WordPairs(const std::vector<uint64_t>& word_hashes, size_t begin,
                                       size_t end);

// How much of one passage the other repeats: the larger of the share of `a`'s pairs found in `b`
// and of `b`'s found in `a` (so a long clip holding all of a short one repeats it); 0 when either
// is empty.
double RepeatedShare(const std::unordered_set<uint64_t>& a, const std::unordered_set<uint64_t>& b);

// Indices into `spans` of the chosen clips, best score first (ties: earlier start). Greedy: each
// round takes the highest crowding-adjusted score among spans that do not overlap a chosen one
// by more than max_overlap and do not repeat one (`repeats`).
std::vector<int> ChooseSpread(const std::vector<RankedSpan>& spans, const SpreadOptions& options);

}  // namespace cutroom::select
