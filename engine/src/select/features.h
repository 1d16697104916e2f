// Score components, one function each (docs/scoring.md documents them). A SourceContext holds
// what every window shares (normalised words, filler marks, topic segments, sorted signals) so
// that each component is cheap to evaluate for thousands of candidate windows.
//
// Thread safety: SourceContext is immutable after BuildSourceContext(); the feature functions are
// pure and may run concurrently on one context.
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "select/candidates.h"
#include "select/clip_selector.h"
#include "select/text_tiling.h"
#include "speech/transcript.h"

namespace cutroom::select {

// Seconds at the start of a clip that count as its hook.
inline constexpr double kHookSeconds = 3.0;
// A sentence end counts as complete when this much silence follows it.
inline constexpr double kCompletePauseSeconds = 0.3;
// A question ending less than this before a clip's first word is the one the clip answers.
inline constexpr double kAnsweredQuestionGapSeconds = 1.5;
// fillers = max(0, 1 - kFillerPenalty * filler ratio): 20% filler words score 0.
inline constexpr double kFillerPenalty = 5.0;
// Comfortable speech pace for short clips, words per second.
inline constexpr double kPaceLowWps = 2.3;
inline constexpr double kPaceHighWps = 3.3;

struct FeatureValue {
  double value = 0.5;  // 0..1, 1 is best
  std::string detail;  // for people: "question in the first 3 s; a number"
};

struct SourceContext {
  std::vector<speech::Sentence> sentences;
  std::vector<std::string> raw;         // words as shown
  std::vector<std::string> normalized;  // NormalizeWord()
  std::vector<std::string> stems;       // SimpleStem(normalized)
  std::vector<double> word_start_s;
  std::vector<double> word_end_s;
  std::vector<float> confidence;  // the recogniser's, 0..1; 1 for known text (subtitles)
  std::vector<int> filler_prefix;                        // filler words among words [0, i)
  std::vector<std::vector<std::string>> sentence_terms;  // ContentTerms() per sentence
  std::unordered_map<std::string, double> idf;           // over sentence_terms
  TopicSegmentation topics;
  double source_end_s = 0;  // the later of the signals' duration and the last word's end

  std::vector<std::pair<double, double>> loudness_lufs;  // sorted by time
  std::vector<std::pair<double, double>> audio_peaks;    // sorted by time
  std::vector<double> peak_strength_prefix;              // size peaks + 1
  std::vector<std::pair<double, int>> faces_visible;     // sorted by time
  std::vector<int> faces_prefix;                         // samples with >= 1 face, size + 1

  std::vector<std::string> topic_stems;  // --topic words without stopwords, stemmed, unique
};

// REQUIRES: every sentence's words lie inside `words`.
SourceContext BuildSourceContext(const std::vector<speech::Word>& words,
                                 std::vector<speech::Sentence> sentences,
                                 const SignalSummary& signals,
                                 const std::vector<std::string>& topic);

FeatureValue HookFeature(const SourceContext& context, const Window& window);
FeatureValue CompletenessFeature(const SourceContext& context, const Window& window);
FeatureValue CoherenceFeature(const SourceContext& context, const Window& window);
FeatureValue EnergyFeature(const SourceContext& context, const Window& window);
FeatureValue PaceFeature(const SourceContext& context, const Window& window);
FeatureValue FacesFeature(const SourceContext& context, const Window& window);
FeatureValue FillersFeature(const SourceContext& context, const Window& window);
FeatureValue TopicFeature(const SourceContext& context, const Window& window);

// Mean short-term loudness of [start, start + 3 s) minus the median over the window, in dB;
// `has_value` false when the window has no loudness samples in either part.
struct LoudnessRise {
  bool has_value = false;
  double rise_db = 0;
};
LoudnessRise HookLoudnessRise(const SourceContext& context, double start_s, double end_s);

}  // namespace cutroom::select
