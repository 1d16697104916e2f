#include "api/api_error.h"

#include "cutroom/log.h"

namespace cutroom::server::api {

ApiError ErrorFromStatus(const Status& status) {
  const std::string& m = status.message();
  switch (status.code()) {
    case StatusCode::kInvalidArgument: return {400, "invalid_argument", m};
    case StatusCode::kNotFound: return {404, "not_found", m};
    case StatusCode::kAlreadyExists: return {409, "already_exists", m};
    case StatusCode::kPermissionDenied: return {403, "forbidden", m};
    case StatusCode::kFailedPrecondition: return {409, "conflict", m};
    case StatusCode::kCancelled: return {409, "cancelled", m};
    case StatusCode::kOutOfRange: return {416, "range_not_satisfiable", m};
    case StatusCode::kResourceExhausted: return {413, "too_large", m};
    case StatusCode::kUnavailable: return {503, "unavailable", m};
    case StatusCode::kDeadlineExceeded: return {504, "timeout", m};
    case StatusCode::kUnimplemented: return {501, "not_implemented", m};
    default: return {500, "internal", "internal error; the server log has the details"};
  }
}

http::Response ErrorResponse(int http_status, std::string_view code, std::string_view message,
                             std::string_view request_id) {
  std::string body = "{\"error\":{\"code\":\"" + JsonEscape(code) + "\",\"message\":\"" +
                     JsonEscape(message) + "\",\"request_id\":\"" + JsonEscape(request_id) + "\"}}";
  return JsonResponse(http_status, std::move(body));
}

http::Response ErrorResponse(const ApiError& error, std::string_view request_id) {
  return ErrorResponse(error.http_status, error.code, error.message, request_id);
}

http::Response JsonResponse(int http_status, std::string json_text) {
  http::Response r;
  r.status = http_status;
  r.headers.emplace_back("Content-Type", "application/json");
  r.body = std::move(json_text);
  return r;
}

}  // namespace cutroom::server::api
