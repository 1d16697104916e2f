#include "select/scorer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iterator>

namespace cutroom::select {
namespace {

using FeatureFn = FeatureValue (*)(const SourceContext&, const Window&);

// Same order as kComponentNames.
constexpr FeatureFn kFeatures[] = {HookFeature,    CompletenessFeature, CoherenceFeature,
                                   EnergyFeature,  PaceFeature,         FacesFeature,
                                   FillersFeature, TopicFeature};
static_assert(std::size(kFeatures) == std::size(kComponentNames));

double WeightOf(const ScoringWeights& weights, const ScoringWeights& defaults,
                std::string_view name) {
  auto it = weights.weights.find(std::string(name));
  if (it != weights.weights.end()) return it->second;
  auto d = defaults.weights.find(std::string(name));
  return d != defaults.weights.end() ? d->second : 0.0;
}

std::string Points(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.1f", value);
  return buffer;
}

}  // namespace

bool IsComponentName(std::string_view name) {
  return std::find(std::begin(kComponentNames), std::end(kComponentNames), name) !=
         std::end(kComponentNames);
}

Status ValidateWeights(const ScoringWeights& weights) {
  double total = 0;
  for (const auto& [name, weight] : weights.weights) {
    if (!IsComponentName(name)) {
      return InvalidArgumentError("scoring weights: unknown component \"" + name + "\"");
    }
    if (!std::isfinite(weight) || weight < 0) {
      return InvalidArgumentError("scoring weights: \"" + name + "\" must be a number >= 0");
    }
  }
  ScoringWeights defaults = ScoringWeights::Defaults();
  for (std::string_view name : kComponentNames) total += WeightOf(weights, defaults, name);
  if (total <= 0) return InvalidArgumentError("scoring weights: all weights are zero");
  return Status::Ok();
}

ScoredWindow ScoreWindow(const SourceContext& context, const Window& window,
                         const ScoringWeights& weights) {
  const ScoringWeights defaults = ScoringWeights::Defaults();
  ScoredWindow scored;
  double total_weight = 0;
  for (size_t i = 0; i < std::size(kComponentNames); ++i) {
    FeatureValue feature = kFeatures[i](context, window);
    Component c;
    c.name = std::string(kComponentNames[i]);
    c.value = std::clamp(feature.value, 0.0, 1.0);
    c.weight = WeightOf(weights, defaults, kComponentNames[i]);
    c.detail = std::move(feature.detail);
    total_weight += c.weight;
    scored.components.push_back(std::move(c));
  }
  if (total_weight > 0) {
    for (Component& c : scored.components) {
      c.contribution = 100.0 * c.weight * c.value / total_weight;
      scored.score += c.contribution;
    }
  }
  scored.score = std::clamp(scored.score, 0.0, 100.0);
  scored.reason = ReasonLine(scored.components);
  return scored;
}

std::string ReasonLine(const std::vector<Component>& components) {
  std::vector<const Component*> by_contribution;
  double total_weight = 0;
  for (const Component& c : components) {
    total_weight += c.weight;
    if (c.weight > 0) by_contribution.push_back(&c);
  }
  if (by_contribution.empty() || total_weight <= 0) return "no weighted components";
  std::stable_sort(
      by_contribution.begin(), by_contribution.end(),
      [](const Component* a, const Component* b) { return a->contribution > b->contribution; });
  std::string line = "Strongest: ";
  const size_t strongest = std::min<size_t>(2, by_contribution.size());
  for (size_t i = 0; i < strongest; ++i) {
    const Component& c = *by_contribution[i];
    if (i > 0) line += ", ";
    line += c.name + " +" + Points(c.contribution) + " (" + c.detail + ")";
  }
  // The main weakness: the component that lost the most points (weight times what it missed).
  const Component* weakest = nullptr;
  double weakest_lost = 0;
  for (const Component* c : by_contribution) {
    double lost = 100.0 * c->weight * (1.0 - c->value) / total_weight;
    if (lost > weakest_lost + 1e-9) {
      weakest_lost = lost;
      weakest = c;
    }
  }
  if (weakest == nullptr) return line + "; no weakness";
  return line + "; weakest: " + weakest->name + ", " + Points(weakest_lost) + " points lost (" +
         weakest->detail + ")";
}

}  // namespace cutroom::select
