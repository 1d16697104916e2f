#include "api/api_handler.h"

#include <charconv>
#include <chrono>
#include <filesystem>

#include "api/api_error.h"
#include "api/file_response.h"
#include "auth/secrets.h"

namespace cutroom::server::api {
namespace {

bool IsRead(std::string_view method) { return method == "GET" || method == "HEAD"; }

// A client's X-Request-Id is kept when it is short and plain; otherwise a new one is made.
std::string RequestIdFor(const http::Request* request) {
  if (request != nullptr) {
    std::string_view given = request->Header("x-request-id");
    bool plain = !given.empty() && given.size() <= 64;
    for (char c : given) plain = plain && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
    if (plain) return std::string(given);
  }
  return "req_" + auth::RandomToken(12);
}

std::string BearerToken(std::string_view authorization) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size()) return "";
  std::string_view scheme = authorization.substr(0, kBearer.size());
  bool match = true;
  for (size_t i = 0; i < kBearer.size(); ++i) {
    match = match && std::tolower(static_cast<unsigned char>(scheme[i])) ==
                         std::tolower(static_cast<unsigned char>(kBearer[i]));
  }
  return match ? std::string(authorization.substr(kBearer.size())) : "";
}

}  // namespace

std::string SessionCookie(std::string_view cookie_header) {
  constexpr std::string_view kName = "cutroom_session=";
  size_t i = 0;
  while (i < cookie_header.size()) {
    while (i < cookie_header.size() && (cookie_header[i] == ' ' || cookie_header[i] == ';')) ++i;
    size_t end = cookie_header.find(';', i);
    if (end == std::string_view::npos) end = cookie_header.size();
    std::string_view part = cookie_header.substr(i, end - i);
    if (part.substr(0, kName.size()) == kName) return std::string(part.substr(kName.size()));
    i = end;
  }
  return "";
}

void ApiContext::Audit(const Call& call, std::string action, std::string target) const {
  jobs::AuditEntry entry;
  entry.at_ms = NowMs();
  entry.user_id = call.principal.user.id;
  entry.workspace_id = call.workspace_id;
  entry.action = std::move(action);
  entry.target = std::move(target);
  entry.request_id = call.request_id;
  entry.ip = call.request.remote_ip;
  Status s = app.AppendAudit(entry);
  if (!s.ok()) logger.Warn("audit log write failed", {{"error", s.ToString()}, {"request_id", call.request_id}});
}

ApiHandler::ApiHandler(ApiContext& ctx)
    : ctx_(ctx), ip_limiter_(ctx.clock, ctx.options.per_ip), token_limiter_(ctx.clock, ctx.options.per_token) {
  AddSystemRoutes(router_, ctx_);
  AddAuthRoutes(router_, ctx_);
  AddWorkspaceRoutes(router_, ctx_);
  AddUploadRoutes(router_, ctx_);
  AddJobRoutes(router_, ctx_);
  AddClipRoutes(router_, ctx_);
  AddBrandRoutes(router_, ctx_);
}

Result<std::optional<Principal>> ApiHandler::Authenticate(const http::Request& request) {
  const int64_t now = ctx_.NowMs();
  Principal p;
  std::string bearer = BearerToken(request.Header("authorization"));
  if (!bearer.empty()) {
    // API tokens start with "crt_"; anything else can only be a session token.
    std::string hash = auth::Sha256Hex(bearer);
    int64_t user_id = 0;
    if (bearer.starts_with("crt_")) {
      CR_ASSIGN_OR_RETURN(std::optional<jobs::ApiToken> token, ctx_.app.UseApiToken(hash, now));
      if (!token) return std::optional<Principal>();
      user_id = token->user_id;
    } else {
      CR_ASSIGN_OR_RETURN(std::optional<jobs::Session> session, ctx_.app.FindSession(hash, now));
      if (!session) return std::optional<Principal>();
      user_id = session->user_id;
      p.session_hash = hash;
    }
    CR_ASSIGN_OR_RETURN(p.user, ctx_.app.GetUser(user_id));
    p.method = AuthMethod::kToken;
    return std::optional<Principal>(std::move(p));
  }
  std::string cookie = SessionCookie(request.Header("cookie"));
  if (cookie.empty()) return std::optional<Principal>();
  std::string hash = auth::Sha256Hex(cookie);
  CR_ASSIGN_OR_RETURN(std::optional<jobs::Session> session, ctx_.app.FindSession(hash, now));
  if (!session) return std::optional<Principal>();
  CR_ASSIGN_OR_RETURN(p.user, ctx_.app.GetUser(session->user_id));
  p.method = AuthMethod::kSession;
  p.session_hash = hash;
  p.csrf_token = session->csrf_token;
  return std::optional<Principal>(std::move(p));
}

std::optional<http::Response> ApiHandler::Admit(const Route& route, Call& call) {
  auto who = Authenticate(call.request);
  if (!who.ok()) {
    ctx_.logger.Error("authentication failed", {{"error", who.status().ToString()}, {"request_id", call.request_id}});
    return ErrorResponse(ErrorFromStatus(who.status()), call.request_id);
  }
  if (who->has_value()) call.principal = std::move(**who);
  if (route.access == Access::kPublic) return std::nullopt;
  if (call.principal.user.id == 0) {
    return ErrorResponse(401, "unauthenticated", "sign in first: a session cookie or an Authorization: Bearer token",
                         call.request_id);
  }
  if (call.principal.method == AuthMethod::kSession && !IsRead(call.request.method) &&
      !auth::ConstantTimeEquals(call.request.Header("x-csrf-token"), call.principal.csrf_token)) {
    return ErrorResponse(403, "csrf_failed", "missing or wrong X-CSRF-Token header (from the login response)",
                         call.request_id);
  }
  if (route.access == Access::kUser) return std::nullopt;
  auto ws = call.IdParam("ws");
  if (!ws.ok()) return ErrorResponse(ErrorFromStatus(ws.status()), call.request_id);
  auto role = ctx_.app.GetRole(*ws, call.principal.user.id);
  if (!role.ok()) return ErrorResponse(ErrorFromStatus(role.status()), call.request_id);
  if (!role->has_value()) {
    return ErrorResponse(404, "not_found", "workspace " + std::to_string(*ws) + " not found", call.request_id);
  }
  if (**role < route.min_role) {
    return ErrorResponse(403, "forbidden",
                         "this needs the " + std::string(jobs::RoleName(route.min_role)) + " role; you are " +
                             std::string(jobs::RoleName(**role)),
                         call.request_id);
  }
  call.workspace_id = *ws;
  call.role = **role;
  return std::nullopt;
}

http::BodyPlan ApiHandler::PlanBody(const http::Request& head) {
  http::BodyPlan plan;
  plan.mode = http::BodyMode::kMemory;
  plan.limit_bytes = ctx_.options.json_limit_bytes;
  Router::Match match = router_.Find(head.method, head.path);
  if (match.route == nullptr || !match.route->file_body) return plan;
  // Uploads are admitted before a byte of the body is read: nobody streams gigabytes to get a 401.
  std::string request_id = RequestIdFor(&head);
  Call call(head, request_id);
  call.params = match.params;
  if (auto denied = Admit(*match.route, call)) {
    plan.mode = http::BodyMode::kReject;
    plan.rejection = std::move(*denied);
    plan.rejection.SetHeader("X-Request-Id", request_id);
    return plan;
  }
  std::string_view length = head.Header("content-length");
  int64_t declared = 0;
  std::from_chars(length.data(), length.data() + length.size(), declared);
  if (declared > ctx_.options.upload_limit_bytes) {
    plan.mode = http::BodyMode::kReject;
    plan.rejection = ErrorResponse(413, "too_large",
                                   "uploads are limited to " + std::to_string(ctx_.options.upload_limit_bytes) + " bytes",
                                   request_id);
    plan.rejection.SetHeader("X-Request-Id", request_id);
    return plan;
  }
  std::error_code ec;
  std::filesystem::create_directories(ctx_.data.root + "/uploads/tmp", ec);
  plan.mode = http::BodyMode::kFile;
  plan.limit_bytes = ctx_.options.upload_limit_bytes;
  plan.file_path = ctx_.data.root + "/uploads/tmp/" + auth::RandomToken(16) + ".part";
  return plan;
}

http::Response ApiHandler::Dispatch(http::Request& request, const std::string& request_id, std::string& route_name) {
  Router::Match match = router_.Find(request.method, request.path);
  bool api = request.path.starts_with("/api/");
  if (match.route == nullptr && !api && !match.path_known) {
    route_name = "static";
    if (!IsRead(request.method)) return ErrorResponse(405, "method_not_allowed", "only GET here", request_id);
    auto file = StaticFileResponse(ctx_.options.web_dist, request.path, request.Header("range"));
    if (!file.ok()) return ErrorResponse(ErrorFromStatus(file.status()), request_id);
    return std::move(*file);
  }
  if (int64_t wait = ip_limiter_.Acquire("ip:" + request.remote_ip); wait > 0) {
    route_name = "rate_limited";
    http::Response r = ErrorResponse(429, "rate_limited", "too many requests from this address", request_id);
    r.SetHeader("Retry-After", std::to_string(wait));
    return r;
  }
  if (match.route == nullptr) {
    route_name = match.path_known ? "method_not_allowed" : "not_found";
    if (match.path_known) {
      return ErrorResponse(405, "method_not_allowed", request.method + " is not allowed on " + request.path, request_id);
    }
    return ErrorResponse(404, "not_found", "no route " + request.path.substr(0, 200), request_id);
  }
  const Route& route = *match.route;
  route_name = route.name;
  Call call(request, request_id);
  call.params = std::move(match.params);
  if (auto denied = Admit(route, call)) return std::move(*denied);
  if (call.principal.user.id != 0) {
    if (int64_t wait = token_limiter_.Acquire("user:" + std::to_string(call.principal.user.id)); wait > 0) {
      http::Response r = ErrorResponse(429, "rate_limited", "too many requests for this account", request_id);
      r.SetHeader("Retry-After", std::to_string(wait));
      return r;
    }
  }
  Result<http::Response> result = route.function(call);
  if (!result.ok()) {
    ApiError error = ErrorFromStatus(result.status());
    if (error.http_status >= 500) {
      ctx_.logger.Error("request failed", {{"request_id", request_id}, {"route", route.name},
                                           {"error", result.status().ToString()}});
    }
    return ErrorResponse(error, request_id);
  }
  return std::move(*result);
}

http::Response ApiHandler::Handle(http::Request& request) {
  auto start = std::chrono::steady_clock::now();
  std::string request_id = RequestIdFor(&request);
  std::string route_name = "unknown";
  http::Response response = Dispatch(request, request_id, route_name);
  response.SetHeader("X-Request-Id", request_id);
  if (!request.body_file.empty()) {
    std::error_code ec;
    std::filesystem::remove(request.body_file, ec);  // an upload a route did not keep
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ctx_.metrics.ObserveRequest(route_name, response.status, seconds);
  ctx_.logger.Info("request", {{"request_id", request_id},
                               {"method", request.method},
                               {"path", request.path.substr(0, 300)},
                               {"route", route_name},
                               {"status", std::to_string(response.status)},
                               {"ms", std::to_string(static_cast<int64_t>(seconds * 1000))},
                               {"ip", request.remote_ip}});
  return response;
}

http::Response ApiHandler::MakeError(int status, std::string_view message, const http::Request* request) {
  std::string code = status == 400   ? "bad_request"
                     : status == 408 ? "timeout"
                     : status == 413 ? "too_large"
                     : status == 431 ? "headers_too_large"
                     : status == 503 ? "unavailable"
                                     : "error";
  std::string request_id = RequestIdFor(request);
  http::Response r = ErrorResponse(status, code, message, request_id);
  r.SetHeader("X-Request-Id", request_id);
  ctx_.metrics.ObserveRequest("http_error", status, 0);
  return r;
}

}  // namespace cutroom::server::api
