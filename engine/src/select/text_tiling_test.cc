#include "select/text_tiling.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "speech/transcript.h"

namespace cutroom::select {
namespace {

const char* const kCooking[] = {
    "Start the bread dough with flour, water and a little salt.",
    "Knead the dough until the flour disappears and the dough feels smooth.",
    "Let the bread dough rise in a warm kitchen for an hour.",
    "Shape the dough into a loaf and dust it with more flour.",
    "Heat the oven until it is very hot before the bread goes in.",
    "Bake the loaf in the hot oven until the crust turns brown.",
    "A good crust on the bread comes from steam in the oven.",
    "Cool the baked loaf before you slice the bread.",
};
const char* const kAstronomy[] = {
    "The night sky is full of stars and distant galaxies.",
    "A telescope gathers starlight from galaxies far beyond our planet.",
    "Astronomers point the telescope at faint stars near the horizon.",
    "Some stars explode and light up their whole galaxy.",
    "The planet Jupiter is bright enough to see without a telescope.",
    "Light from distant stars takes years to reach our planet.",
    "Dark skies away from cities reveal thousands of stars.",
    "Astronomers map galaxies with the largest telescope on the planet.",
};
const char* const kMusic[] = {
    "The guitar player tuned every string before the concert.",
    "A concert guitar needs new strings every few weeks.",
    "The drummer and the guitar player rehearsed the song twice.",
    "The song ends with a long guitar solo at the concert.",
    "Tune the strings by ear or with an electronic tuner.",
    "The audience sang along with every song of the concert.",
};

std::vector<std::string> Terms(const char* sentence) {
  std::vector<std::string> normalized;
  for (const std::string& w : speech::SplitWords(sentence)) {
    normalized.push_back(speech::NormalizeWord(w));
  }
  return ContentTerms(normalized);
}

TEST(TextTilingTest, FindsTheBoundaryBetweenCookingAndAstronomy) {
  std::vector<std::vector<std::string>> sentences;
  for (const char* s : kCooking) sentences.push_back(Terms(s));
  for (const char* s : kAstronomy) sentences.push_back(Terms(s));
  TopicSegmentation seg = SegmentTopics(sentences);
  ASSERT_EQ(seg.boundaries.size(), 1u) << "one topic change";
  EXPECT_LE(std::abs(seg.boundaries[0] - 8), 1);
  EXPECT_EQ(seg.segment_of_sentence.front(), 0);
  EXPECT_EQ(seg.segment_of_sentence.back(), 1);
  EXPECT_EQ(CountBoundariesInside(seg, 0, 7), seg.boundaries[0] <= 7 ? 1 : 0);
  EXPECT_EQ(CountBoundariesInside(seg, 2, 13), 1);
  EXPECT_EQ(CountBoundariesInside(seg, 10, 15), 0);
}

TEST(TextTilingTest, FindsTwoBoundariesBetweenThreeTopics) {
  std::vector<std::vector<std::string>> sentences;
  for (const char* s : kAstronomy) sentences.push_back(Terms(s));
  for (const char* s : kMusic) sentences.push_back(Terms(s));
  for (const char* s : kCooking) sentences.push_back(Terms(s));
  TopicSegmentation seg = SegmentTopics(sentences);
  ASSERT_EQ(seg.boundaries.size(), 2u);
  EXPECT_LE(std::abs(seg.boundaries[0] - 8), 1);
  EXPECT_LE(std::abs(seg.boundaries[1] - 14), 1);
}

TEST(TextTilingTest, OneSteadyTopicHasNoBoundary) {
  const char* const kDough[] = {
      "Knead the bread dough with flour until the dough is smooth.",
      "Smooth bread dough needs flour, water and time to rise.",
      "Let the dough rise, then fold the bread dough with more flour.",
      "Flour on the table keeps the bread dough from sticking.",
  };
  std::vector<std::vector<std::string>> sentences;
  for (int i = 0; i < 4; ++i) {
    for (const char* s : kDough) sentences.push_back(Terms(s));
  }
  TopicSegmentation seg = SegmentTopics(sentences);
  EXPECT_TRUE(seg.boundaries.empty()) << "first boundary at " << seg.boundaries.front();
}

TEST(TextTilingTest, ContentTermsDropStopwordsAndStem) {
  std::vector<std::string> terms = Terms("The stars and the telescopes.");
  ASSERT_EQ(terms.size(), 2u);
  EXPECT_EQ(terms[0], "star");
  EXPECT_EQ(terms[1], "telescop");
}

}  // namespace
}  // namespace cutroom::select
