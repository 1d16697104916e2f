#include "openapi_check.h"

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>
#include <string_view>

namespace cutroom::testing {
namespace {

using nlohmann::json;

constexpr const char* kMethods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};
constexpr int kMaxDepth = 200;

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Path segments without empty ones ("/a//b/" -> a, b), as the server's router splits them.
std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

bool IsParam(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// -1 when `path` does not match `pattern`, else the number of literal segments (more = more
// specific: "/uploads/url" beats "/uploads/{id}").
int MatchScore(std::string_view pattern, std::string_view path) {
  std::vector<std::string_view> p = Segments(pattern), s = Segments(path);
  if (p.size() != s.size()) return -1;
  int literal = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    if (IsParam(p[i])) continue;
    if (p[i] != s[i]) return -1;
    ++literal;
  }
  return literal;
}

// "application/json; charset=utf-8" -> "application/json".
std::string MediaBase(std::string_view content_type) {
  size_t semi = content_type.find(';');
  std::string_view base = content_type.substr(0, semi);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  while (!base.empty() && base.front() == ' ') base.remove_prefix(1);
  return Lower(std::string(base));
}

bool IsJsonMedia(const std::string& base) {
  return base == "application/json" || (base.starts_with("application/") && base.ends_with("+json"));
}

std::string TypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "integer";
    case json::value_t::number_float: return "number";
    case json::value_t::string: return "string";
    case json::value_t::array: return "array";
    case json::value_t::object: return "object";
    default: return "invalid";
  }
}

bool HasType(const json& v, const std::string& type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "integer") return v.is_number_integer();
  if (type == "number") return v.is_number();
  if (type == "boolean") return v.is_boolean();
  return false;
}

bool IsIdentifier(const std::string& key) {
  if (key.empty() || std::isdigit(static_cast<unsigned char>(key[0]))) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string Member(const std::string& where, const std::string& key) {
  return IsIdentifier(key) ? where + "." + key : where + "[" + json(key).dump() + "]";
}

std::string Short(const json& v) {
  std::string text = v.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Every "$ref" in `node` resolves (problem names the first that does not).
bool CheckRefs(const OpenApiSpec& spec, const json& node, const std::string& where, std::string* problem) {
  if (node.is_object()) {
    if (node.contains("$ref") && spec.Resolve(node) == nullptr) {
      *problem = where + ": $ref " + node["$ref"].dump() + " names nothing";
      return false;
    }
    for (const auto& [key, value] : node.items()) {
      if (!CheckRefs(spec, value, where + "/" + key, problem)) return false;
    }
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) {
      if (!CheckRefs(spec, node[i], where + "/" + std::to_string(i), problem)) return false;
    }
  }
  return true;
}

}  // namespace

std::unique_ptr<OpenApiSpec> OpenApiSpec::Load(const std::string& path, std::string* error) {
  std::string ignored;
  if (error == nullptr) error = &ignored;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open";
    return nullptr;
  }
  std::stringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    *error = path + ": not JSON (the spec must stay in JSON syntax)";
    return nullptr;
  }
  if (!doc.is_object() || !doc.contains("openapi") || !doc["openapi"].is_string() ||
      !doc["openapi"].get<std::string>().starts_with("3.0.")) {
    *error = path + ": not an OpenAPI 3.0.x document";
    return nullptr;
  }
  if (!doc.contains("paths") || !doc["paths"].is_object()) {
    *error = path + ": no paths";
    return nullptr;
  }
  std::unique_ptr<OpenApiSpec> spec(new OpenApiSpec(std::move(doc)));
  std::string problem;
  if (!CheckRefs(*spec, spec->doc_, "#", &problem)) {
    *error = path + ": " + problem;
    return nullptr;
  }
  return spec;
}

const json* OpenApiSpec::Resolve(const json& node) const {
  const json* current = &node;
  for (int hops = 0; hops < 32; ++hops) {
    if (!current->is_object() || !current->contains("$ref")) return current;
    const json& ref = (*current)["$ref"];
    if (!ref.is_string()) return nullptr;
    std::string target = ref.get<std::string>();
    if (!target.starts_with("#/")) return nullptr;  // local references only
    try {
      json::json_pointer pointer(target.substr(1));
      if (!doc_.contains(pointer)) return nullptr;
      current = &doc_.at(pointer);
    } catch (const json::exception&) {
      return nullptr;
    }
  }
  return nullptr;  // a cycle of references
}

std::vector<std::pair<std::string, std::string>> OpenApiSpec::Operations() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [path, item] : doc_["paths"].items()) {
    if (!item.is_object()) continue;
    for (const char* method : kMethods) {
      if (item.contains(method)) out.emplace_back(Upper(method), path);
    }
  }
  return out;
}

const json* OpenApiSpec::Operation(const std::string& method, const std::string& path_template) const {
  const json& paths = doc_["paths"];
  auto item = paths.find(path_template);
  if (item == paths.end() || !item->is_object()) return nullptr;
  auto op = item->find(Lower(method));
  return op == item->end() ? nullptr : &*op;
}

std::string OpenApiSpec::CheckSchema(const std::string& schema_name, const json& value) const {
  if (!doc_.contains("components") || !doc_["components"].contains("schemas") ||
      !doc_["components"]["schemas"].contains(schema_name)) {
    return "no schema " + schema_name + " in components/schemas";
  }
  std::string problem;
  if (Validate(doc_["components"]["schemas"][schema_name], value, "$", &problem, 0)) return "";
  return problem;
}

std::string OpenApiSpec::CheckResponse(const std::string& method, const std::string& target, int status,
                                       const std::string& content_type, const std::string& body) const {
  std::string path = target.substr(0, target.find_first_of("?#"));
  std::string m = Upper(method);

  // The operation: the most specific template that matches and has the method.
  auto find = [&](const std::string& wanted) -> std::pair<std::string, const json*> {
    std::pair<std::string, const json*> best{"", nullptr};
    int best_score = -1;
    for (const auto& [tmpl, item] : doc_["paths"].items()) {
      if (!item.is_object() || !item.contains(Lower(wanted))) continue;
      int score = MatchScore(tmpl, path);
      if (score > best_score) {
        best_score = score;
        best = {tmpl, &item[Lower(wanted)]};
      }
    }
    return best;
  };
  auto [tmpl, op] = find(m);
  if (op == nullptr && m == "HEAD") std::tie(tmpl, op) = find("GET");
  if (op == nullptr) return m + " " + path + ": no such operation in the spec";
  const std::string where = m + " " + tmpl + " " + std::to_string(status);

  // The response for the status.
  const json& responses = (*op)["responses"];
  if (!responses.is_object()) return m + " " + tmpl + ": the operation has no responses";
  std::string code = std::to_string(status);
  std::string range = code.substr(0, 1) + "XX";
  const json* response = nullptr;
  for (const std::string& key : {code, range, std::string("default")}) {
    if (responses.contains(key)) {
      response = Resolve(responses[key]);
      break;
    }
  }
  if (response == nullptr) return where + ": status " + code + " is not documented";

  // The body.
  const bool has_body = !body.empty() && m != "HEAD";
  const json* content = response->contains("content") ? &(*response)["content"] : nullptr;
  if (content == nullptr || !content->is_object() || content->empty()) {
    if (has_body) return where + ": the spec documents no body, the response has " + std::to_string(body.size()) + " bytes";
    return "";
  }
  std::string base = MediaBase(content_type);
  if (!IsJsonMedia(base)) return "";  // not JSON: a documented status is all that is checked
  const json* exact = nullptr;
  const json* other_json = nullptr;
  bool wildcard = false;
  for (const auto& [media, entry] : content->items()) {
    std::string mb = MediaBase(media);
    if (mb == base) {
      exact = &entry;
      break;
    }
    if (IsJsonMedia(mb) && other_json == nullptr) other_json = &entry;
    if (mb == "*/*" || mb == "application/*") wildcard = true;
  }
  const json* entry = exact != nullptr ? exact : other_json;
  if (entry == nullptr) {
    if (wildcard) return "";
    return where + ": content type " + base + " is not documented for this response";
  }
  if (!entry->contains("schema")) return "";
  const json* schema = &(*entry)["schema"];
  if (!has_body) return "";
  json value = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return where + ": the body is not valid JSON: " + body.substr(0, 80);
  std::string problem;
  if (Validate(*schema, value, "$", &problem, 0)) return "";
  return where + ": " + problem;
}

bool OpenApiSpec::Validate(const json& schema_in, const json& value, const std::string& where,
                           std::string* problem, int depth) const {
  auto fail = [&](const std::string& what) {
    *problem = where + ": " + what;
    return false;
  };
  if (depth > kMaxDepth) return fail("schema nesting too deep (a $ref cycle?)");
  const json* resolved = Resolve(schema_in);
  if (resolved == nullptr) return fail("unresolvable $ref " + schema_in.value("$ref", std::string()));
  const json& schema = *resolved;
  if (schema.is_boolean()) return schema.get<bool>() ? true : fail("no value is allowed here");
  if (!schema.is_object()) return fail("the schema is not an object");

  if (value.is_null()) {
    if (schema.value("nullable", false)) return true;
    if (schema.contains("type")) return fail("expected " + schema["type"].get<std::string>() + ", got null");
    if (schema.contains("enum")) {
      for (const json& e : schema["enum"]) {
        if (e.is_null()) return true;
      }
      return fail("null is not nullable here");
    }
  }

  if (schema.contains("type")) {
    std::string type = schema["type"].get<std::string>();
    if (!HasType(value, type)) {
      std::string got = TypeName(value);
      if (type == "integer" && value.is_number_float()) got = "number " + value.dump() + " (not an integer)";
      return fail("expected " + type + ", got " + got);
    }
  }

  if (schema.contains("enum")) {
    bool found = false;
    for (const json& e : schema["enum"]) found = found || e == value;
    if (!found) return fail(Short(value) + " is not one of " + Short(schema["enum"]));
  }

  if (value.is_number()) {
    double v = value.get<double>();
    if (schema.contains("minimum")) {
      double min = schema["minimum"].get<double>();
      bool exclusive = schema.value("exclusiveMinimum", false);
      if (exclusive ? !(v > min) : !(v >= min)) {
        return fail(value.dump() + " is below the minimum " + schema["minimum"].dump());
      }
    }
    if (schema.contains("maximum")) {
      double max = schema["maximum"].get<double>();
      bool exclusive = schema.value("exclusiveMaximum", false);
      if (exclusive ? !(v < max) : !(v <= max)) {
        return fail(value.dump() + " is above the maximum " + schema["maximum"].dump());
      }
    }
    if (schema.contains("multipleOf")) {
      double step = schema["multipleOf"].get<double>();
      double q = v / step;
      if (step <= 0 || std::fabs(q - std::round(q)) > 1e-9) return fail(value.dump() + " is not a multiple of " + schema["multipleOf"].dump());
    }
  }

  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    size_t length = Utf8Length(s);
    if (schema.contains("minLength") && length < schema["minLength"].get<size_t>()) {
      return fail("string shorter than " + schema["minLength"].dump());
    }
    if (schema.contains("maxLength") && length > schema["maxLength"].get<size_t>()) {
      return fail("string longer than " + schema["maxLength"].dump());
    }
    if (schema.contains("pattern")) {
      const std::string& pattern = schema["pattern"].get_ref<const std::string&>();
      try {
        if (!std::regex_search(s, std::regex(pattern, std::regex::ECMAScript))) {
          return fail(Short(value) + " does not match " + pattern);
        }
      } catch (const std::regex_error&) {
        return fail("the spec's pattern " + pattern + " is not a valid regular expression");
      }
    }
  }

  if (value.is_array()) {
    if (schema.contains("minItems") && value.size() < schema["minItems"].get<size_t>()) {
      return fail("fewer than " + schema["minItems"].dump() + " items");
    }
    if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<size_t>()) {
      return fail("more than " + schema["maxItems"].dump() + " items");
    }
    if (schema.contains("items")) {
      for (size_t i = 0; i < value.size(); ++i) {
        if (!Validate(schema["items"], value[i], where + "[" + std::to_string(i) + "]", problem, depth + 1)) {
          return false;
        }
      }
    }
  }

  if (value.is_object()) {
    if (schema.contains("required")) {
      for (const json& name : schema["required"]) {
        if (!value.contains(name.get<std::string>())) {
          *problem = Member(where, name.get<std::string>()) + ": required but missing";
          return false;
        }
      }
    }
    const json* properties = schema.contains("properties") ? &schema["properties"] : nullptr;
    const json* additional = schema.contains("additionalProperties") ? &schema["additionalProperties"] : nullptr;
    for (const auto& [key, member] : value.items()) {
      std::string at = Member(where, key);
      if (properties != nullptr && properties->contains(key)) {
        if (!Validate((*properties)[key], member, at, problem, depth + 1)) return false;
      } else if (additional != nullptr) {
        if (additional->is_boolean()) {
          if (!additional->get<bool>()) {
            *problem = at + ": not allowed (no such property in the schema)";
            return false;
          }
        } else if (!Validate(*additional, member, at, problem, depth + 1)) {
          return false;
        }
      }
    }
  }

  if (schema.contains("allOf")) {
    for (const json& part : schema["allOf"]) {
      if (!Validate(part, value, where, problem, depth + 1)) return false;
    }
  }
  if (schema.contains("anyOf")) {
    std::string first;
    bool any = false;
    for (const json& part : schema["anyOf"]) {
      std::string p;
      if (Validate(part, value, where, &p, depth + 1)) {
        any = true;
        break;
      }
      if (first.empty()) first = p;
    }
    if (!any) return fail("matches none of anyOf (first: " + first + ")");
  }
  if (schema.contains("oneOf")) {
    std::string first;
    int matches = 0;
    for (const json& part : schema["oneOf"]) {
      std::string p;
      if (Validate(part, value, where, &p, depth + 1)) {
        ++matches;
      } else if (first.empty()) {
        first = p;
      }
    }
    if (matches == 0) return fail("matches none of oneOf (first: " + first + ")");
    if (matches > 1) return fail("matches " + std::to_string(matches) + " schemas of oneOf, not exactly one");
  }
  return true;
}

}  // namespace cutroom::testing
