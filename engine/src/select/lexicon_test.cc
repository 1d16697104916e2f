#include "select/lexicon.h"

#include <gtest/gtest.h>

#include "speech/transcript.h"

namespace cutroom::select {
namespace {

std::vector<bool> Fillers(std::string_view text) {
  std::vector<std::string> raw = speech::SplitWords(text);
  std::vector<std::string> normalized;
  for (const std::string& w : raw) normalized.push_back(speech::NormalizeWord(w));
  return MarkFillers(raw, normalized);
}

int CountFillers(std::string_view text) {
  int n = 0;
  for (bool f : Fillers(text)) n += f ? 1 : 0;
  return n;
}

TEST(LexiconTest, FillersAreJudgedByUse) {
  EXPECT_EQ(CountFillers("um I think uh it works"), 2);
  EXPECT_EQ(CountFillers("it was, like, huge"), 1);
  EXPECT_EQ(CountFillers("I like fresh bread"), 0);
  EXPECT_EQ(CountFillers("it was, you know, cold"), 2);
  EXPECT_EQ(CountFillers("do you know the answer"), 0);
  EXPECT_EQ(CountFillers("what kind of bread is it"), 0);
  EXPECT_EQ(CountFillers("it was kind of cold"), 2);
  EXPECT_EQ(CountFillers("basically it literally works"), 2);
  EXPECT_EQ(CountFillers("I mean, it works"), 2);
  EXPECT_EQ(CountFillers("what I mean is this"), 0);
}

TEST(LexiconTest, StemsMeetAcrossInflections) {
  EXPECT_EQ(SimpleStem("baking"), SimpleStem("baked"));
  EXPECT_EQ(SimpleStem("bakes"), SimpleStem("bake"));
  EXPECT_EQ(SimpleStem("running"), SimpleStem("run"));
  EXPECT_EQ(SimpleStem("telescopes"), SimpleStem("telescope"));
  EXPECT_EQ(SimpleStem("galaxies"), SimpleStem("galaxy"));
  EXPECT_NE(SimpleStem("bread"), SimpleStem("star"));
}

TEST(LexiconTest, WordLists) {
  EXPECT_EQ(HookWordKind("you"), HookKind::kYou);
  EXPECT_EQ(HookWordKind("why"), HookKind::kQuestion);
  EXPECT_EQ(HookWordKind("mistakes"), HookKind::kStrong);
  EXPECT_EQ(HookWordKind("shocking"), HookKind::kEmotion);
  EXPECT_EQ(HookWordKind("bread"), HookKind::kNone);
  EXPECT_TRUE(IsBackPointingOpener("and"));
  EXPECT_TRUE(IsBackPointingOpener("he"));
  EXPECT_FALSE(IsBackPointingOpener("why"));
  EXPECT_TRUE(IsNumberWord("3"));
  EXPECT_TRUE(IsNumberWord("twenty"));
  EXPECT_TRUE(IsNumberWord("thousands"));
  EXPECT_FALSE(IsNumberWord("bread"));
  EXPECT_TRUE(IsStopword("the"));
  EXPECT_FALSE(IsStopword("telescope"));
}

TEST(LexiconTest, TrailingOffIsToldFromALandedPoint) {
  EXPECT_TRUE(TrailsOff({"and", "yeah", "that", "was", "kind", "of", "interesting", "and", "so", "on"}));
  EXPECT_TRUE(TrailsOff({"yeah", "so", "i", "mean", "whatever", "you", "know", "how", "it", "is"}));
  EXPECT_TRUE(TrailsOff({"hmm", "okay", "well"}));
  EXPECT_FALSE(TrailsOff({"talk", "to", "ten", "customers", "first", "and", "you", "save", "half", "a", "year"}));
  EXPECT_FALSE(TrailsOff({"space", "is", "mostly", "empty"}));
  EXPECT_FALSE(TrailsOff({}));
}

}  // namespace
}  // namespace cutroom::select
