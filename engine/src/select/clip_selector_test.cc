#include "select/clip_selector.h"

#include <gtest/gtest.h>

#include "select/selection.h"
#include "select/test_transcript.h"

namespace cutroom::select {
namespace {

using testing::Sec;
using testing::TranscriptBuilder;

struct Segment {
  double start_s = 0;
  double end_s = 0;
  int first_sentence = 0;
};

// Adds sentences and records where they went.
Segment SaySegment(TranscriptBuilder* b, const std::vector<const char*>& sentences,
                   double last_pause_s, double inner_pause_s = 0.4) {
  Segment s;
  s.start_s = b->now_s();
  s.first_sentence = b->sentence_count();
  for (size_t i = 0; i < sentences.size(); ++i) {
    b->Say(sentences[i], i + 1 == sentences.size() ? last_pause_s : inner_pause_s);
  }
  s.end_s = b->now_s();
  return s;
}

// Weak: fillers, opening on "and so", trailing off without punctuation (sentences end at
// 0.8 s pauses only).
const std::vector<const char*> kWeak1 = {
    "And so, um, we were kind of, you know, talking about the weather and",
    "uh, like, basically it was sort of, I mean, cloudy and stuff and",
    "then, um, the other thing was, like, you know, the wind or whatever",
    "so, uh, yeah, it was basically kind of windy and, um, I guess",
    "and, like, the rain sort of, I mean, came and went and all that",
};
const std::vector<const char*> kWeak2 = {
    "And so, uh, then we kind of, you know, went over to the other place",
    "um, like, basically it was sort of, I mean, the same as before and",
    "so, uh, the people there were, like, you know, kind of around and",
    "and, um, yeah, it was basically sort of fine I guess and, uh,",
    "so, like, whatever, um, we kind of, you know, left after a while",
};
// Strong: a hook question, numbers, a payoff, terminal punctuation, a pause after.
const std::vector<const char*> kStrong1 = {
    "Why do most home bakers ruin their bread?",
    "It comes down to 3 simple mistakes with the dough.",
    "The first mistake is adding far too much flour to the dough.",
    "The second mistake is cutting the proofing time in half.",
    "Fix both and your bread rises twice as high in the oven.",
    "That is the whole secret to a perfect loaf!",
};
const std::vector<const char*> kStrong2 = {
    "What is the biggest mistake people make with their savings?",
    "They keep 100 percent of their cash in a checking account.",
    "A savings account pays 5 percent interest every single year.",
    "On ten thousand dollars that is five hundred dollars of free money.",
    "Move your savings today and let the interest work for you.",
    "That one change pays for a holiday every year!",
};

struct Fixture {
  speech::Transcript transcript;
  Segment weak1, strong1, weak2, strong2, weak3;
};

Fixture StrongAndWeak() {
  Fixture f;
  TranscriptBuilder b;
  f.weak1 = SaySegment(&b, kWeak1, 0.8, 0.8);
  f.strong1 = SaySegment(&b, kStrong1, 1.2);
  f.weak2 = SaySegment(&b, kWeak2, 0.8, 0.8);
  f.strong2 = SaySegment(&b, kStrong2, 1.2);
  f.weak3 = SaySegment(&b, kWeak1, 0.8, 0.8);
  f.transcript = b.Build();
  return f;
}

SelectOptions Options(int clips, double min_s, double max_s) {
  SelectOptions o;
  o.clips = clips;
  o.min_duration = Sec(min_s);
  o.max_duration = Sec(max_s);
  return o;
}

bool StartsAt(const ClipCandidate& clip, const Segment& segment) {
  return std::abs(clip.start.ToSeconds() - segment.start_s) < 1e-6;
}

void ExpectOnSentenceBoundaries(const Selection& selection, const speech::Transcript& t) {
  for (const ClipCandidate& clip : selection.clips) {
    ASSERT_GE(clip.first_sentence, 0);
    ASSERT_LT(static_cast<size_t>(clip.last_sentence), t.sentences.size());
    EXPECT_EQ(clip.start, t.sentences[static_cast<size_t>(clip.first_sentence)].start);
    EXPECT_EQ(clip.end, t.sentences[static_cast<size_t>(clip.last_sentence)].end);
  }
}

TEST(SelectClipsTest, StrongSegmentsOutrankWeakOnes) {
  Fixture f = StrongAndWeak();
  ASSERT_EQ(f.transcript.sentences.size(), 27u) << "each line is one sentence";
  Result<Selection> r = SelectClips(f.transcript, {}, Options(4, 15, 30));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->clips.size(), 4u);
  ExpectOnSentenceBoundaries(*r, f.transcript);
  const ClipCandidate& first = r->clips[0];
  const ClipCandidate& second = r->clips[1];
  EXPECT_TRUE((StartsAt(first, f.strong1) && StartsAt(second, f.strong2)) ||
              (StartsAt(first, f.strong2) && StartsAt(second, f.strong1)))
      << "top clips start at " << first.start.ToSeconds() << " and " << second.start.ToSeconds()
      << "; strong segments at " << f.strong1.start_s << " and " << f.strong2.start_s;
  EXPECT_GT(second.score, r->clips[2].score + 10) << "a clear margin over the weak ones";
  EXPECT_NE(first.reason.find("hook"), std::string::npos) << first.reason;
  EXPECT_NE(first.reason.find("question"), std::string::npos) << first.reason;
  for (const ClipCandidate& clip : r->clips) {
    EXPECT_GT(clip.score, 0);
    EXPECT_LE(clip.score, 100);
    EXPECT_EQ(clip.components.size(), 8u);
    EXPECT_FALSE(clip.title.empty());
    EXPECT_LE(clip.title.size(), 70u);
    EXPECT_FALSE(clip.text.empty());
  }
  // The weak ones are flagged for what they are.
  const ClipCandidate& weakest = r->clips.back();
  EXPECT_NE(weakest.reason.find("weakest:"), std::string::npos);
}

TEST(SelectClipsTest, TopicSteersTheChoice) {
  TranscriptBuilder b;
  Segment bread = SaySegment(&b,
                             {"Good bread starts with a slow rise of the dough.",
                              "Bakers leave the dough in a cool place overnight.",
                              "The long rise gives the bread a deep flavour.",
                              "A hot oven then sets the crust of the loaf quickly.",
                              "The result is a loaf with an open and airy crumb."},
                             1.0);
  Segment stars = SaySegment(&b,
                             {"Good telescopes start with a large clean mirror.",
                              "Astronomers keep the mirror cool before a night of viewing.",
                              "A cool mirror gives the telescope a sharp image.",
                              "Dark skies then reveal faint stars and distant galaxies.",
                              "The result is a view of galaxies far beyond our own."},
                             1.0);
  speech::Transcript t = b.Build();
  SelectOptions o = Options(1, 10, 25);
  o.topic = {"telescope galaxies"};
  Result<Selection> r = SelectClips(t, {}, o);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->clips.size(), 1u);
  EXPECT_GE(r->clips[0].start.ToSeconds(), stars.start_s - 1e-6) << r->clips[0].text;
  o.topic = {"bread"};
  r = SelectClips(t, {}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_LT(r->clips[0].end.ToSeconds(), bread.end_s + 1e-6) << r->clips[0].text;
}

TEST(SelectClipsTest, CustomWeightsChangeTheRanking) {
  // All weight on pace: the reason names pace first. Then all weight on faces, with a face in
  // view only during the weak segments: a weak segment wins, where the defaults keep a strong one.
  Fixture f = StrongAndWeak();
  Result<ScoringWeights> pace_only = ScoringWeights::FromJson(
      R"({"weights":{"hook":0,"completeness":0,"coherence":0,"energy":0,"pace":1,"faces":0,)"
      R"("fillers":0,"topic":0}})");
  ASSERT_TRUE(pace_only.ok()) << pace_only.status().ToString();
  SelectOptions o = Options(2, 15, 30);
  o.weights = *pace_only;
  Result<Selection> r = SelectClips(f.transcript, {}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->clips[0].reason.find("Strongest: pace"), 0u) << r->clips[0].reason;

  // Faces weigh most, and only the weak segments have a face in view: they now win.
  SignalSummary signals;
  for (double t = 0; t < f.weak3.end_s; t += 0.5) {
    bool weak = t < f.strong1.start_s || (t >= f.weak2.start_s && t < f.strong2.start_s) ||
                t >= f.weak3.start_s;
    signals.faces_visible.push_back({t, weak ? 1 : 0});
  }
  Result<ScoringWeights> faces_heavy =
      ScoringWeights::FromJson(R"({"version":1,"weights":{"faces":60}})");
  ASSERT_TRUE(faces_heavy.ok());
  o.weights = *faces_heavy;
  r = SelectClips(f.transcript, signals, o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(StartsAt(r->clips[0], f.strong1) || StartsAt(r->clips[0], f.strong2))
      << r->clips[0].text;
  o.weights = ScoringWeights::Defaults();
  r = SelectClips(f.transcript, signals, o);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(StartsAt(r->clips[0], f.strong1) || StartsAt(r->clips[0], f.strong2))
      << "with the default weights faces alone do not beat a hook";
}

TEST(SelectClipsTest, ClipsDoNotOverlapAndSpreadAcrossALongSource) {
  TranscriptBuilder b;
  for (int i = 0; i < 120; ++i) {
    b.Say("Sentence number " + std::to_string(i) + " tells one more part of the long story.");
  }
  speech::Transcript t = b.Build();
  SelectOptions options = Options(4, 15, 40);
  // The sentences differ only in their numbers, so any two clips share most of their word
  // pairs; this test is about time, not repeats.
  options.max_repeat = 1;
  Result<Selection> r = SelectClips(t, {}, options);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->clips.size(), 4u);
  ExpectOnSentenceBoundaries(*r, t);
  const double total = t.words.back().end.ToSeconds();
  bool half_used[2] = {false, false};
  for (size_t i = 0; i < r->clips.size(); ++i) {
    const ClipCandidate& a = r->clips[i];
    half_used[(a.start.ToSeconds() + a.end.ToSeconds()) / 2 < total / 2 ? 0 : 1] = true;
    for (size_t j = i + 1; j < r->clips.size(); ++j) {
      const ClipCandidate& c = r->clips[j];
      EXPECT_LE(OverlapOfShorter({a.start.ToSeconds(), a.end.ToSeconds(), 0},
                                 {c.start.ToSeconds(), c.end.ToSeconds(), 0}),
                0.2 + 1e-9);
    }
  }
  EXPECT_TRUE(half_used[0] && half_used[1]) << "clips spread over both halves";
}

// A source that says its best passage twice (a re-run segment, a looped recording): the passage
// is chosen once, even when its second telling is recognised with different words here and there.
TEST(SelectClipsTest, ARepeatedPassageIsChosenOnce) {
  TranscriptBuilder b;
  const Segment first = SaySegment(&b, kStrong1, 1.2);
  SaySegment(&b, kWeak1, 0.8, 0.8);
  SaySegment(&b, kWeak2, 0.8, 0.8);
  // The repeat, with one word in five misheard.
  std::vector<std::string> misheard;
  int n = 0;
  for (const char* line : kStrong1) {
    const std::vector<std::string> words = speech::SplitWords(line);
    std::string out;
    for (size_t i = 0; i < words.size(); ++i) {
      // The last word keeps its punctuation (the sentence stays a question or a statement).
      const bool misheard_word = ++n % 5 == 0 && i + 1 < words.size();
      out += (out.empty() ? "" : " ") + (misheard_word ? std::string("uh") : words[i]);
    }
    misheard.push_back(out);
  }
  const double second_start = b.now_s();
  for (const std::string& line : misheard) b.Say(line, 0.8);
  b.Silence(1.2);
  SaySegment(&b, kWeak1, 0.8, 0.8);
  speech::Transcript t = b.Build();

  SelectOptions options = Options(3, 15, 30);
  Result<Selection> r = SelectClips(t, {}, options);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->clips.empty());
  int tellings = 0;
  for (const ClipCandidate& clip : r->clips) {
    const double s = clip.start.ToSeconds();
    if (std::abs(s - first.start_s) < 1e-6 || std::abs(s - second_start) < 1e-6) ++tellings;
  }
  EXPECT_EQ(tellings, 1) << "the strong passage is chosen once, not once per telling";
  for (size_t i = 0; i < r->clips.size(); ++i) {
    for (size_t j = i + 1; j < r->clips.size(); ++j) {
      EXPECT_NE(r->clips[i].text, r->clips[j].text);
    }
  }

  // Without the check both tellings are chosen: they are the two best windows.
  options.max_repeat = 1;
  Result<Selection> both = SelectClips(t, {}, options);
  ASSERT_TRUE(both.ok());
  tellings = 0;
  for (const ClipCandidate& clip : both->clips) {
    const double s = clip.start.ToSeconds();
    if (std::abs(s - first.start_s) < 1e-6 || std::abs(s - second_start) < 1e-6) ++tellings;
  }
  EXPECT_EQ(tellings, 2);
}

TEST(SelectClipsTest, AClipOpensOnTheQuestionItsAnswerNeeds) {
  // Recognizer-like text: no capitals or punctuation, sentences split at pauses only. The answer
  // alone has the stronger opening (a number, "you"; the sentences after it open on words that
  // point back); it must not start the clip without its question.
  TranscriptBuilder b;
  SaySegment(&b, kWeak1, 0.8, 0.8);
  const Segment qa = SaySegment(
      &b,
      {"is it true that naps make people more tired",
       "only the long ones a twenty minute nap keeps you sharp for the whole afternoon",
       "but a longer nap lets the body drop all the way into deep sleep",
       "and waking up from deep sleep feels like a hangover that lasts a while",
       "so set an alarm before it gets that far and the afternoon feels easy"},
      1.2, 0.8);
  SaySegment(&b, kWeak2, 0.8, 0.8);
  speech::Transcript t = b.Build();
  Result<Selection> r = SelectClips(t, {}, Options(1, 15, 30));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->clips.size(), 1u);
  EXPECT_TRUE(StartsAt(r->clips[0], qa)) << r->clips[0].start.ToSeconds() << " " << r->clips[0].text;
  EXPECT_EQ(r->clips[0].first_sentence, qa.first_sentence);
}

TEST(SelectClipsTest, SourceShorterThanMinGivesOneClipOfTheWhole) {
  speech::Transcript t = TranscriptBuilder()
                             .Say("Why does bread go stale?")
                             .Say("The starch crystallises.", 1.0)
                             .Build();
  Result<Selection> r = SelectClips(t, {}, Options(3, 15, 90));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->clips.size(), 1u);
  EXPECT_EQ(r->clips[0].start, t.sentences.front().start);
  EXPECT_EQ(r->clips[0].end, t.sentences.back().end);
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings[0].find("shorter than --min-s"), std::string::npos) << r->warnings[0];
}

TEST(SelectClipsTest, NoWordsFallsBackToSignalsWithAWarning) {
  SignalSummary signals;
  signals.duration = Sec(300);
  for (int i = 0; i < 3000; ++i) {
    double t = i / 10.0;
    signals.loudness_lufs.push_back({t, t >= 200 && t < 203 ? -12.0 : -24.0});
  }
  for (double t = 200; t < 230; t += 2) signals.audio_peaks.push_back({t, 0.9});
  signals.audio_peaks.push_back({50, 0.2});
  signals.scene_cuts_s = {60, 120, 200, 240};
  speech::Transcript empty;
  Result<Selection> r = SelectClips(empty, signals, Options(2, 15, 60));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_FALSE(r->clips.empty());
  ASSERT_FALSE(r->warnings.empty());
  EXPECT_NE(r->warnings[0].find("no speech"), std::string::npos);
  const ClipCandidate& best = r->clips[0];
  EXPECT_EQ(best.first_sentence, -1);
  EXPECT_EQ(best.start, Sec(200)) << "the loud, peaky part starting on a scene cut";
  EXPECT_LE(best.end, Sec(300));
  EXPECT_FALSE(best.title.empty());
}

TEST(SelectClipsTest, NoWordsAndNoSignalsIsAClearError) {
  speech::Transcript empty;
  SignalSummary signals;
  signals.duration = Sec(120);
  Result<Selection> r = SelectClips(empty, signals, Options(2, 15, 60));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("no speech"), std::string::npos);
}

TEST(SelectClipsTest, InvalidOptionsAreRejected) {
  Fixture f = StrongAndWeak();
  Result<Selection> r = SelectClips(f.transcript, {}, Options(2, 60, 30));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("--min-s"), std::string::npos);
  SelectOptions bad_weights = Options(2, 15, 30);
  bad_weights.weights.weights["virality"] = 1;
  r = SelectClips(f.transcript, {}, bad_weights);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("\"virality\""), std::string::npos);
  EXPECT_FALSE(SelectClips(f.transcript, {}, Options(0, 15, 30)).ok());
}

TEST(SelectClipsTest, SentencesAreDerivedWhenMissing) {
  Fixture f = StrongAndWeak();
  speech::Transcript words_only = f.transcript;
  words_only.sentences.clear();
  Result<Selection> a = SelectClips(words_only, {}, Options(2, 15, 30));
  Result<Selection> b = SelectClips(f.transcript, {}, Options(2, 15, 30));
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->clips.size(), b->clips.size());
  for (size_t i = 0; i < a->clips.size(); ++i) EXPECT_EQ(a->clips[i].start, b->clips[i].start);
}

}  // namespace
}  // namespace cutroom::select
