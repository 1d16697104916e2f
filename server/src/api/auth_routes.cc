// /api/v1/auth/* and /api/v1/tokens: login (session cookie + bearer token), logout, the current
// user, first-run setup, API tokens.
#include <memory>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/api_json.h"
#include "api/json_input.h"
#include "auth/password.h"
#include "auth/secrets.h"

namespace cutroom::server::api {
namespace {

using nlohmann::json;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Status CheckEmail(const std::string& email) {
  size_t at = email.find('@');
  if (at == std::string::npos || at == 0 || at + 1 >= email.size() || email.find(' ') != std::string::npos) {
    return InvalidArgumentError("email is not an e-mail address");
  }
  return Status::Ok();
}

// Creates a session for `user` and the login response: the cookie for browsers, the same token
// for API clients, and the CSRF token cookie-authenticated writes must echo.
Result<http::Response> StartSession(ApiContext& ctx, const jobs::User& user, int status) {
  jobs::Session session;
  std::string token = auth::RandomToken(32);
  session.token_hash = auth::Sha256Hex(token);
  session.user_id = user.id;
  session.csrf_token = auth::RandomToken(18);
  session.created_at_ms = ctx.NowMs();
  session.expires_at_ms = session.created_at_ms + ctx.options.session_ttl_ms;
  CR_RETURN_IF_ERROR(ctx.app.CreateSession(session));
  json body = {{"token", token},
               {"csrf_token", session.csrf_token},
               {"expires_at_ms", session.expires_at_ms},
               {"user", UserJson(user)}};
  http::Response r = JsonResponse(status, body.dump());
  r.headers.emplace_back("Set-Cookie", "cutroom_session=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                                           std::to_string(ctx.options.session_ttl_ms / 1000) +
                                           (ctx.options.secure_cookies ? "; Secure" : ""));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Result<http::Response> Login(ApiContext& ctx, RateLimiter& failures, Call& call) {
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"email", "password"}));
  CR_ASSIGN_OR_RETURN(std::string email, in.String("email", 254));
  CR_ASSIGN_OR_RETURN(std::string password, in.String("password", 1024));
  const std::string key = "login:" + call.request.remote_ip;
  CR_ASSIGN_OR_RETURN(std::optional<jobs::User> user, ctx.app.FindUserByEmail(Lower(email)));
  bool ok = user && auth::VerifyPassword(password, user->password_hash);
  if (!ok) {
    jobs::AuditEntry entry{0, ctx.NowMs(), 0, 0, "login.failed", "email:" + Lower(email), call.request_id,
                           call.request.remote_ip};
    (void)ctx.app.AppendAudit(entry);
    if (int64_t wait = failures.Acquire(key); wait > 0) {
      http::Response r = ErrorResponse(429, "rate_limited", "too many failed logins; wait and try again", call.request_id);
      r.SetHeader("Retry-After", std::to_string(wait));
      return r;
    }
    return ErrorResponse(401, "invalid_credentials", "wrong e-mail or password", call.request_id);
  }
  call.principal.user = *user;
  ctx.Audit(call, "login", "user:" + std::to_string(user->id));
  return StartSession(ctx, *user, 200);
}

Result<http::Response> Setup(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"setup_token", "email", "password", "name"}));
  CR_ASSIGN_OR_RETURN(std::string token, in.String("setup_token", 200));
  CR_ASSIGN_OR_RETURN(std::string email, in.String("email", 254));
  CR_ASSIGN_OR_RETURN(std::string password, in.String("password", 1024));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> name, in.OptString("name", 200));
  CR_ASSIGN_OR_RETURN(int64_t users, ctx.app.CountUsers());
  if (users > 0 || ctx.options.setup_token_hash.empty()) {
    return FailedPreconditionError("setup is done; sign in instead");
  }
  if (!auth::ConstantTimeEquals(auth::Sha256Hex(token), ctx.options.setup_token_hash)) {
    return ErrorResponse(401, "invalid_credentials", "wrong setup token (printed by `cutroom serve` at start)",
                         call.request_id);
  }
  CR_RETURN_IF_ERROR(CheckEmail(email));
  jobs::User user;
  user.email = Lower(email);
  user.name = name.value_or(user.email);
  user.created_at_ms = ctx.NowMs();
  CR_ASSIGN_OR_RETURN(user.password_hash, auth::HashPassword(password, ctx.options.password_cost));
  CR_ASSIGN_OR_RETURN(user.id, ctx.app.CreateUser(user));
  CR_RETURN_IF_ERROR(ctx.app.CreateWorkspace("Default", user.id, ctx.NowMs()).status());
  call.principal.user = user;
  ctx.Audit(call, "setup", "user:" + std::to_string(user.id));
  return StartSession(ctx, user, 201);
}

Result<http::Response> Me(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(auto workspaces, ctx.app.ListWorkspacesOf(call.principal.user.id));
  json list = json::array();
  for (const auto& [ws, role] : workspaces) list.push_back(WorkspaceJson(ws, role));
  json body = {{"user", UserJson(call.principal.user)}, {"workspaces", list}};
  if (call.principal.method == AuthMethod::kSession) body["csrf_token"] = call.principal.csrf_token;
  return JsonResponse(200, body.dump());
}

Result<http::Response> Logout(ApiContext& ctx, Call& call) {
  if (!call.principal.session_hash.empty()) CR_RETURN_IF_ERROR(ctx.app.DeleteSession(call.principal.session_hash));
  ctx.Audit(call, "logout", "user:" + std::to_string(call.principal.user.id));
  http::Response r;
  r.status = 204;
  r.headers.emplace_back("Set-Cookie", "cutroom_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return r;
}

Result<http::Response> CreateToken(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"name"}));
  CR_ASSIGN_OR_RETURN(std::string name, in.String("name", 100));
  std::string secret = "crt_" + auth::RandomToken(32);
  jobs::ApiToken token;
  token.user_id = call.principal.user.id;
  token.name = name;
  token.token_hash = auth::Sha256Hex(secret);
  token.prefix = secret.substr(0, 10);
  token.created_at_ms = ctx.NowMs();
  CR_ASSIGN_OR_RETURN(token.id, ctx.app.CreateApiToken(token));
  ctx.Audit(call, "token.create", "token:" + std::to_string(token.id));
  json body = TokenJson(token);
  body["token"] = secret;  // shown once; only its hash is stored
  return JsonResponse(201, body.dump());
}

Result<http::Response> ListTokens(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(std::vector<jobs::ApiToken> tokens, ctx.app.ListApiTokens(call.principal.user.id));
  json items = json::array();
  for (const jobs::ApiToken& t : tokens) items.push_back(TokenJson(t));
  return JsonResponse(200, json{{"items", items}}.dump());
}

Result<http::Response> RevokeToken(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t id, call.IdParam("id"));
  CR_RETURN_IF_ERROR(ctx.app.RevokeApiToken(call.principal.user.id, id, ctx.NowMs()));
  ctx.Audit(call, "token.revoke", "token:" + std::to_string(id));
  http::Response r;
  r.status = 204;
  return r;
}

}  // namespace

void AddAuthRoutes(Router& router, ApiContext& ctx) {
  auto failures = std::make_shared<RateLimiter>(ctx.clock, ctx.options.login_per_ip);
  ApiContext* c = &ctx;
  router.Add({"POST", "/api/v1/auth/login", "", Access::kPublic, jobs::Role::kInvalid,
              [c, failures](Call& call) { return Login(*c, *failures, call); }});
  router.Add({"POST", "/api/v1/auth/setup", "", Access::kPublic, jobs::Role::kInvalid,
              [c](Call& call) { return Setup(*c, call); }});
  router.Add({"POST", "/api/v1/auth/logout", "", Access::kUser, jobs::Role::kInvalid,
              [c](Call& call) { return Logout(*c, call); }});
  router.Add({"GET", "/api/v1/auth/me", "", Access::kUser, jobs::Role::kInvalid,
              [c](Call& call) { return Me(*c, call); }});
  router.Add({"GET", "/api/v1/tokens", "", Access::kUser, jobs::Role::kInvalid,
              [c](Call& call) { return ListTokens(*c, call); }});
  router.Add({"POST", "/api/v1/tokens", "", Access::kUser, jobs::Role::kInvalid,
              [c](Call& call) { return CreateToken(*c, call); }});
  router.Add({"DELETE", "/api/v1/tokens/{id}", "", Access::kUser, jobs::Role::kInvalid,
              [c](Call& call) { return RevokeToken(*c, call); }});
}

}  // namespace cutroom::server::api
