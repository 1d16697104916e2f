// Strict reading of hand-written JSON files (Timeline, style.json, brand kits, ad templates):
// a misspelt, repeated or mistyped field is an error that names its JSON path ("segments[0].crop
// [1].zoom: expected a number, got string \"2\""), never a silently applied default.
//
// Internal to the engine: nlohmann::json appears here by design, so include this only from .cc
// files; no engine header may expose these types.
//
// Thread safety: everything here is a free function or a value type without shared state.
// Exceptions: none of these functions throws for malformed input; each checks the JSON type
// before reading a value.
#ifndef CUTROOM_JSON_STRICT_JSON_H_
#define CUTROOM_JSON_STRICT_JSON_H_

#include <array>
#include <cstddef>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cutroom/media_time.h"
#include "cutroom/status.h"

namespace cutroom::strict_json {

using Json = nlohmann::json;

// ---- JSON paths ----

// "parent.key", or "key" when `parent` is empty (the document's root).
std::string FieldPath(std::string_view parent, std::string_view key);
// "parent[index]".
std::string IndexPath(std::string_view parent, size_t index);

// InvalidArgumentError "path: what"; just "what" when `path` is empty.
Status FieldError(std::string_view path, std::string_view what);

// A short description of a value for error messages: the value itself for scalars, shortened to
// 40 characters ("string \"2\"", "number 1.5", "true", "null"), the kind for containers ("an
// object", "an array").
std::string Describe(const Json& j);

// ---- parsing ----

// Parses `text`. Errors (kInvalidArgument): "invalid JSON at line L, column C: <detail>" for
// syntax errors (L and C as an editor shows them, 1-based), "invalid JSON: <detail>" for errors
// without a position (number overflow), "<path>: field appears more than once" for the first
// repeated key (nlohmann would keep the last one silently). Bytes outside printable ASCII in the
// detail are written as \xNN, as messages travel on in JSON.
Result<Json> ParseJson(std::string_view text);

// ---- objects ----

// Reads one JSON object and remembers which keys were asked for, so that any other key can be
// reported as unknown. Holds a reference to the object: it must outlive the reader.
class ObjectReader {
 public:
  // Errors: "path: expected an object, got ..." when `j` is not an object.
  static Result<ObjectReader> Make(const Json& j, std::string path);
  // The document's root object (path ""); `document` names it in the error when `j` is not an
  // object ("timeline: expected an object, got an array").
  static Result<ObjectReader> MakeRoot(const Json& j, std::string_view document);

  const std::string& path() const { return path_; }
  std::string PathOf(std::string_view key) const { return FieldPath(path_, key); }

  // The value at `key`, or nullptr when absent. Marks `key` as known either way.
  const Json* Find(std::string_view key);
  // Errors: "path.key: missing required field".
  Result<const Json*> FindRequired(std::string_view key);

  // Call after every field has been read. Errors: "path.key: unknown field (known: a, b, c)"
  // naming the first (in key order) key that was never asked for.
  Status CheckNoUnknownFields() const;

 private:
  ObjectReader(const Json& object, std::string path) : object_(&object), path_(std::move(path)) {}

  const Json* object_;
  std::string path_;
  std::vector<std::string> known_;
};

// ---- typed values: each takes the value and its path, for error messages ----

// Errors: "expected an integer, got ...", "... is out of the integer range".
Result<int> ToInt(const Json& j, const std::string& path);
// Errors: "expected a number, got ...", "... is not a finite number".
Result<double> ToDouble(const Json& j, const std::string& path);
// Errors: "expected true or false, got ...".
Result<bool> ToBool(const Json& j, const std::string& path);
// Errors: "expected a string, got ...".
Result<std::string> ToString(const Json& j, const std::string& path);
// Ids and paths, where an empty one can never be meant. Errors: as ToString, "must not be empty".
Result<std::string> ToNonEmptyString(const Json& j, const std::string& path);
// "#RRGGBB" (either case). Errors: as ToString, "colour 'red' is not #RRGGBB".
Result<std::string> ToColour(const Json& j, const std::string& path);
// An exact frame rate: a string Rational::Parse reads ("30", "30000/1001", "29.97") or an
// integer. Errors: "expected a frame rate (\"30\", \"30000/1001\"), got 'x'", "expected a frame
// rate as a string (\"30000/1001\") or an integer, got ...". The range is the caller's to check.
Result<Rational> ToFrameRate(const Json& j, const std::string& path);

// Errors: "path: 6 s is outside 0..5" (`unit` is optional: "1.5 is outside 0..1").
Status CheckRange(double value, double min, double max, const std::string& path,
                  std::string_view unit = "");

// Errors: "path: unknown <what> '<text>' (known: <known>)".
Status UnknownNameError(const std::string& path, std::string_view what, std::string_view text,
                        std::string_view known);

// An enumeration written as its name: `name(value)` for each of `values`. Errors: as ToString,
// "unknown transition 'wipe' (known: cut, crossfade, slide, zoom)" (`what` = "transition").
template <typename E>
Result<E> ToEnum(const Json& j, const std::string& path, std::string_view what,
                 std::initializer_list<E> values, std::string_view (*name)(E)) {
  CR_ASSIGN_OR_RETURN(std::string text, ToString(j, path));
  std::string known;
  for (E value : values) {
    if (name(value) == text) return value;
    known += (known.empty() ? "" : ", ") + std::string(name(value));
  }
  return UnknownNameError(path, what, text, known);
}

// The same, with the names in a table of (name, value) pairs.
template <typename E, size_t N>
Result<E> ToEnum(const Json& j, const std::string& path, std::string_view what,
                 const std::array<std::pair<std::string_view, E>, N>& table) {
  CR_ASSIGN_OR_RETURN(std::string text, ToString(j, path));
  std::string known;
  for (const auto& [name, value] : table) {
    if (name == text) return value;
    known += (known.empty() ? "" : ", ") + std::string(name);
  }
  return UnknownNameError(path, what, text, known);
}

// ---- fields of an object ----
// `convert` is any callable (const Json&, const std::string& path) -> Result<T>.

// Reads `key` into `*out` when present; leaves `*out` (the default) otherwise.
template <typename T, typename Convert>
Status ReadOptional(ObjectReader& reader, std::string_view key, Convert convert, T* out) {
  const Json* j = reader.Find(key);
  if (j == nullptr) return Status::Ok();
  CR_ASSIGN_OR_RETURN(*out, convert(*j, reader.PathOf(key)));
  return Status::Ok();
}

// Errors: "path.key: missing required field", or the conversion's.
template <typename T, typename Convert>
Status ReadRequired(ObjectReader& reader, std::string_view key, Convert convert, T* out) {
  CR_ASSIGN_OR_RETURN(const Json* j, reader.FindRequired(key));
  CR_ASSIGN_OR_RETURN(*out, convert(*j, reader.PathOf(key)));
  return Status::Ok();
}

enum class Presence { kInvalid = 0, kOptional, kRequired };

// Reads the array at `key` into `*out` (replacing its contents), converting each element with
// `convert` at path "key[i]"; an absent optional array leaves `*out` as it is. Errors: "missing
// required field", "expected an array, got ...", or the first element's.
template <typename T, typename Convert>
Status ReadArray(ObjectReader& reader, std::string_view key, Presence presence, Convert convert,
                 std::vector<T>* out) {
  const Json* j = reader.Find(key);
  std::string path = reader.PathOf(key);
  if (j == nullptr) {
    return presence == Presence::kRequired ? FieldError(path, "missing required field")
                                           : Status::Ok();
  }
  if (!j->is_array()) return FieldError(path, "expected an array, got " + Describe(*j));
  std::vector<T> items;
  items.reserve(j->size());
  for (size_t i = 0; i < j->size(); ++i) {
    CR_ASSIGN_OR_RETURN(T item, convert((*j)[i], IndexPath(path, i)));
    items.push_back(std::move(item));
  }
  *out = std::move(items);
  return Status::Ok();
}

// A number in [min, max], read into `*out` when present. Errors: as ToDouble, as CheckRange.
Status ReadNumber(ObjectReader& reader, std::string_view key, double min, double max,
                  std::string_view unit, double* out);

}  // namespace cutroom::strict_json

#endif  // CUTROOM_JSON_STRICT_JSON_H_
