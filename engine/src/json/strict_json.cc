#include "json/strict_json.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <set>

namespace cutroom::strict_json {
namespace {

// nlohmann keeps the last of two equal keys without a word. In a hand-edited file a repeated key
// is a mistake, so the parser callback tracks keys per object and records the JSON path of the
// first duplicate.
class DuplicateKeyFinder {
 public:
  bool OnEvent(Json::parse_event_t event, const Json& parsed) {
    switch (event) {
      case Json::parse_event_t::object_start:
        stack_.push_back(Frame{ChildPath(), /*is_array=*/false});
        break;
      case Json::parse_event_t::array_start:
        stack_.push_back(Frame{ChildPath(), /*is_array=*/true});
        break;
      case Json::parse_event_t::object_end:
      case Json::parse_event_t::array_end:
        if (!stack_.empty()) stack_.pop_back();
        break;
      case Json::parse_event_t::key:
        if (!stack_.empty() && parsed.is_string()) {
          Frame& frame = stack_.back();
          frame.last_key = parsed.get<std::string>();
          if (!frame.keys.insert(frame.last_key).second && !duplicate_) {
            duplicate_ = FieldPath(frame.path, frame.last_key);
          }
        }
        break;
      case Json::parse_event_t::value:
        if (!stack_.empty() && stack_.back().is_array) ++stack_.back().next_index;
        break;
    }
    return true;
  }

  const std::optional<std::string>& duplicate() const { return duplicate_; }

 private:
  struct Frame {
    std::string path;
    bool is_array = false;
    std::set<std::string> keys;
    std::string last_key;
    size_t next_index = 0;
  };

  std::string ChildPath() {
    if (stack_.empty()) return "";
    Frame& parent = stack_.back();
    if (parent.is_array) return IndexPath(parent.path, parent.next_index++);
    return FieldPath(parent.path, parent.last_key);
  }

  std::vector<Frame> stack_;
  std::optional<std::string> duplicate_;
};

// nlohmann reports the byte offset of the last character it read (1-based); people want the
// line and column their editor shows.
std::string LineColumnAt(std::string_view text, size_t byte) {
  std::string_view before = text.substr(0, std::min(byte == 0 ? 0 : byte - 1, text.size()));
  size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  size_t last_newline = before.rfind('\n');
  size_t line_start = last_newline == std::string_view::npos ? 0 : last_newline + 1;
  size_t pos = before.size();
  return "line " + std::to_string(line) + ", column " + std::to_string(pos - line_start + 1);
}

// "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..." ->
// "syntax error ..." (the position is recomputed by LineColumnAt); other kinds lose only their
// bracketed id.
std::string ParseErrorDetail(const char* what) {
  std::string_view text(what);
  size_t at = text.find("parse error");
  if (at != std::string_view::npos) {
    size_t colon = text.find(": ", at);
    if (colon != std::string_view::npos) return std::string(text.substr(colon + 2));
  }
  size_t bracket = text.find("] ");
  if (text.starts_with("[json.exception.") && bracket != std::string_view::npos) {
    return std::string(text.substr(bracket + 2));
  }
  return std::string(text);
}

// nlohmann quotes the offending input bytes, which may be invalid UTF-8; error messages travel
// on in JSON (HTTP responses, job logs), so anything outside printable ASCII is escaped.
std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      constexpr char kHex[] = "0123456789ABCDEF";
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
}

bool IsHexColour(std::string_view text) {
  if (text.size() != 7 || text[0] != '#') return false;
  return std::all_of(text.begin() + 1, text.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

std::string FieldPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string path(parent);
  path += '.';
  path += key;
  return path;
}

std::string IndexPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

Status FieldError(std::string_view path, std::string_view what) {
  if (path.empty()) return InvalidArgumentError(std::string(what));
  std::string message(path);
  message += ": ";
  message += what;
  return InvalidArgumentError(std::move(message));
}

std::string Describe(const Json& j) {
  if (j.is_object()) return "an object";
  if (j.is_array()) return "an array";
  if (j.is_null()) return "null";
  std::string text = j.dump(-1, ' ', false, Json::error_handler_t::replace);
  constexpr size_t kMaxChars = 40;
  if (text.size() > kMaxChars) text = text.substr(0, kMaxChars) + "...";
  return std::string(j.is_string() ? "string " : j.is_boolean() ? "" : "number ") + text;
}

Result<Json> ParseJson(std::string_view text) {
  Json root;
  DuplicateKeyFinder finder;
  try {
    root = Json::parse(text.begin(), text.end(),
                       [&finder](int /*depth*/, Json::parse_event_t event, Json& parsed) {
                         return finder.OnEvent(event, parsed);
                       });
  } catch (const Json::parse_error& e) {
    return InvalidArgumentError("invalid JSON at " + LineColumnAt(text, e.byte) + ": " +
                                Printable(ParseErrorDetail(e.what())));
  } catch (const Json::exception& e) {
    // Number overflow ("1e400") is reported as out_of_range, without a position.
    return InvalidArgumentError("invalid JSON: " + Printable(ParseErrorDetail(e.what())));
  }
  if (finder.duplicate()) return FieldError(*finder.duplicate(), "field appears more than once");
  return root;
}

Result<ObjectReader> ObjectReader::Make(const Json& j, std::string path) {
  if (!j.is_object()) return FieldError(path, "expected an object, got " + Describe(j));
  return ObjectReader(j, std::move(path));
}

Result<ObjectReader> ObjectReader::MakeRoot(const Json& j, std::string_view document) {
  if (!j.is_object()) return FieldError(document, "expected an object, got " + Describe(j));
  return ObjectReader(j, "");
}

const Json* ObjectReader::Find(std::string_view key) {
  known_.emplace_back(key);
  auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

Result<const Json*> ObjectReader::FindRequired(std::string_view key) {
  const Json* j = Find(key);
  if (j == nullptr) return FieldError(PathOf(key), "missing required field");
  return j;
}

Status ObjectReader::CheckNoUnknownFields() const {
  for (const auto& [key, value] : object_->items()) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string known;
    for (const std::string& k : known_) known += (known.empty() ? "" : ", ") + k;
    return FieldError(PathOf(key), "unknown field (known: " + known + ")");
  }
  return Status::Ok();
}

Result<int> ToInt(const Json& j, const std::string& path) {
  if (j.is_number_unsigned()) {
    auto value = j.get<uint64_t>();
    if (value <= static_cast<uint64_t>(std::numeric_limits<int>::max())) {
      return static_cast<int>(value);
    }
  } else if (j.is_number_integer()) {
    auto value = j.get<int64_t>();
    if (value >= std::numeric_limits<int>::min() && value <= std::numeric_limits<int>::max()) {
      return static_cast<int>(value);
    }
  } else {
    return FieldError(path, "expected an integer, got " + Describe(j));
  }
  return FieldError(path, Describe(j) + " is out of the integer range");
}

Result<double> ToDouble(const Json& j, const std::string& path) {
  if (!j.is_number()) return FieldError(path, "expected a number, got " + Describe(j));
  double value = j.get<double>();
  if (!std::isfinite(value)) return FieldError(path, Describe(j) + " is not a finite number");
  return value;
}

Result<bool> ToBool(const Json& j, const std::string& path) {
  if (!j.is_boolean()) return FieldError(path, "expected true or false, got " + Describe(j));
  return j.get<bool>();
}

Result<std::string> ToString(const Json& j, const std::string& path) {
  if (!j.is_string()) return FieldError(path, "expected a string, got " + Describe(j));
  return j.get<std::string>();
}

Result<std::string> ToNonEmptyString(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(std::string text, ToString(j, path));
  if (text.empty()) return FieldError(path, "must not be empty");
  return text;
}

Result<std::string> ToColour(const Json& j, const std::string& path) {
  CR_ASSIGN_OR_RETURN(std::string text, ToString(j, path));
  if (!IsHexColour(text)) return FieldError(path, "colour '" + text + "' is not #RRGGBB");
  return text;
}

Result<Rational> ToFrameRate(const Json& j, const std::string& path) {
  if (j.is_string()) {
    const auto& text = j.get_ref<const std::string&>();
    auto rate = Rational::Parse(text);
    if (!rate.ok()) {
      return FieldError(path, "expected a frame rate (\"30\", \"30000/1001\"), got '" + text + "'");
    }
    return *rate;
  }
  if (j.is_number_integer() && !j.is_number_unsigned()) return Rational::Make(j.get<int64_t>(), 1);
  if (j.is_number_unsigned() &&
      j.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    return Rational::Make(static_cast<int64_t>(j.get<uint64_t>()), 1);
  }
  return FieldError(
      path, "expected a frame rate as a string (\"30000/1001\") or an integer, got " + Describe(j));
}

Status CheckRange(double value, double min, double max, const std::string& path,
                  std::string_view unit) {
  if (value >= min && value <= max) return Status::Ok();
  char buf[160];
  std::snprintf(buf, sizeof(buf), "%g%s%s is outside %g..%g", value, unit.empty() ? "" : " ",
                std::string(unit).c_str(), min, max);
  return FieldError(path, buf);
}

Status UnknownNameError(const std::string& path, std::string_view what, std::string_view text,
                        std::string_view known) {
  return FieldError(path, "unknown " + std::string(what) + " '" + std::string(text) +
                              "' (known: " + std::string(known) + ")");
}

Status ReadNumber(ObjectReader& reader, std::string_view key, double min, double max,
                  std::string_view unit, double* out) {
  const Json* j = reader.Find(key);
  if (j == nullptr) return Status::Ok();
  std::string path = reader.PathOf(key);
  CR_ASSIGN_OR_RETURN(double value, ToDouble(*j, path));
  CR_RETURN_IF_ERROR(CheckRange(value, min, max, path, unit));
  *out = value;
  return Status::Ok();
}

}  // namespace cutroom::strict_json
