#include "select/selection_json.h"

#include <nlohmann/json.hpp>

namespace cutroom::select {
namespace {

using Json = nlohmann::ordered_json;
constexpr int kSelectionJsonVersion = 1;

// Exact: "ticks/num/den" keeps the time base, so a read-back time compares and rescales the same.
std::string TimeText(const MediaTime& t) {
  return std::to_string(t.ticks()) + "@" + t.time_base().ToString();
}

Result<MediaTime> ParseTime(const std::string& text) {
  size_t at = text.find('@');
  if (at == std::string::npos) return DataLossError("selection.json: bad time '" + text + "'");
  char* end = nullptr;
  long long ticks = std::strtoll(text.c_str(), &end, 10);
  if (end != text.c_str() + at) return DataLossError("selection.json: bad time '" + text + "'");
  CR_ASSIGN_OR_RETURN(Rational base, Rational::Parse(std::string_view(text).substr(at + 1)));
  if (base.num <= 0) return DataLossError("selection.json: bad time base in '" + text + "'");
  return MediaTime(static_cast<int64_t>(ticks), base);
}

}  // namespace

std::string SelectionToJson(const Selection& s) {
  Json root;
  root["version"] = kSelectionJsonVersion;
  Json clips = Json::array();
  for (const auto& c : s.clips) {
    Json components = Json::array();
    for (const auto& comp : c.components) {
      components.push_back({{"name", comp.name},
                            {"value", comp.value},
                            {"weight", comp.weight},
                            {"contribution", comp.contribution},
                            {"detail", comp.detail}});
    }
    clips.push_back({{"start", TimeText(c.start)},
                     {"end", TimeText(c.end)},
                     {"start_s", c.start.ToSeconds()},
                     {"end_s", c.end.ToSeconds()},
                     {"first_sentence", c.first_sentence},
                     {"last_sentence", c.last_sentence},
                     {"score", c.score},
                     {"components", std::move(components)},
                     {"reason", c.reason},
                     {"title", c.title},
                     {"description", c.description},
                     {"hashtags", c.hashtags},
                     {"text", c.text}});
  }
  root["clips"] = std::move(clips);
  root["warnings"] = s.warnings;
  // Doubles are written with enough digits to read back exactly (nlohmann uses shortest
  // round-trip form).
  return root.dump(2) + "\n";
}

Result<Selection> SelectionFromJson(std::string_view text) {
  Json root = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return DataLossError("selection.json is not a JSON object");
  try {
    if (root.at("version").get<int>() != kSelectionJsonVersion) {
      return DataLossError("selection.json has version " + root.at("version").dump());
    }
    Selection s;
    for (const auto& c : root.at("clips")) {
      ClipCandidate cand;
      CR_ASSIGN_OR_RETURN(cand.start, ParseTime(c.at("start").get<std::string>()));
      CR_ASSIGN_OR_RETURN(cand.end, ParseTime(c.at("end").get<std::string>()));
      cand.first_sentence = c.at("first_sentence").get<int>();
      cand.last_sentence = c.at("last_sentence").get<int>();
      cand.score = c.at("score").get<double>();
      for (const auto& comp : c.at("components")) {
        cand.components.push_back({comp.at("name").get<std::string>(), comp.at("value").get<double>(),
                                   comp.at("weight").get<double>(), comp.at("contribution").get<double>(),
                                   comp.at("detail").get<std::string>()});
      }
      cand.reason = c.at("reason").get<std::string>();
      cand.title = c.at("title").get<std::string>();
      cand.description = c.at("description").get<std::string>();
      cand.hashtags = c.at("hashtags").get<std::vector<std::string>>();
      cand.text = c.at("text").get<std::string>();
      s.clips.push_back(std::move(cand));
    }
    s.warnings = root.at("warnings").get<std::vector<std::string>>();
    return s;
  } catch (const Json::exception& e) {
    return DataLossError(std::string("selection.json: ") + e.what());
  }
}

}  // namespace cutroom::select
