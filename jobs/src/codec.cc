#include "codec.h"

#include <nlohmann/json.hpp>

namespace cutroom::jobs {

std::string StringMapToJson(const std::map<std::string, std::string>& map) {
  return nlohmann::json(map).dump();
}

namespace {

// Reads a JSON string starting at text[i] == '"'; handles the escapes a JSON writer emits for
// ASCII control characters and quotes. False on anything else (\u escapes above 0x7f, bad
// syntax), and the caller falls back to the full parser.
bool ReadPlainString(std::string_view text, size_t& i, std::string& out) {
  if (i >= text.size() || text[i] != '"') return false;
  ++i;
  while (i < text.size()) {
    char c = text[i++];
    if (c == '"') return true;
    if (c != '\\') {
      out += c;
      continue;
    }
    if (i >= text.size()) return false;
    char e = text[i++];
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      default: return false;
    }
  }
  return false;
}

// The fast path for the flat {"key":"value",...} objects this store writes itself.
bool ParseFlatStringMap(std::string_view text, std::map<std::string, std::string>& out) {
  size_t i = 0;
  auto skip = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t' || text[i] == '\r')) ++i;
  };
  skip();
  if (i >= text.size() || text[i++] != '{') return false;
  skip();
  if (i < text.size() && text[i] == '}') return true;
  for (;;) {
    std::string key, value;
    skip();
    if (!ReadPlainString(text, i, key)) return false;
    skip();
    if (i >= text.size() || text[i++] != ':') return false;
    skip();
    if (!ReadPlainString(text, i, value)) return false;
    out[std::move(key)] = std::move(value);
    skip();
    if (i >= text.size()) return false;
    char c = text[i++];
    if (c == '}') break;
    if (c != ',') return false;
  }
  skip();
  return i == text.size();
}

}  // namespace

Result<std::map<std::string, std::string>> StringMapFromJson(std::string_view json) {
  std::map<std::string, std::string> fast;
  if (ParseFlatStringMap(json, fast)) return fast;
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
