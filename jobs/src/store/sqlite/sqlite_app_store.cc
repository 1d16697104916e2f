// Users, sessions, API tokens, workspaces and members. Uploads, brands, clip edits, reviews and
// the audit log are in sqlite_app_store_content.cc.
#include "store/sqlite/sqlite_app_store.h"

#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_db.h"

namespace cutroom::jobs::sqlite {
namespace {

// E-mail addresses are compared in ASCII lowercase: "Ann@Example.com" and "ann@example.com" are
// one account. (Non-ASCII local parts are rare and compared as given.)
std::string LowerAscii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

bool IsValidRole(Role role) { return role >= Role::kViewer && role <= Role::kOwner; }

Status InvalidRole(Role role) {
  return InvalidArgumentError("invalid role " + std::to_string(static_cast<int>(role)));
}

std::string UserName(int64_t id) { return "user " + std::to_string(id); }
std::string WorkspaceName(int64_t id) { return "workspace " + std::to_string(id); }

constexpr char kSelectUserById[] =
    "SELECT id, email, name, password_hash, created_at FROM users WHERE id = ?1";
constexpr char kSelectUserByEmail[] =
    "SELECT id, email, name, password_hash, created_at FROM users WHERE email = ?1";

User UserFromRow(const Stmt& s) {
  User user;
  user.id = s.Int(0);
  user.email = s.Text(1);
  user.name = s.Text(2);
  user.password_hash = s.Text(3);
  user.created_at_ms = s.Int(4);
  return user;
}

// Columns: id, user_id, name, token_hash, prefix, created_at, last_used_at, revoked_at.
ApiToken TokenFromRow(const Stmt& s) {
  ApiToken token;
  token.id = s.Int(0);
  token.user_id = s.Int(1);
  token.name = s.Text(2);
  token.token_hash = s.Text(3);
  token.prefix = s.Text(4);
  token.created_at_ms = s.Int(5);
  token.last_used_at_ms = s.Int(6);
  token.revoked_at_ms = s.Int(7);
  return token;
}

}  // namespace

SqliteAppStore::SqliteAppStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

SqliteAppStore::~SqliteAppStore() = default;

Result<std::unique_ptr<SqliteAppStore>> SqliteAppStore::Open(const std::string& path,
                                                             const SqliteStoreOptions& options) {
  CR_ASSIGN_OR_RETURN(auto db, Db::Open(path, options.busy_timeout_ms));
  CR_RETURN_IF_ERROR(Migrate(*db).WithContext("app database " + path));
  return std::unique_ptr<SqliteAppStore>(new SqliteAppStore(std::move(db)));
}

// --- helpers -----------------------------------------------------------------------------------

Status SqliteAppStore::WriteError(const Status& status, std::string_view taken,
                                  std::string_view missing) {
  if (status.code() != StatusCode::kAlreadyExists) return status;
  switch (sqlite3_extended_errcode(db_->raw())) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return AlreadyExistsError(std::string(taken));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return NotFoundError(std::string(missing));
    default:
      return InvalidArgumentError(status.message());
  }
}

Result<std::optional<Role>> SqliteAppStore::LoadRole(int64_t workspace_id, int64_t user_id) {
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT role FROM members "
                                           "WHERE workspace_id = ?1 AND user_id = ?2"));
  s->Bind(1, workspace_id).Bind(2, user_id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Role>();
  CR_ASSIGN_OR_RETURN(Role role, ParseRole(s->Text(0)));
  return std::optional<Role>(role);
}

Status SqliteAppStore::CheckUserExists(int64_t user_id) {
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT 1 FROM users WHERE id = ?1"));
  s->Bind(1, user_id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? Status::Ok() : NotFoundError("no " + UserName(user_id));
}

Status SqliteAppStore::CheckWorkspaceExists(int64_t workspace_id) {
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT 1 FROM workspaces WHERE id = ?1"));
  s->Bind(1, workspace_id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? Status::Ok() : NotFoundError("no " + WorkspaceName(workspace_id));
}

Status SqliteAppStore::CheckNotLastOwner(int64_t workspace_id, int64_t user_id) {
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT COUNT(*) FROM members WHERE workspace_id = ?1 "
                                           "AND role = 'owner' AND user_id != ?2"));
  s->Bind(1, workspace_id).Bind(2, user_id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (row && s->Int(0) > 0) return Status::Ok();
  return FailedPreconditionError(UserName(user_id) + " is the last owner of " +
                                 WorkspaceName(workspace_id) + "; make another member owner first");
}

// --- users and sessions ------------------------------------------------------------------------

Result<int64_t> SqliteAppStore::CreateUser(const User& user) {
  std::string email = LowerAscii(user.email);
  if (email.empty()) return InvalidArgumentError("a user needs an e-mail address");
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("INSERT INTO users(email, name, password_hash, "
                                           "created_at) VALUES (?1, ?2, ?3, ?4)"));
  Status st = s->Bind(1, email)
                  .Bind(2, user.name)
                  .Bind(3, user.password_hash)
                  .Bind(4, user.created_at_ms)
                  .Run();
  CR_RETURN_IF_ERROR(WriteError(st, "a user with e-mail " + email + " already exists", ""));
  return db_->LastInsertId();
}

Result<User> SqliteAppStore::GetUser(int64_t id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(kSelectUserById));
  s->Bind(1, id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return NotFoundError("no " + UserName(id));
  return UserFromRow(*s);
}

Result<std::optional<User>> SqliteAppStore::FindUserByEmail(const std::string& email) {
  std::string lower = LowerAscii(email);
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(kSelectUserByEmail));
  s->Bind(1, lower);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<User>();
  return std::optional<User>(UserFromRow(*s));
}

Result<int64_t> SqliteAppStore::CountUsers() {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT COUNT(*) FROM users"));
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->Int(0) : 0;
}

Status SqliteAppStore::CreateSession(const Session& session) {
  if (session.token_hash.empty()) return InvalidArgumentError("a session needs a token hash");
  if (session.expires_at_ms <= session.created_at_ms) {
    return InvalidArgumentError("a session must expire after it is created");
  }
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  {
    // Expired sessions go when a new one comes, so the table does not grow with every login.
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("DELETE FROM sessions WHERE expires_at <= ?1"));
    CR_RETURN_IF_ERROR(s->Bind(1, session.created_at_ms).Run());
  }
  {
    CR_ASSIGN_OR_RETURN(auto s,
                        db_->Prepare("INSERT INTO sessions(token_hash, user_id, csrf_token, "
                                     "created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
    Status st = s->Bind(1, session.token_hash)
                    .Bind(2, session.user_id)
                    .Bind(3, session.csrf_token)
                    .Bind(4, session.created_at_ms)
                    .Bind(5, session.expires_at_ms)
                    .Run();
    CR_RETURN_IF_ERROR(WriteError(st, "a session with this token already exists",
                                  "no " + UserName(session.user_id)));
  }
  return txn->Commit();
}

Result<std::optional<Session>> SqliteAppStore::FindSession(const std::string& token_hash,
                                                           int64_t now_ms) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT token_hash, user_id, csrf_token, created_at, "
                                           "expires_at FROM sessions "
                                           "WHERE token_hash = ?1 AND expires_at > ?2"));
  s->Bind(1, token_hash).Bind(2, now_ms);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<Session>();
  Session session;
  session.token_hash = s->Text(0);
  session.user_id = s->Int(1);
  session.csrf_token = s->Text(2);
  session.created_at_ms = s->Int(3);
  session.expires_at_ms = s->Int(4);
  return std::optional<Session>(std::move(session));
}

// Deleting a session that is gone already is not an error: logging out twice is harmless.
Status SqliteAppStore::DeleteSession(const std::string& token_hash) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("DELETE FROM sessions WHERE token_hash = ?1"));
  return s->Bind(1, token_hash).Run();
}

// --- API tokens --------------------------------------------------------------------------------

Result<int64_t> SqliteAppStore::CreateApiToken(const ApiToken& token) {
  if (token.token_hash.empty()) return InvalidArgumentError("an API token needs a token hash");
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("INSERT INTO api_tokens(user_id, name, token_hash, "
                                           "prefix, created_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
  Status st = s->Bind(1, token.user_id)
                  .Bind(2, token.name)
                  .Bind(3, token.token_hash)
                  .Bind(4, token.prefix)
                  .Bind(5, token.created_at_ms)
                  .Run();
  CR_RETURN_IF_ERROR(WriteError(st, "an API token with this hash already exists",
                                "no " + UserName(token.user_id)));
  return db_->LastInsertId();
}

// A read, and a write only when the recorded last use is over a minute old: every API request
// authenticates, and taking the database's write lock for each would serialise all readers.
Result<std::optional<ApiToken>> SqliteAppStore::UseApiToken(const std::string& token_hash,
                                                            int64_t now_ms) {
  constexpr int64_t kLastUsedResolutionMs = 60'000;
  std::lock_guard lock(mu_);
  ApiToken token;
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, user_id, name, token_hash, prefix, created_at, "
                                             "last_used_at, revoked_at FROM api_tokens "
                                             "WHERE token_hash = ?1 AND revoked_at = 0"));
    s->Bind(1, token_hash);
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return std::optional<ApiToken>();
    token = TokenFromRow(*s);
  }
  if (now_ms - token.last_used_at_ms >= kLastUsedResolutionMs) {
    CR_ASSIGN_OR_RETURN(auto u, db_->Prepare("UPDATE api_tokens SET last_used_at = ?2 WHERE id = ?1"));
    CR_RETURN_IF_ERROR(u->Bind(1, token.id).Bind(2, now_ms).Run());
    token.last_used_at_ms = now_ms;
  }
  return std::optional<ApiToken>(std::move(token));
}

Result<std::vector<ApiToken>> SqliteAppStore::ListApiTokens(int64_t user_id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, user_id, name, token_hash, prefix, "
                                           "created_at, last_used_at, revoked_at FROM api_tokens "
                                           "WHERE user_id = ?1 ORDER BY id DESC"));
  s->Bind(1, user_id);
  std::vector<ApiToken> out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(TokenFromRow(*s));
  }
  return out;
}

// Revoking a revoked token again keeps the first revocation time and succeeds.
Status SqliteAppStore::RevokeApiToken(int64_t user_id, int64_t token_id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("UPDATE api_tokens SET revoked_at = "
                                           "CASE WHEN revoked_at = 0 THEN ?3 ELSE revoked_at END "
                                           "WHERE id = ?1 AND user_id = ?2"));
  CR_RETURN_IF_ERROR(s->Bind(1, token_id).Bind(2, user_id).Bind(3, now_ms).Run());
  if (db_->Changes() == 0) {
    return NotFoundError(UserName(user_id) + " has no API token " + std::to_string(token_id));
  }
  return Status::Ok();
}

// --- workspaces and members --------------------------------------------------------------------

Result<int64_t> SqliteAppStore::CreateWorkspace(const std::string& name, int64_t owner_user_id,
                                                int64_t now_ms) {
  if (name.empty()) return InvalidArgumentError("a workspace needs a name");
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_RETURN_IF_ERROR(CheckUserExists(owner_user_id));
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("INSERT INTO workspaces(name, created_at) "
                                             "VALUES (?1, ?2)"));
    CR_RETURN_IF_ERROR(s->Bind(1, name).Bind(2, now_ms).Run());
  }
  int64_t id = db_->LastInsertId();
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("INSERT INTO members(workspace_id, user_id, role, "
                                             "created_at) VALUES (?1, ?2, 'owner', ?3)"));
    CR_RETURN_IF_ERROR(s->Bind(1, id).Bind(2, owner_user_id).Bind(3, now_ms).Run());
  }
  CR_RETURN_IF_ERROR(txn->Commit());
  return id;
}

Result<Workspace> SqliteAppStore::GetWorkspace(int64_t id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, name, created_at FROM workspaces "
                                           "WHERE id = ?1"));
  s->Bind(1, id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return NotFoundError("no " + WorkspaceName(id));
  return Workspace{s->Int(0), s->Text(1), s->Int(2)};
}

Result<std::vector<std::pair<Workspace, Role>>> SqliteAppStore::ListWorkspacesOf(int64_t user_id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s,
                      db_->Prepare("SELECT w.id, w.name, w.created_at, m.role "
                                   "FROM members m JOIN workspaces w ON w.id = m.workspace_id "
                                   "WHERE m.user_id = ?1 ORDER BY w.id"));
  s->Bind(1, user_id);
  std::vector<std::pair<Workspace, Role>> out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    CR_ASSIGN_OR_RETURN(Role role, ParseRole(s->Text(3)));
    out.emplace_back(Workspace{s->Int(0), s->Text(1), s->Int(2)}, role);
  }
  return out;
}

Result<std::optional<Role>> SqliteAppStore::GetRole(int64_t workspace_id, int64_t user_id) {
  std::lock_guard lock(mu_);
  return LoadRole(workspace_id, user_id);
}

Status SqliteAppStore::AddMember(int64_t workspace_id, int64_t user_id, Role role, int64_t now_ms) {
  if (!IsValidRole(role)) return InvalidRole(role);
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_RETURN_IF_ERROR(CheckWorkspaceExists(workspace_id));
  CR_RETURN_IF_ERROR(CheckUserExists(user_id));
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("INSERT INTO members(workspace_id, user_id, role, "
                                             "created_at) VALUES (?1, ?2, ?3, ?4)"));
    Status st =
        s->Bind(1, workspace_id).Bind(2, user_id).Bind(3, RoleName(role)).Bind(4, now_ms).Run();
    CR_RETURN_IF_ERROR(WriteError(
        st, UserName(user_id) + " is already a member of " + WorkspaceName(workspace_id), ""));
  }
  return txn->Commit();
}

Status SqliteAppStore::SetMemberRole(int64_t workspace_id, int64_t user_id, Role role) {
  if (!IsValidRole(role)) return InvalidRole(role);
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_ASSIGN_OR_RETURN(std::optional<Role> current, LoadRole(workspace_id, user_id));
  if (!current) {
    return NotFoundError(UserName(user_id) + " is not a member of " + WorkspaceName(workspace_id));
  }
  if (*current == role) return Status::Ok();
  // Demoting the last owner would leave a workspace nobody can administer, like removing them.
  if (*current == Role::kOwner) CR_RETURN_IF_ERROR(CheckNotLastOwner(workspace_id, user_id));
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("UPDATE members SET role = ?3 "
                                             "WHERE workspace_id = ?1 AND user_id = ?2"));
    CR_RETURN_IF_ERROR(s->Bind(1, workspace_id).Bind(2, user_id).Bind(3, RoleName(role)).Run());
  }
  return txn->Commit();
}

Status SqliteAppStore::RemoveMember(int64_t workspace_id, int64_t user_id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_ASSIGN_OR_RETURN(std::optional<Role> current, LoadRole(workspace_id, user_id));
  if (!current) {
    return NotFoundError(UserName(user_id) + " is not a member of " + WorkspaceName(workspace_id));
  }
  if (*current == Role::kOwner) CR_RETURN_IF_ERROR(CheckNotLastOwner(workspace_id, user_id));
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("DELETE FROM members "
                                             "WHERE workspace_id = ?1 AND user_id = ?2"));
    CR_RETURN_IF_ERROR(s->Bind(1, workspace_id).Bind(2, user_id).Run());
  }
  return txn->Commit();
}

Result<std::vector<Member>> SqliteAppStore::ListMembers(int64_t workspace_id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT m.workspace_id, m.user_id, m.role, u.email, "
                                           "m.created_at FROM members m "
                                           "JOIN users u ON u.id = m.user_id "
                                           "WHERE m.workspace_id = ?1 "
                                           "ORDER BY m.created_at, m.user_id"));
  s->Bind(1, workspace_id);
  std::vector<Member> out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Member member;
    member.workspace_id = s->Int(0);
    member.user_id = s->Int(1);
    CR_ASSIGN_OR_RETURN(member.role, ParseRole(s->Text(2)));
    member.email = s->Text(3);
    member.created_at_ms = s->Int(4);
    out.push_back(std::move(member));
  }
  return out;
}

}  // namespace cutroom::jobs::sqlite
