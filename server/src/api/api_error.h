// Errors as the API speaks them: every error response is
//   {"error": {"code": "not_found", "message": "...", "request_id": "..."}}
// with the matching HTTP status. Handlers return Status values; ErrorFromStatus maps the engine's
// codes to HTTP once, here.
#pragma once

#include <string>
#include <string_view>

#include "cutroom/status.h"
#include "http/http_server.h"

namespace cutroom::server::api {

struct ApiError {
  int http_status = 500;
  std::string code;  // machine-readable: "invalid_argument", "not_found", ...
  std::string message;
};

// InvalidArgument 400, NotFound 404, AlreadyExists 409, PermissionDenied 403, FailedPrecondition
// 409 (conflict), OutOfRange 416, ResourceExhausted 413, Unavailable 503, DeadlineExceeded 504,
// Unimplemented 501, Cancelled 409; anything else 500 with a generic message (the real one is
// logged, never shown: it may name server paths).
ApiError ErrorFromStatus(const Status& status);

http::Response ErrorResponse(const ApiError& error, std::string_view request_id);
http::Response ErrorResponse(int http_status, std::string_view code, std::string_view message,
                             std::string_view request_id);

// A JSON response (`json_text` is already serialised).
http::Response JsonResponse(int http_status, std::string json_text);

}  // namespace cutroom::server::api
