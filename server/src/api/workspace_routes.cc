// /api/v1/workspaces: workspaces, their members and roles, and the audit log.
#include "api/api_context.h"
#include "api/api_error.h"
#include "api/api_json.h"
#include "api/json_input.h"
#include "auth/password.h"

namespace cutroom::server::api {
namespace {

using nlohmann::json;
using jobs::Role;

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  return r;
}

Result<http::Response> ListWorkspaces(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(auto list, ctx.app.ListWorkspacesOf(call.principal.user.id));
  json items = json::array();
  for (const auto& [ws, role] : list) items.push_back(WorkspaceJson(ws, role));
  return JsonResponse(200, json{{"items", items}}.dump());
}

Result<http::Response> CreateWorkspace(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"name"}));
  CR_ASSIGN_OR_RETURN(std::string name, in.String("name", 100));
  CR_ASSIGN_OR_RETURN(int64_t id, ctx.app.CreateWorkspace(name, call.principal.user.id, ctx.NowMs()));
  CR_ASSIGN_OR_RETURN(jobs::Workspace ws, ctx.app.GetWorkspace(id));
  call.workspace_id = id;
  ctx.Audit(call, "workspace.create", "workspace:" + std::to_string(id));
  return JsonResponse(201, WorkspaceJson(ws, Role::kOwner).dump());
}

Result<http::Response> GetWorkspace(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(jobs::Workspace ws, ctx.app.GetWorkspace(call.workspace_id));
  return JsonResponse(200, WorkspaceJson(ws, call.role).dump());
}

Result<http::Response> ListMembers(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(std::vector<jobs::Member> members, ctx.app.ListMembers(call.workspace_id));
  json items = json::array();
  for (const jobs::Member& m : members) items.push_back(MemberJson(m));
  return JsonResponse(200, json{{"items", items}}.dump());
}

// Only an owner hands out or takes away ownership.
Status CheckCanGrant(const Call& call, Role granted, std::optional<Role> current) {
  bool touches_owner = granted == Role::kOwner || (current && *current == Role::kOwner);
  if (touches_owner && call.role != Role::kOwner) {
    return PermissionDeniedError("only an owner can grant or change the owner role");
  }
  return Status::Ok();
}

Result<http::Response> AddMember(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"email", "role", "password", "name"}));
  CR_ASSIGN_OR_RETURN(std::string email, in.String("email", 254));
  CR_ASSIGN_OR_RETURN(std::string role_name, in.String("role", 20));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> password, in.OptString("password", 1024));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> name, in.OptString("name", 200));
  CR_ASSIGN_OR_RETURN(Role role, jobs::ParseRole(role_name));
  CR_RETURN_IF_ERROR(CheckCanGrant(call, role, std::nullopt));
  for (char& ch : email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (email.find('@') == std::string::npos) return InvalidArgumentError("email is not an e-mail address");
  CR_ASSIGN_OR_RETURN(std::optional<jobs::User> user, ctx.app.FindUserByEmail(email));
  if (!user) {
    if (!password) return NotFoundError("no user " + email + "; give a password to create the account");
    jobs::User u;
    u.email = email;
    u.name = name.value_or(email);
    u.created_at_ms = ctx.NowMs();
    CR_ASSIGN_OR_RETURN(u.password_hash, auth::HashPassword(*password, ctx.options.password_cost));
    CR_ASSIGN_OR_RETURN(u.id, ctx.app.CreateUser(u));
    user = u;
  }
  CR_RETURN_IF_ERROR(ctx.app.AddMember(call.workspace_id, user->id, role, ctx.NowMs()));
  ctx.Audit(call, "member.add", "user:" + std::to_string(user->id));
  jobs::Member m{call.workspace_id, user->id, role, user->email, ctx.NowMs()};
  return JsonResponse(201, MemberJson(m).dump());
}

Result<http::Response> UpdateMember(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t user_id, call.IdParam("user"));
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"role"}));
  CR_ASSIGN_OR_RETURN(std::string role_name, in.String("role", 20));
  CR_ASSIGN_OR_RETURN(Role role, jobs::ParseRole(role_name));
  CR_ASSIGN_OR_RETURN(std::optional<Role> current, ctx.app.GetRole(call.workspace_id, user_id));
  if (!current) return NotFoundError("user " + std::to_string(user_id) + " is not a member");
  CR_RETURN_IF_ERROR(CheckCanGrant(call, role, current));
  CR_RETURN_IF_ERROR(ctx.app.SetMemberRole(call.workspace_id, user_id, role));
  ctx.Audit(call, "member.role", "user:" + std::to_string(user_id) + ":" + role_name);
  return NoContent();
}

Result<http::Response> RemoveMember(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t user_id, call.IdParam("user"));
  CR_ASSIGN_OR_RETURN(std::optional<Role> current, ctx.app.GetRole(call.workspace_id, user_id));
  if (!current) return NotFoundError("user " + std::to_string(user_id) + " is not a member");
  CR_RETURN_IF_ERROR(CheckCanGrant(call, Role::kViewer, current));
  CR_RETURN_IF_ERROR(ctx.app.RemoveMember(call.workspace_id, user_id));
  ctx.Audit(call, "member.remove", "user:" + std::to_string(user_id));
  return NoContent();
}

Result<http::Response> ListAudit(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t limit, call.QueryInt("limit", 50, 1, 500));
  CR_ASSIGN_OR_RETURN(int64_t before, call.QueryInt("before", 0, 0, INT64_MAX));
  CR_ASSIGN_OR_RETURN(auto entries, ctx.app.ListAudit(call.workspace_id, static_cast<int>(limit), before));
  json items = json::array();
  for (const auto& e : entries) items.push_back(AuditJson(e));
  json body = {{"items", items}};
  if (static_cast<int64_t>(entries.size()) == limit) body["next_before"] = entries.back().id;
  return JsonResponse(200, body.dump());
}

}  // namespace

void AddWorkspaceRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  auto add = [&](const char* method, const char* pattern, Access access, Role role,
                 Result<http::Response> (*fn)(ApiContext&, Call&)) {
    router.Add({method, pattern, "", access, role, [c, fn](Call& call) { return fn(*c, call); }});
  };
  add("GET", "/api/v1/workspaces", Access::kUser, Role::kInvalid, ListWorkspaces);
  add("POST", "/api/v1/workspaces", Access::kUser, Role::kInvalid, CreateWorkspace);
  add("GET", "/api/v1/workspaces/{ws}", Access::kWorkspaceRole, Role::kViewer, GetWorkspace);
  add("GET", "/api/v1/workspaces/{ws}/members", Access::kWorkspaceRole, Role::kViewer, ListMembers);
  add("POST", "/api/v1/workspaces/{ws}/members", Access::kWorkspaceRole, Role::kAdmin, AddMember);
  add("PATCH", "/api/v1/workspaces/{ws}/members/{user}", Access::kWorkspaceRole, Role::kAdmin, UpdateMember);
  add("DELETE", "/api/v1/workspaces/{ws}/members/{user}", Access::kWorkspaceRole, Role::kAdmin, RemoveMember);
  add("GET", "/api/v1/workspaces/{ws}/audit", Access::kWorkspaceRole, Role::kAdmin, ListAudit);
}

}  // namespace cutroom::server::api
