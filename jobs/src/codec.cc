#include "codec.h"

#include <nlohmann/json.hpp>

namespace cutroom::jobs {

std::string StringMapToJson(const std::map<std::string, std::string>& map) {
  return nlohmann::json(map).dump();
}

Result<std::map<std::string, std::string>> StringMapFromJson(std::string_view json) {
  try {
    auto j = nlohmann::json::parse(json);
    if (!j.is_object()) return DataLossError("expected a JSON object");
    std::map<std::string, std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (!it.value().is_string()) return DataLossError("value of '" + it.key() + "' is not a string");
      out[it.key()] = it.value().get<std::string>();
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    return DataLossError(std::string("bad JSON: ") + e.what());
  }
}

std::string ArtifactsToJson(const std::vector<ArtifactRef>& artifacts) {
  auto arr = nlohmann::json::array();
  for (const auto& a : artifacts) {
    arr.push_back({{"name", a.name}, {"sha256", a.sha256}, {"size", a.size_bytes}});
  }
  return arr.dump();
}

Result<std::vector<ArtifactRef>> ArtifactsFromJson(std::string_view json) {
  try {
    auto j = nlohmann::json::parse(json);
    if (!j.is_array()) return DataLossError("expected a JSON array of artifacts");
    std::vector<ArtifactRef> out;
    for (const auto& e : j) {
      ArtifactRef a;
      a.name = e.at("name").get<std::string>();
      a.sha256 = e.at("sha256").get<std::string>();
      a.size_bytes = e.at("size").get<int64_t>();
      out.push_back(std::move(a));
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    return DataLossError(std::string("bad artifact list: ") + e.what());
  }
}

}  // namespace cutroom::jobs
