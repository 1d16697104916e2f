#include "select/text_tiling.h"

#include <algorithm>
#include <cmath>

#include "select/lexicon.h"

namespace cutroom::select {
namespace {

using TermVector = std::unordered_map<std::string, double>;

double Cosine(const TermVector& a, const TermVector& b) {
  double dot = 0, na = 0, nb = 0;
  for (const auto& [term, weight] : a) {
    na += weight * weight;
    auto it = b.find(term);
    if (it != b.end()) dot += weight * it->second;
  }
  for (const auto& [term, weight] : b) nb += weight * weight;
  if (na <= 0 || nb <= 0) return 0;
  return dot / std::sqrt(na * nb);
}

}  // namespace

std::vector<std::string> ContentTerms(const std::vector<std::string>& normalized) {
  std::vector<std::string> terms;
  for (const std::string& word : normalized) {
    if (word.size() < 2 || IsStopword(word) || IsNumberWord(word)) continue;
    terms.push_back(SimpleStem(word));
  }
  return terms;
}

std::unordered_map<std::string, double> InverseDocumentFrequency(
    const std::vector<std::vector<std::string>>& documents) {
  std::unordered_map<std::string, int> df;
  for (const auto& doc : documents) {
    std::vector<std::string> unique = doc;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    for (const std::string& term : unique) ++df[term];
  }
  const double n = static_cast<double>(documents.size());
  std::unordered_map<std::string, double> idf;
  for (const auto& [term, count] : df) {
    idf[term] = std::log((1.0 + n) / (1.0 + count)) + 1.0;
  }
  return idf;
}

TopicSegmentation SegmentTopics(const std::vector<std::vector<std::string>>& sentence_terms,
                                const TextTilingOptions& options) {
  TopicSegmentation result;
  const int s = static_cast<int>(sentence_terms.size());
  result.segment_of_sentence.assign(static_cast<size_t>(s), 0);
  if (s < 4) return result;

  auto idf = InverseDocumentFrequency(sentence_terms);
  std::vector<TermVector> vectors(static_cast<size_t>(s));
  for (int i = 0; i < s; ++i) {
    for (const std::string& term : sentence_terms[static_cast<size_t>(i)]) {
      vectors[static_cast<size_t>(i)][term] += idf[term];
    }
  }

  // Block comparison: the summed vectors of up to k sentences on each side of the gap.
  const int k = std::max(1, options.block_sentences);
  std::vector<double> raw(static_cast<size_t>(s - 1));
  for (int gap = 1; gap < s; ++gap) {
    TermVector left, right;
    for (int i = std::max(0, gap - k); i < gap; ++i) {
      for (const auto& [term, w] : vectors[static_cast<size_t>(i)]) left[term] += w;
    }
    for (int i = gap; i < std::min(s, gap + k); ++i) {
      for (const auto& [term, w] : vectors[static_cast<size_t>(i)]) right[term] += w;
    }
    raw[static_cast<size_t>(gap - 1)] = Cosine(left, right);
  }
  const int gaps = s - 1;
  result.gap_similarity.resize(static_cast<size_t>(gaps));
  for (int g = 0; g < gaps; ++g) {
    int lo = std::max(0, g - options.smoothing_radius);
    int hi = std::min(gaps - 1, g + options.smoothing_radius);
    double sum = 0;
    for (int i = lo; i <= hi; ++i) sum += raw[static_cast<size_t>(i)];
    result.gap_similarity[static_cast<size_t>(g)] = sum / (hi - lo + 1);
  }

  // Depth: how far the similarity climbs on each side before it falls again.
  const auto& sim = result.gap_similarity;
  result.depth.assign(static_cast<size_t>(gaps), 0.0);
  for (int g = 0; g < gaps; ++g) {
    double left_peak = sim[static_cast<size_t>(g)];
    for (int i = g - 1; i >= 0 && sim[static_cast<size_t>(i)] >= left_peak; --i) {
      left_peak = sim[static_cast<size_t>(i)];
    }
    double right_peak = sim[static_cast<size_t>(g)];
    for (int i = g + 1; i < gaps && sim[static_cast<size_t>(i)] >= right_peak; ++i) {
      right_peak = sim[static_cast<size_t>(i)];
    }
    result.depth[static_cast<size_t>(g)] =
        (left_peak - sim[static_cast<size_t>(g)]) + (right_peak - sim[static_cast<size_t>(g)]);
  }
  // Valley bottoms with similarity on both sides (the first and last gap see only one side).
  // Hearst's cutoff, mean - stddev / 2, is taken over the valleys' depths: over all gaps it would
  // count the many zero depths of rising slopes and let shallow dips through.
  std::vector<int> valleys;
  for (int g = 1; g + 1 < gaps; ++g) {
    if (sim[static_cast<size_t>(g)] <= sim[static_cast<size_t>(g - 1)] &&
        sim[static_cast<size_t>(g)] <= sim[static_cast<size_t>(g + 1)]) {
      valleys.push_back(g);
    }
  }
  double mean = 0, var = 0;
  for (int g : valleys) mean += result.depth[static_cast<size_t>(g)];
  if (!valleys.empty()) mean /= static_cast<double>(valleys.size());
  for (int g : valleys) {
    double d = result.depth[static_cast<size_t>(g)] - mean;
    var += d * d;
  }
  if (!valleys.empty()) var /= static_cast<double>(valleys.size());
  const double cutoff = mean - std::sqrt(var) / 2.0;

  // Boundaries are taken deepest first; one too close to a deeper one is dropped.
  std::vector<int> candidates;
  for (int g : valleys) {
    double d = result.depth[static_cast<size_t>(g)];
    if (d > cutoff - 1e-12 && d >= options.min_depth) candidates.push_back(g);
  }
  std::stable_sort(candidates.begin(), candidates.end(), [&](int a, int b) {
    return result.depth[static_cast<size_t>(a)] > result.depth[static_cast<size_t>(b)];
  });
  for (int g : candidates) {
    int boundary = g + 1;
    bool near = false;
    for (int b : result.boundaries) {
      if (std::abs(b - boundary) < options.min_segment_sentences) near = true;
    }
    if (!near) result.boundaries.push_back(boundary);
  }
  std::sort(result.boundaries.begin(), result.boundaries.end());
  int segment = 0;
  size_t next = 0;
  for (int i = 0; i < s; ++i) {
    while (next < result.boundaries.size() && result.boundaries[next] <= i) {
      ++segment;
      ++next;
    }
    result.segment_of_sentence[static_cast<size_t>(i)] = segment;
  }
  return result;
}

int CountBoundariesInside(const TopicSegmentation& segmentation, int first_sentence,
                          int last_sentence) {
  int count = 0;
  for (int b : segmentation.boundaries) {
    if (b > first_sentence && b <= last_sentence) ++count;
  }
  return count;
}

}  // namespace cutroom::select
