#include "select/scorer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "select/test_transcript.h"

namespace cutroom::select {
namespace {

using testing::Sec;
using testing::TranscriptBuilder;

Window WholeOf(const speech::Transcript& t) { return WholeTranscript(t.sentences); }

SourceContext ContextOf(const speech::Transcript& t, const SignalSummary& signals = {},
                        const std::vector<std::string>& topic = {}) {
  return BuildSourceContext(t.words, t.sentences, signals, topic);
}

TEST(ScoringWeightsTest, ShippedFileAgreesWithDefaults) {
  std::ifstream in(std::string(CUTROOM_SOURCE_DIR) + "/assets/scoring/default_weights.json");
  ASSERT_TRUE(in) << "assets/scoring/default_weights.json is missing";
  std::stringstream text;
  text << in.rdbuf();
  Result<ScoringWeights> shipped = ScoringWeights::FromJson(text.str());
  ASSERT_TRUE(shipped.ok()) << shipped.status().ToString();
  EXPECT_EQ(shipped->weights, ScoringWeights::Defaults().weights);
  for (std::string_view name : kComponentNames) {
    EXPECT_EQ(shipped->weights.count(std::string(name)), 1u) << name;
  }
}

TEST(ScoringWeightsTest, JsonErrorsNameTheProblem) {
  Result<ScoringWeights> unknown =
      ScoringWeights::FromJson(R"({"version":1,"weights":{"hooky":2}})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("\"hooky\""), std::string::npos)
      << unknown.status().message();
  Result<ScoringWeights> negative = ScoringWeights::FromJson(R"({"weights":{"pace":-1}})");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("\"pace\""), std::string::npos);
  Result<ScoringWeights> text = ScoringWeights::FromJson(R"({"weights":{"pace":"high"}})");
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.status().message().find("\"pace\""), std::string::npos);
  EXPECT_FALSE(ScoringWeights::FromJson("{not json").ok());
  EXPECT_FALSE(ScoringWeights::FromJson(R"({"version":2,"weights":{}})").ok());
  EXPECT_FALSE(ScoringWeights::FromJson(R"({"wieghts":{}})").ok());
  std::string all_zero = R"({"weights":{"hook":0,"completeness":0,"coherence":0,"energy":0,)"
                         R"("pace":0,"faces":0,"fillers":0,"topic":0}})";
  EXPECT_FALSE(ScoringWeights::FromJson(all_zero).ok());
}

TEST(ScoringWeightsTest, MissingNamesKeepDefaultsAndJsonRoundTrips) {
  Result<ScoringWeights> w = ScoringWeights::FromJson(R"({"version":1,"weights":{"hook":7.5}})");
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->weights.at("hook"), 7.5);
  EXPECT_EQ(w->weights.at("pace"), ScoringWeights::Defaults().weights.at("pace"));
  Result<ScoringWeights> again = ScoringWeights::FromJson(w->ToJson());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->weights, w->weights);
}

TEST(ScorerTest, ContributionsAddUpToTheScore) {
  speech::Transcript t = TranscriptBuilder()
                             .Say("Why does bread go stale so fast?")
                             .Say("Because the starch crystallises in the fridge.", 1.0)
                             .Build();
  SourceContext context = ContextOf(t);
  ScoredWindow s = ScoreWindow(context, WholeOf(t), ScoringWeights::Defaults());
  ASSERT_EQ(s.components.size(), std::size(kComponentNames));
  double sum = 0;
  for (const Component& c : s.components) {
    EXPECT_GE(c.value, 0.0);
    EXPECT_LE(c.value, 1.0);
    EXPECT_FALSE(c.detail.empty()) << c.name;
    sum += c.contribution;
  }
  EXPECT_NEAR(sum, s.score, 1e-9);
  EXPECT_GT(s.score, 0);
  EXPECT_LT(s.score, 100);
  EXPECT_NE(s.reason.find("Strongest:"), std::string::npos);
  EXPECT_NE(s.reason.find("weakest:"), std::string::npos);
}

TEST(ScorerTest, HookSeesQuestionNumberYouAndLoudnessRise) {
  speech::Transcript strong = TranscriptBuilder()
                                  .Say("Why do you make 3 mistakes with bread?")
                                  .Say("Here is how the dough works in practice.", 1.0)
                                  .Build();
  speech::Transcript weak = TranscriptBuilder()
                                .Say("The dough was placed on the table for a while.")
                                .Say("Here is how the dough works in practice.", 1.0)
                                .Build();
  FeatureValue s = HookFeature(ContextOf(strong), WholeOf(strong));
  FeatureValue w = HookFeature(ContextOf(weak), WholeOf(weak));
  EXPECT_GT(s.value, w.value + 0.4);
  EXPECT_NE(s.detail.find("question"), std::string::npos);
  EXPECT_NE(s.detail.find("number"), std::string::npos);

  SignalSummary loud_start, quiet_start;
  for (int i = 0; i < 80; ++i) {
    double t = i / 10.0;
    loud_start.loudness_lufs.push_back({t, t < 3 ? -14.0 : -22.0});
    quiet_start.loudness_lufs.push_back({t, t < 3 ? -30.0 : -22.0});
  }
  EXPECT_GT(HookFeature(ContextOf(weak, loud_start), WholeOf(weak)).value,
            HookFeature(ContextOf(weak, quiet_start), WholeOf(weak)).value + 0.1);
}

// Recognised speech has no "?": a yes/no question is known by its opening auxiliary, as a
// wh-question by its wh-word. (The clip benchmark's talk opened two topics this way.)
TEST(ScorerTest, HookCountsAnUnpunctuatedYesNoQuestion) {
  speech::Transcript question = TranscriptBuilder()
                                    .Say("is it true that naps make you more tired", 0.8)
                                    .Say("only the long ones do", 1.0)
                                    .Build();
  speech::Transcript statement = TranscriptBuilder()
                                     .Say("it is true that naps make you more tired")
                                     .Say("only the long ones do", 1.0)
                                     .Build();
  FeatureValue q = HookFeature(ContextOf(question), WholeOf(question));
  FeatureValue s = HookFeature(ContextOf(statement), WholeOf(statement));
  EXPECT_GT(q.value, s.value + 0.15);
  EXPECT_NE(q.detail.find("question word"), std::string::npos) << q.detail;
  EXPECT_EQ(s.detail.find("question"), std::string::npos) << s.detail;
}

TEST(ScorerTest, CompletenessPenalisesBackPointingOpenersAndMissingPauses) {
  speech::Transcript good = TranscriptBuilder().Say("Salt makes bread taste better.", 1.0).Build();
  speech::Transcript opener = TranscriptBuilder().Say("And so salt makes it better.", 1.0).Build();
  speech::Transcript rushed = TranscriptBuilder()
                                  .Say("Salt makes bread taste better.", 0.05)
                                  .Say("More next time.")
                                  .Build();
  Window rushed_first{rushed.sentences[0].start, rushed.sentences[0].end, 0, 0};
  double g = CompletenessFeature(ContextOf(good), WholeOf(good)).value;
  EXPECT_DOUBLE_EQ(g, 1.0);
  FeatureValue o = CompletenessFeature(ContextOf(opener), WholeOf(opener));
  EXPECT_LT(o.value, g - 0.3);
  EXPECT_NE(o.detail.find("\"and\""), std::string::npos);
  EXPECT_LT(CompletenessFeature(ContextOf(rushed), rushed_first).value, g - 0.2);
}

TEST(ScorerTest, CompletenessPenalisesAnAnswerWhoseQuestionIsCutOff) {
  speech::Transcript t = TranscriptBuilder()
                             .Say("i never did the math on that", 1.0)
                             .Say("is it true that naps make you more tired", 0.8)
                             .Say("only the long ones do.", 1.0)
                             .Say("what is the best time for coffee", 2.0)
                             .Say("an hour after you wake up.", 1.0)
                             .Build();
  ASSERT_EQ(t.sentences.size(), 5u);
  SourceContext c = ContextOf(t);
  auto window = [&](int first, int last) {
    return Window{t.sentences[static_cast<size_t>(first)].start,
                  t.sentences[static_cast<size_t>(last)].end, first, last};
  };
  FeatureValue answer = CompletenessFeature(c, window(2, 2));
  FeatureValue whole = CompletenessFeature(c, window(1, 2));
  EXPECT_LT(answer.value, whole.value - 0.3);
  EXPECT_NE(answer.detail.find("question it leaves out (\"is it true that naps make you more tired\")"),
            std::string::npos)
      << answer.detail;
  EXPECT_EQ(whole.detail.find("question"), std::string::npos) << whole.detail;
  // A statement before the opening, or a question long before it, is not the one answered.
  EXPECT_EQ(CompletenessFeature(c, window(1, 1)).detail.find("leaves out"), std::string::npos);
  EXPECT_EQ(CompletenessFeature(c, window(4, 4)).detail.find("leaves out"), std::string::npos);
}

TEST(ScorerTest, PaceFillersEnergyFacesAndTopic) {
  speech::Transcript clean = TranscriptBuilder()
                                 .Say("Telescopes gather light from distant stars.")
                                 .Say("Bigger mirrors collect more starlight every night.", 1.0)
                                 .Build();
  speech::Transcript filled = TranscriptBuilder()
                                  .Say("Um, telescopes, like, gather, uh, light basically.")
                                  .Say("You know, mirrors, um, collect it.", 1.0)
                                  .Build();
  SourceContext c = ContextOf(clean);
  EXPECT_DOUBLE_EQ(PaceFeature(c, WholeOf(clean)).value, 1.0);  // about 2.7 words/s
  EXPECT_DOUBLE_EQ(FillersFeature(c, WholeOf(clean)).value, 1.0);
  EXPECT_LT(FillersFeature(ContextOf(filled), WholeOf(filled)).value, 0.2);

  TranscriptBuilder slow;
  for (const char* w : {"Stars.", "Shine.", "Bright.", "Tonight."}) slow.Say(w, 1.5);
  speech::Transcript slow_t = slow.Build();
  EXPECT_LT(PaceFeature(ContextOf(slow_t), WholeOf(slow_t)).value, 0.5);

  EXPECT_DOUBLE_EQ(EnergyFeature(c, WholeOf(clean)).value, 0.5) << "neutral without peaks";
  SignalSummary peaks;
  peaks.duration = Sec(60);
  peaks.audio_peaks = {{1.0, 1.0}, {2.0, 1.0}, {40.0, 0.5}};
  EXPECT_GT(EnergyFeature(ContextOf(clean, peaks), WholeOf(clean)).value, 0.8);

  EXPECT_DOUBLE_EQ(FacesFeature(c, WholeOf(clean)).value, 0.5) << "neutral without samples";
  SignalSummary faces;
  for (int i = 0; i < 10; ++i) faces.faces_visible.push_back({i * 0.5, i < 4 ? 1 : 0});
  EXPECT_NEAR(FacesFeature(ContextOf(clean, faces), WholeOf(clean)).value, 0.4, 1e-9);

  EXPECT_DOUBLE_EQ(TopicFeature(c, WholeOf(clean)).value, 0.5) << "neutral without a topic";
  EXPECT_GT(TopicFeature(ContextOf(clean, {}, {"telescope"}), WholeOf(clean)).value, 0.8);
  EXPECT_DOUBLE_EQ(TopicFeature(ContextOf(clean, {}, {"sourdough bread"}), WholeOf(clean)).value,
                   0.0);
}

TEST(ScorerTest, CustomWeightsMoveTheRankingTheExpectedWay) {
  // A: a strong hook but full of fillers. B: no hook, clean speech.
  speech::Transcript t = TranscriptBuilder()
                             .Say("Why is this the biggest mistake, um, you, like, make?", 0.5)
                             .Say("Uh, it is, you know, basically, um, wrong.", 1.0)
                             .Say("Bread flour contains more protein than cake flour.", 0.5)
                             .Say("More protein builds more gluten in the dough.", 1.0)
                             .Build();
  ASSERT_EQ(t.sentences.size(), 4u);
  SourceContext context = ContextOf(t);
  Window a{t.sentences[0].start, t.sentences[1].end, 0, 1};
  Window b{t.sentences[2].start, t.sentences[3].end, 2, 3};
  Result<ScoringWeights> hook_heavy =
      ScoringWeights::FromJson(R"({"weights":{"hook":10,"fillers":0.5}})");
  Result<ScoringWeights> filler_heavy =
      ScoringWeights::FromJson(R"({"weights":{"hook":0.5,"fillers":10}})");
  ASSERT_TRUE(hook_heavy.ok() && filler_heavy.ok());
  EXPECT_GT(ScoreWindow(context, a, *hook_heavy).score, ScoreWindow(context, b, *hook_heavy).score);
  EXPECT_LT(ScoreWindow(context, a, *filler_heavy).score,
            ScoreWindow(context, b, *filler_heavy).score);
}

TEST(ScorerTest, ReasonNamesTheTwoStrongestAndTheWeakest) {
  std::vector<Component> components = {
      {"hook", 1.0, 3.0, 30.0, "question in the first 3 s"},
      {"pace", 0.2, 2.0, 4.0, "1.2 words/s"},
      {"completeness", 1.0, 2.0, 20.0, "ends on \".\""},
      {"faces", 0.5, 0.0, 0.0, "no face data (neutral)"},
  };
  std::string reason = ReasonLine(components);
  EXPECT_EQ(reason.find("Strongest: hook +30.0 (question in the first 3 s), completeness +20.0"),
            0u)
      << reason;
  EXPECT_NE(reason.find("weakest: pace"), std::string::npos) << reason;
  EXPECT_EQ(reason.find("faces"), std::string::npos) << "zero-weight components are not named";
}

}  // namespace
}  // namespace cutroom::select
