// Strict reading of JSON request bodies: malformed JSON, a body that is not an object, a field
// the route does not know, a wrong type or a value out of range are all InvalidArgument with a
// message naming the field, so clients learn what they did wrong.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cutroom/status.h"

namespace cutroom::server::api {

class JsonInput {
 public:
  // An empty body counts as {} when `empty_ok`.
  static Result<JsonInput> Parse(std::string_view body, std::initializer_list<std::string_view> allowed,
                                 bool empty_ok = false);

  bool Has(const char* key) const { return json_.contains(key) && !json_[key].is_null(); }
  // A required string, 1..max_len bytes, without control characters.
  Result<std::string> String(const char* key, size_t max_len = 1000) const;
  Result<std::optional<std::string>> OptString(const char* key, size_t max_len = 1000) const;
  Result<std::optional<int64_t>> OptInt(const char* key, int64_t min, int64_t max) const;
  Result<std::optional<double>> OptNumber(const char* key, double min, double max) const;
  Result<std::optional<bool>> OptBool(const char* key) const;
  Result<std::optional<std::vector<std::string>>> OptStrings(const char* key, size_t max_items,
                                                             size_t max_len) const;
  // A nested object, serialised back to text (brand settings); nullopt when absent.
  Result<std::optional<nlohmann::json>> OptObject(const char* key) const;

 private:
  explicit JsonInput(nlohmann::json json) : json_(std::move(json)) {}
  nlohmann::json json_;
};

// A short text from a client (names, titles): no control characters, valid-looking UTF-8 bytes,
// 1..max_len long. InvalidArgument naming `field` otherwise.
Status CheckText(std::string_view text, std::string_view field, size_t max_len);

}  // namespace cutroom::server::api
