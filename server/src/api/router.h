// The route table of /api/v1: method + path pattern ("/api/v1/workspaces/{ws}/jobs/{id}") ->
// function, with what each route requires declared beside it, so that authentication, CSRF and
// authorisation are decided in one place (ApiHandler::Dispatch) and never inside a handler.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cutroom/jobs/app_store.h"
#include "cutroom/status.h"
#include "http/http_server.h"

namespace cutroom::server::api {

enum class Access {
  kInvalid = 0,
  kPublic,         // anyone (login, health)
  kUser,           // any signed-in user
  kWorkspaceRole,  // a member of the {ws} workspace with at least `min_role`
};

enum class AuthMethod { kInvalid = 0, kSession, kToken };

struct Principal {
  jobs::User user;
  AuthMethod method = AuthMethod::kInvalid;
  std::string session_hash;  // kSession: the session's token hash (logout)
  std::string csrf_token;    // kSession
};

// Everything a route function gets: the request, its id, the caller and the path parameters.
struct Call {
  Call(const http::Request& r, std::string id) : request(r), request_id(std::move(id)) {}

  const http::Request& request;
  std::string request_id;
  Principal principal;  // user.id == 0 for kPublic routes without credentials
  std::map<std::string, std::string, std::less<>> params;
  int64_t workspace_id = 0;  // kWorkspaceRole routes: the checked {ws}
  jobs::Role role = jobs::Role::kInvalid;

  // A path parameter as a positive id; InvalidArgument naming it otherwise.
  Result<int64_t> IdParam(std::string_view name) const;
  const std::string& Param(std::string_view name) const;
  // A query parameter as an integer in [min, max]; `fallback` when absent; InvalidArgument else.
  Result<int64_t> QueryInt(std::string_view name, int64_t fallback, int64_t min, int64_t max) const;
};

using RouteFunction = std::function<Result<http::Response>(Call&)>;

struct Route {
  std::string method;
  std::string pattern;
  std::string name;  // for metrics and logs: "GET /api/v1/workspaces/{ws}/jobs"
  Access access = Access::kInvalid;
  jobs::Role min_role = jobs::Role::kInvalid;
  RouteFunction function;
  bool file_body = false;  // the body is streamed to a file (uploads)
};

class Router {
 public:
  void Add(Route route);
  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> params;
    bool path_known = false;  // some route has this path (for 405 rather than 404)
  };
  Match Find(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace cutroom::server::api
