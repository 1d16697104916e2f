#include "select/selection.h"

#include <gtest/gtest.h>

namespace cutroom::select {
namespace {

TEST(SelectionTest, OverlapIsMeasuredOnTheShorterSpan) {
  EXPECT_DOUBLE_EQ(OverlapOfShorter({0, 10, 0}, {5, 25, 0}), 0.5);
  EXPECT_DOUBLE_EQ(OverlapOfShorter({0, 10, 0}, {10, 20, 0}), 0.0);
  EXPECT_DOUBLE_EQ(OverlapOfShorter({0, 100, 0}, {40, 50, 0}), 1.0);
}

TEST(SelectionTest, RepeatedShareCountsWordPairsOfTheShorterPassage) {
  const std::vector<std::string> words = {"the", "cat", "sat", "on", "the", "mat", "and",
                                          "the", "cat", "sat", "on", "the", "mat", "today"};
  const std::vector<uint64_t> h = WordHashes(words);
  // "the cat sat on the mat": 5 pairs, distinct; the second telling holds all of them.
  const auto first = WordPairs(h, 0, 6);
  const auto whole = WordPairs(h, 0, words.size());
  EXPECT_EQ(first.size(), 5u);
  EXPECT_DOUBLE_EQ(RepeatedShare(first, WordPairs(h, 7, 13)), 1.0);
  EXPECT_DOUBLE_EQ(RepeatedShare(first, whole), 1.0) << "a long passage holding a short one";
  EXPECT_DOUBLE_EQ(RepeatedShare(whole, first), 1.0) << "symmetric";
  // The same words in another order share no pairs.
  const std::vector<std::string> shuffled = {"mat", "the", "on", "sat", "cat", "the"};
  EXPECT_DOUBLE_EQ(RepeatedShare(first, WordPairs(WordHashes(shuffled), 0, 6)), 0.0);
  EXPECT_DOUBLE_EQ(RepeatedShare(first, {}), 0.0);
}

TEST(SelectionTest, ARepeatDropsTheCandidateLikeAnOverlap) {
  // Three far-apart spans; the best two repeat each other.
  std::vector<RankedSpan> spans = {{0, 30, 90}, {100, 130, 50}, {200, 230, 80}};
  SpreadOptions options;
  options.clips = 3;
  options.source_duration_s = 230;
  options.repeats = [](int candidate, int chosen) {
    return (candidate == 0 && chosen == 2) || (candidate == 2 && chosen == 0);
  };
  const std::vector<int> chosen = ChooseSpread(spans, options);
  EXPECT_EQ(chosen, (std::vector<int>{0, 1}));
}

TEST(SelectionTest, NoTwoChosenSpansOverlapMoreThanAllowedAndNIsRespected) {
  // Every 2 s a 30 s span; scores peak around 100 s.
  std::vector<RankedSpan> spans;
  for (int i = 0; i < 100; ++i) {
    double start = i * 2.0;
    spans.push_back({start, start + 30, 100 - std::abs(start - 100) * 0.3});
  }
  SpreadOptions options;
  options.clips = 4;
  options.max_overlap = 0.2;
  options.source_duration_s = 230;
  std::vector<int> chosen = ChooseSpread(spans, options);
  ASSERT_EQ(chosen.size(), 4u);
  for (size_t i = 0; i < chosen.size(); ++i) {
    for (size_t j = i + 1; j < chosen.size(); ++j) {
      EXPECT_LE(OverlapOfShorter(spans[static_cast<size_t>(chosen[i])],
                                 spans[static_cast<size_t>(chosen[j])]),
                0.2 + 1e-9);
    }
    if (i > 0) {
      EXPECT_GE(spans[static_cast<size_t>(chosen[i - 1])].score,
                spans[static_cast<size_t>(chosen[i])].score)
          << "best first";
    }
  }
  EXPECT_EQ(spans[static_cast<size_t>(chosen[0])].start_s, 100.0) << "the best span is chosen";
}

TEST(SelectionTest, EqualScoresSpreadAcrossTheSource) {
  // 600 s of equally good 30 s spans every 5 s: without spreading, the earliest would win.
  std::vector<RankedSpan> spans;
  for (int i = 0; i + 6 <= 120; ++i) spans.push_back({i * 5.0, i * 5.0 + 30, 50});
  SpreadOptions options;
  options.clips = 4;
  options.source_duration_s = 600;
  std::vector<int> chosen = ChooseSpread(spans, options);
  ASSERT_EQ(chosen.size(), 4u);
  bool quarter_used[4] = {false, false, false, false};
  for (int c : chosen) {
    double centre =
        (spans[static_cast<size_t>(c)].start_s + spans[static_cast<size_t>(c)].end_s) / 2;
    quarter_used[std::min(3, static_cast<int>(centre / 150))] = true;
  }
  for (int q = 0; q < 4; ++q) EXPECT_TRUE(quarter_used[q]) << "quarter " << q << " has no clip";
}

TEST(SelectionTest, FewerCandidatesThanClips) {
  std::vector<RankedSpan> spans = {{0, 20, 10}, {5, 25, 20}};
  SpreadOptions options;
  options.clips = 5;
  options.source_duration_s = 25;
  std::vector<int> chosen = ChooseSpread(spans, options);
  ASSERT_EQ(chosen.size(), 1u) << "the two overlap by 75%";
  EXPECT_EQ(chosen[0], 1);
  options.max_overlap = 1.0;
  EXPECT_EQ(ChooseSpread(spans, options).size(), 2u);
}

}  // namespace
}  // namespace cutroom::select
