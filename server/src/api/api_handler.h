// The server's http::Handler: request ids, rate limits, routing, authentication (session cookie
// with CSRF, or Bearer token), authorisation by workspace role (all decided here, from each
// route's declared Access), JSON errors, access logs and metrics; paths outside /api, /healthz,
// /readyz and /metrics are the web UI's static files with single-page-app fallback.
//
// Authorisation rules (one place):
//   kPublic         anyone;
//   kUser           any valid session or token, else 401;
//   kWorkspaceRole  the caller must be a member of {ws}: a non-member gets 404 (the workspace's
//                   existence is not revealed), a member below the route's role gets 403.
//   Cookie-authenticated writes (not GET/HEAD) need X-CSRF-Token equal to the session's token.
//
// Thread safety: safe from any thread (the http server calls it from many).
#pragma once

#include <string>

#include "api/api_context.h"
#include "api/rate_limiter.h"
#include "api/router.h"
#include "http/http_server.h"

namespace cutroom::server::api {

class ApiHandler final : public http::Handler {
 public:
  explicit ApiHandler(ApiContext& ctx);

  http::BodyPlan PlanBody(const http::Request& head) override;
  http::Response Handle(http::Request& request) override;
  http::Response MakeError(int status, std::string_view message, const http::Request* request) override;

  const Router& router() const { return router_; }

 private:
  // Fills call.principal / workspace / role, or returns the error response.
  std::optional<http::Response> Admit(const Route& route, Call& call);
  Result<std::optional<Principal>> Authenticate(const http::Request& request);
  http::Response Dispatch(http::Request& request, const std::string& request_id, std::string& route_name);
  http::Response ServeStatic(const http::Request& request, const std::string& request_id);

  ApiContext& ctx_;
  Router router_;
  RateLimiter ip_limiter_;
  RateLimiter token_limiter_;
};

// "cutroom_session=..." value from a Cookie header; "" when absent.
std::string SessionCookie(std::string_view cookie_header);

}  // namespace cutroom::server::api
