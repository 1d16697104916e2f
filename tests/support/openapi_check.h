// Checks real HTTP responses against api/openapi.yaml, the contract of `cutroom serve`. The spec is
// written in JSON syntax (valid YAML 1.2), so it is read with nlohmann::json; no YAML library needed.
//
// The validator covers the subset of OpenAPI 3.0 schemas the spec uses: $ref (local, e.g.
// "#/components/schemas/Job"), type (object, array, string, integer, number, boolean), nullable,
// required, properties, additionalProperties (false or a schema), items, minItems/maxItems, enum,
// allOf/oneOf/anyOf, minimum/maximum (and the 3.0 boolean exclusiveMinimum/exclusiveMaximum),
// multipleOf, minLength/maxLength and pattern. Integers must be JSON integers (5.0 is not one).
// Other keywords (description, format, default, example, x-*) are ignored.
//
// Thread safety: a loaded spec is immutable; const methods are safe from any thread.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace cutroom::testing {

class OpenApiSpec {
 public:
  // Reads and parses the spec; nullptr with `error` set when the file is missing, is not JSON, is
  // not OpenAPI 3.0.x or has a $ref that names nothing.
  static std::unique_ptr<OpenApiSpec> Load(const std::string& path, std::string* error);

  // The spec's (method, path template) pairs, e.g. {"GET", "/api/v1/workspaces/{ws}"}; methods
  // uppercase, sorted by path (nlohmann::json keeps object keys sorted).
  std::vector<std::pair<std::string, std::string>> Operations() const;

  // Checks a response: finds the operation by matching the concrete request path (query removed)
  // against the templates (literal segments win over parameters; HEAD falls back to GET), then
  // the response for `status` (or "4XX"-style ranges, or "default"), then validates the JSON body
  // against its application/json schema. Returns "" when it conforms, else a message naming the
  // JSON path of the first problem ("GET /api/v1/... 200: $.items[0].state: expected string, got
  // number"). Non-JSON content types: only the status must be documented. An undocumented
  // operation or status is a problem too, and so is a JSON body where the response documents
  // other content, or a body where it documents none.
  std::string CheckResponse(const std::string& method, const std::string& target, int status,
                            const std::string& content_type, const std::string& body) const;

  // Validates `value` against components/schemas/`schema_name`; "" or the first problem.
  std::string CheckSchema(const std::string& schema_name, const nlohmann::json& value) const;

  // The operation object for (method, template), or nullptr.
  const nlohmann::json* Operation(const std::string& method, const std::string& path_template) const;

  // The whole document.
  const nlohmann::json& document() const { return doc_; }

  // Follows a local "$ref" ("#/components/...") of `node`, repeatedly; `node` itself when it has
  // none; nullptr when a reference names nothing.
  const nlohmann::json* Resolve(const nlohmann::json& node) const;

 private:
  explicit OpenApiSpec(nlohmann::json doc) : doc_(std::move(doc)) {}

  // Validates `value` at JSON path `where`; false with `*problem` set at the first violation.
  bool Validate(const nlohmann::json& schema, const nlohmann::json& value, const std::string& where,
                std::string* problem, int depth) const;

  nlohmann::json doc_;
};

}  // namespace cutroom::testing
