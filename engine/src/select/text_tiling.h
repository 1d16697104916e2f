// TextTiling (Hearst 1997) over sentences: TF-IDF sentence vectors, block comparison of adjacent
// windows of sentences at every gap, depth scores of the similarity valleys, and boundaries where
// the depth exceeds mean - stddev / 2 of the valleys' depth scores (and an absolute floor).
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

namespace cutroom::select {

// Terms that carry topic: SimpleStem() of the normalised words that are not stopwords, not
// numbers and at least 2 characters long. `normalized` are NormalizeWord() forms.
std::vector<std::string> ContentTerms(const std::vector<std::string>& normalized);

// Smoothed inverse document frequency of each term over `documents` (each a list of terms):
// idf = ln((1 + N) / (1 + df)) + 1, so a term present everywhere still weighs 1.
std::unordered_map<std::string, double> InverseDocumentFrequency(
    const std::vector<std::vector<std::string>>& documents);

struct TextTilingOptions {
  int block_sentences = 3;        // sentences on each side of a gap
  int smoothing_radius = 1;       // moving average over gaps (0: none)
  double min_depth = 0.1;         // absolute floor: a uniform text has no boundaries
  int min_segment_sentences = 2;  // boundaries closer than this keep the deeper one
};

struct TopicSegmentation {
  // gap_similarity[g] and depth[g] belong to the gap before sentence g + 1 (size S - 1).
  std::vector<double> gap_similarity;
  std::vector<double> depth;
  // Sentence indices that start a new segment, ascending; never 0.
  std::vector<int> boundaries;
  // Segment number of each sentence (0 for the first segment).
  std::vector<int> segment_of_sentence;
};

// `sentence_terms` holds ContentTerms() of each sentence, in order. Fewer than 4 sentences give
// one segment.
TopicSegmentation SegmentTopics(const std::vector<std::vector<std::string>>& sentence_terms,
                                const TextTilingOptions& options = {});

// Boundaries b with first < b <= last: how many topic changes a window of sentences crosses.
int CountBoundariesInside(const TopicSegmentation& segmentation, int first_sentence,
                          int last_sentence);

}  // namespace cutroom::select
