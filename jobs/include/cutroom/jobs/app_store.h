// AppStore: the server's own records beside the jobs: users, login sessions, API tokens,
// workspaces and their members, uploads, brands, clip edits, reviews and the audit log. An
// interface so that SQLite (embedded) and PostgreSQL (cluster) stores are interchangeable; both
// must pass jobs/src/store/app_store_contract_test.h.
//
// Secrets are never stored: sessions and API tokens are kept as SHA-256 hex of the token, and
// passwords as an argon2id string made by the caller (server/src/auth).
//
// Errors: NotFound (unknown id), AlreadyExists (a unique key taken: e-mail, member, brand name),
// InvalidArgument (malformed), Unavailable (busy; retry), DataLoss (corrupt database).
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cutroom/status.h"

namespace cutroom::jobs {

enum class Role { kInvalid = 0, kViewer, kEditor, kAdmin, kOwner };  // ordered: more rights later
std::string_view RoleName(Role role);                                 // "viewer", ...
Result<Role> ParseRole(std::string_view name);

struct User {
  int64_t id = 0;
  std::string email;  // lowercase, unique
  std::string name;
  std::string password_hash;  // argon2id string; "" = cannot log in with a password
  int64_t created_at_ms = 0;
};

struct Session {
  std::string token_hash;  // sha256 hex of the cookie value
  int64_t user_id = 0;
  std::string csrf_token;  // sent to the client; required on cookie-authenticated writes
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

struct ApiToken {
  int64_t id = 0;
  int64_t user_id = 0;
  std::string name;
  std::string token_hash;  // sha256 hex
  std::string prefix;      // the token's first characters, shown in listings
  int64_t created_at_ms = 0;
  int64_t last_used_at_ms = 0;
  int64_t revoked_at_ms = 0;  // 0 = active
};

struct Workspace {
  int64_t id = 0;
  std::string name;
  int64_t created_at_ms = 0;
};

struct Member {
  int64_t workspace_id = 0;
  int64_t user_id = 0;
  Role role = Role::kInvalid;
  std::string email;  // filled by listings (joined from users)
  int64_t created_at_ms = 0;
};

struct Upload {
  int64_t id = 0;
  int64_t workspace_id = 0;
  int64_t user_id = 0;
  std::string filename;     // the client's name, sanitised; for display only
  std::string stored_path;  // absolute; a generated name under the data directory
  int64_t size_bytes = 0;
  // The upload's state as JSON text: {"state":"ready","media":{probe summary}},
  // {"state":"downloading"} (URL ingest in progress) or {"state":"failed","error":"..."}.
  std::string media_json;
  std::string source_url;   // "" for direct uploads
  int64_t created_at_ms = 0;
};

struct Brand {
  int64_t id = 0;
  int64_t workspace_id = 0;
  std::string name;           // unique within the workspace
  std::string settings_json;  // fonts, colours, logo, caption style, defaults (validated by the API)
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// A user's changes to a clip's text (the clip itself is an output of a clip job).
struct ClipEdit {
  int64_t workspace_id = 0;
  std::string clip_id;  // "<job id>-<clip number>"
  std::string title;
  std::string description;
  int64_t render_job_id = 0;  // the latest re-render job (trim, caption style, layout), 0 = none
  int64_t updated_at_ms = 0;
};

struct Review {
  int64_t id = 0;
  int64_t workspace_id = 0;
  std::string clip_id;
  int64_t user_id = 0;
  std::string decision;  // "approve" | "reject"
  std::string reason;    // reject: a code from the product vocabulary; approve: ""
  std::string comment;
  int64_t created_at_ms = 0;
};

struct AuditEntry {
  int64_t id = 0;
  int64_t at_ms = 0;
  int64_t user_id = 0;       // 0 = anonymous
  int64_t workspace_id = 0;  // 0 = none
  std::string action;        // "login", "job.create", "token.revoke", ...
  std::string target;        // "job:12", "user:3"
  std::string request_id;
  std::string ip;
};

class AppStore {
 public:
  virtual ~AppStore() = default;

  // --- Users and sessions ---------------------------------------------------------------------
  virtual Result<int64_t> CreateUser(const User& user) = 0;  // AlreadyExists for a taken e-mail
  virtual Result<User> GetUser(int64_t id) = 0;
  virtual Result<std::optional<User>> FindUserByEmail(const std::string& email) = 0;
  virtual Result<int64_t> CountUsers() = 0;
  virtual Status CreateSession(const Session& session) = 0;
  // The session if it exists and has not expired at `now_ms`.
  virtual Result<std::optional<Session>> FindSession(const std::string& token_hash, int64_t now_ms) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;

  // --- API tokens -----------------------------------------------------------------------------
  virtual Result<int64_t> CreateApiToken(const ApiToken& token) = 0;
  // Active (not revoked) token with that hash; records `now_ms` as its last use when the recorded
  // one is a minute old or more (a token used constantly costs no write per request).
  virtual Result<std::optional<ApiToken>> UseApiToken(const std::string& token_hash, int64_t now_ms) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokens(int64_t user_id) = 0;  // newest first
  // NotFound when the token is not the user's.
  virtual Status RevokeApiToken(int64_t user_id, int64_t token_id, int64_t now_ms) = 0;

  // --- Workspaces and members -----------------------------------------------------------------
  // Creates the workspace with `owner` as its owner.
  virtual Result<int64_t> CreateWorkspace(const std::string& name, int64_t owner_user_id, int64_t now_ms) = 0;
  virtual Result<Workspace> GetWorkspace(int64_t id) = 0;
  // The workspaces the user is a member of, with the user's role in each.
  virtual Result<std::vector<std::pair<Workspace, Role>>> ListWorkspacesOf(int64_t user_id) = 0;
  // The user's role in the workspace; nullopt when not a member.
  virtual Result<std::optional<Role>> GetRole(int64_t workspace_id, int64_t user_id) = 0;
  virtual Status AddMember(int64_t workspace_id, int64_t user_id, Role role, int64_t now_ms) = 0;
  virtual Status SetMemberRole(int64_t workspace_id, int64_t user_id, Role role) = 0;
  // FailedPrecondition when it would leave the workspace without an owner.
  virtual Status RemoveMember(int64_t workspace_id, int64_t user_id) = 0;
  virtual Result<std::vector<Member>> ListMembers(int64_t workspace_id) = 0;

  // --- Uploads --------------------------------------------------------------------------------
  virtual Result<int64_t> CreateUpload(const Upload& upload) = 0;
  // NotFound also when the upload belongs to another workspace.
  virtual Result<Upload> GetUpload(int64_t workspace_id, int64_t id) = 0;
  virtual Result<std::vector<Upload>> ListUploads(int64_t workspace_id, int limit, int64_t after_id) = 0;
  // Replaces filename, stored_path, size_bytes and media_json of the upload (id, workspace_id).
  virtual Status UpdateUpload(const Upload& upload) = 0;
  virtual Status DeleteUpload(int64_t workspace_id, int64_t id) = 0;

  // --- Brands ---------------------------------------------------------------------------------
  virtual Result<int64_t> CreateBrand(const Brand& brand) = 0;
  virtual Result<Brand> GetBrand(int64_t workspace_id, int64_t id) = 0;
  virtual Result<std::vector<Brand>> ListBrands(int64_t workspace_id) = 0;  // by name
  virtual Status UpdateBrand(const Brand& brand) = 0;  // name + settings_json + updated_at_ms
  virtual Status DeleteBrand(int64_t workspace_id, int64_t id) = 0;

  // --- Clip edits and reviews -----------------------------------------------------------------
  virtual Status PutClipEdit(const ClipEdit& edit) = 0;  // insert or replace
  virtual Result<std::optional<ClipEdit>> GetClipEdit(int64_t workspace_id, const std::string& clip_id) = 0;
  virtual Result<int64_t> AddReview(const Review& review) = 0;
  // Oldest first.
  virtual Result<std::vector<Review>> ListReviews(int64_t workspace_id, const std::string& clip_id) = 0;

  // --- Audit log ------------------------------------------------------------------------------
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  // Newest first; workspace_id 0 = every workspace.
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t workspace_id, int limit, int64_t before_id) = 0;
};

}  // namespace cutroom::jobs
