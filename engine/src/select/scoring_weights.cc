// ScoringWeights: defaults and the JSON file form (assets/scoring/default_weights.json).
// nlohmann::json throws; every call is caught here and turned into a Status.
#include <cmath>
#include <exception>
#include <nlohmann/json.hpp>

#include "select/clip_selector.h"
#include "select/scorer.h"

namespace cutroom::select {

ScoringWeights ScoringWeights::Defaults() {
  // docs/scoring.md explains each value; assets/scoring/default_weights.json must agree (tested).
  ScoringWeights w;
  w.weights = {{"hook", 3.0}, {"completeness", 2.5}, {"coherence", 1.5}, {"energy", 1.0},
               {"pace", 1.0}, {"faces", 1.0},        {"fillers", 1.5},   {"topic", 3.0}};
  return w;
}

Result<ScoringWeights> ScoringWeights::FromJson(const std::string& json) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(json);
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("scoring weights: not JSON: ") + e.what());
  }
  if (!root.is_object()) return InvalidArgumentError("scoring weights: not a JSON object");
  for (const auto& [key, value] : root.items()) {
    if (key != "version" && key != "weights" && key != "description") {
      return InvalidArgumentError("scoring weights: unknown key \"" + key + "\"");
    }
  }
  auto version = root.find("version");
  if (version != root.end() && !(version->is_number_integer() && version->get<int64_t>() == 1)) {
    return InvalidArgumentError("scoring weights: \"version\" must be 1");
  }
  auto weights = root.find("weights");
  if (weights == root.end() || !weights->is_object()) {
    return InvalidArgumentError("scoring weights: missing \"weights\" object");
  }
  ScoringWeights result = Defaults();
  for (const auto& [name, value] : weights->items()) {
    if (!IsComponentName(name)) {
      std::string known;
      for (std::string_view n : kComponentNames)
        known += (known.empty() ? "" : ", ") + std::string(n);
      return InvalidArgumentError("scoring weights: unknown component \"" + name +
                                  "\" (known: " + known + ")");
    }
    if (!value.is_number()) {
      return InvalidArgumentError("scoring weights: \"" + name + "\" is not a number");
    }
    double weight = value.get<double>();
    if (!std::isfinite(weight) || weight < 0) {
      return InvalidArgumentError("scoring weights: \"" + name + "\" is negative");
    }
    result.weights[name] = weight;
  }
  CR_RETURN_IF_ERROR(ValidateWeights(result));
  return result;
}

std::string ScoringWeights::ToJson() const {
  nlohmann::ordered_json weights_json = nlohmann::ordered_json::object();
  ScoringWeights defaults = Defaults();
  for (std::string_view name : kComponentNames) {
    auto it = weights.find(std::string(name));
    weights_json[std::string(name)] =
        it != weights.end() ? it->second : defaults.weights[std::string(name)];
  }
  nlohmann::ordered_json root;
  root["version"] = 1;
  root["weights"] = weights_json;
  return root.dump(2) + "\n";
}

}  // namespace cutroom::select
