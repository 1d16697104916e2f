#include "api/json_input.h"

namespace cutroom::server::api {

using nlohmann::json;

Status CheckText(std::string_view text, std::string_view field, size_t max_len) {
  if (text.empty()) return InvalidArgumentError(std::string(field) + " must not be empty");
  if (text.size() > max_len) {
    return InvalidArgumentError(std::string(field) + " is longer than " + std::to_string(max_len) +
                                " bytes");
  }
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\t') {
      return InvalidArgumentError(std::string(field) + " contains a control character");
    }
  }
  return Status::Ok();
}

Result<JsonInput> JsonInput::Parse(std::string_view body, std::initializer_list<std::string_view> allowed,
                                   bool empty_ok) {
  if (body.empty() && empty_ok) return JsonInput(json::object());
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return InvalidArgumentError("the request body is not valid JSON");
  if (!parsed.is_object()) return InvalidArgumentError("the request body must be a JSON object");
  for (const auto& [key, value] : parsed.items()) {
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) return InvalidArgumentError("unknown field \"" + key + "\"");
  }
  return JsonInput(std::move(parsed));
}

Result<std::optional<std::string>> JsonInput::OptString(const char* key, size_t max_len) const {
  if (!Has(key)) return std::optional<std::string>();
  const json& v = json_[key];
  if (!v.is_string()) return InvalidArgumentError(std::string(key) + " must be a string");
  std::string s = v.get<std::string>();
  CR_RETURN_IF_ERROR(CheckText(s, key, max_len));
  return std::optional<std::string>(std::move(s));
}

Result<std::string> JsonInput::String(const char* key, size_t max_len) const {
  CR_ASSIGN_OR_RETURN(std::optional<std::string> s, OptString(key, max_len));
  if (!s) return InvalidArgumentError(std::string(key) + " is required");
  return *s;
}

Result<std::optional<int64_t>> JsonInput::OptInt(const char* key, int64_t min, int64_t max) const {
  if (!Has(key)) return std::optional<int64_t>();
  const json& v = json_[key];
  if (!v.is_number_integer()) return InvalidArgumentError(std::string(key) + " must be an integer");
  int64_t n = v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)
                  ? INT64_MAX
                  : v.get<int64_t>();
  if (n < min || n > max) {
    return InvalidArgumentError(std::string(key) + " must be between " + std::to_string(min) + " and " +
                                std::to_string(max));
  }
  return std::optional<int64_t>(n);
}

Result<std::optional<double>> JsonInput::OptNumber(const char* key, double min, double max) const {
  if (!Has(key)) return std::optional<double>();
  const json& v = json_[key];
  if (!v.is_number()) return InvalidArgumentError(std::string(key) + " must be a number");
  double n = v.get<double>();
  if (!(n >= min && n <= max)) {
    return InvalidArgumentError(std::string(key) + " must be between " + std::to_string(min) + " and " +
                                std::to_string(max));
  }
  return std::optional<double>(n);
}

Result<std::optional<bool>> JsonInput::OptBool(const char* key) const {
  if (!Has(key)) return std::optional<bool>();
  if (!json_[key].is_boolean()) return InvalidArgumentError(std::string(key) + " must be true or false");
  return std::optional<bool>(json_[key].get<bool>());
}

Result<std::optional<std::vector<std::string>>> JsonInput::OptStrings(const char* key, size_t max_items,
                                                                      size_t max_len) const {
  if (!Has(key)) return std::optional<std::vector<std::string>>();
  const json& v = json_[key];
  if (!v.is_array() || v.size() > max_items) {
    return InvalidArgumentError(std::string(key) + " must be a list of at most " + std::to_string(max_items) +
                                " strings");
  }
  std::vector<std::string> out;
  for (const json& item : v) {
    if (!item.is_string()) return InvalidArgumentError(std::string(key) + " must contain only strings");
    out.push_back(item.get<std::string>());
    CR_RETURN_IF_ERROR(CheckText(out.back(), key, max_len));
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::optional<json>> JsonInput::OptObject(const char* key) const {
  if (!Has(key)) return std::optional<json>();
  if (!json_[key].is_object()) return InvalidArgumentError(std::string(key) + " must be an object");
  return std::optional<json>(json_[key]);
}

}  // namespace cutroom::server::api
