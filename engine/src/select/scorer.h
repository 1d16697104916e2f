// The 0-100 score: a weighted mean of the components (each 0..1), every component's contribution
// in points, and a one-line reason naming the two strongest contributions and the main weakness.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "select/candidates.h"
#include "select/clip_selector.h"
#include "select/features.h"

namespace cutroom::select {

// In the order they are reported.
inline constexpr std::string_view kComponentNames[] = {
    "hook", "completeness", "coherence", "energy", "pace", "faces", "fillers", "topic"};

bool IsComponentName(std::string_view name);

// Errors: a name that is not a component, a negative or non-finite weight, all weights zero.
Status ValidateWeights(const ScoringWeights& weights);

struct ScoredWindow {
  double score = 0;  // 0..100
  std::vector<Component> components;
  std::string reason;
};

// score = 100 * sum(w_i * v_i) / sum(w_i); contribution_i = 100 * w_i * v_i / sum(w_i), so the
// contributions add up to the score. Names missing from `weights` use the defaults.
ScoredWindow ScoreWindow(const SourceContext& context, const Window& window,
                         const ScoringWeights& weights);

// "Strongest: hook +18.6 (question in the first 3 s; a number), completeness +17.2 (...);
// weakest: pace, 3.4 points lost (1.7 words/s)".
std::string ReasonLine(const std::vector<Component>& components);

}  // namespace cutroom::select
