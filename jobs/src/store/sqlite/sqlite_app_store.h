// The embedded AppStore: the server's records in the same SQLite file as the jobs
// (SqliteJobStore), on a connection of its own. Like SqliteJobStore it is safe with several
// processes on one machine (every multi-statement write is a BEGIN IMMEDIATE transaction that waits
// up to the busy timeout for the lock) and with several threads sharing one store (calls are
// serialised by a mutex).
//
// Times are never read from a clock here: they come in the records and `now_ms` arguments.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cutroom/jobs/app_store.h"
#include "store/sqlite/sqlite_job_store.h"  // SqliteStoreOptions
#include "thread_annotations.h"

namespace cutroom::jobs::sqlite {

class Db;

class SqliteAppStore final : public AppStore {
 public:
  // Opens or creates the database at `path` and applies missing migrations (the same ones as
  // SqliteJobStore: either store may open the file first). Errors: unreadable or corrupt file
  // (DataLoss), a database newer than this program (FailedPrecondition).
  static Result<std::unique_ptr<SqliteAppStore>> Open(const std::string& path,
                                                      const SqliteStoreOptions& options = {});
  ~SqliteAppStore() override;

  Result<int64_t> CreateUser(const User& user) override;
  Result<User> GetUser(int64_t id) override;
  Result<std::optional<User>> FindUserByEmail(const std::string& email) override;
  Result<int64_t> CountUsers() override;
  Status CreateSession(const Session& session) override;
  Result<std::optional<Session>> FindSession(const std::string& token_hash,
                                             int64_t now_ms) override;
  Status DeleteSession(const std::string& token_hash) override;

  Result<int64_t> CreateApiToken(const ApiToken& token) override;
  Result<std::optional<ApiToken>> UseApiToken(const std::string& token_hash,
                                              int64_t now_ms) override;
  Result<std::vector<ApiToken>> ListApiTokens(int64_t user_id) override;
  Status RevokeApiToken(int64_t user_id, int64_t token_id, int64_t now_ms) override;

  Result<int64_t> CreateWorkspace(const std::string& name, int64_t owner_user_id,
                                  int64_t now_ms) override;
  Result<Workspace> GetWorkspace(int64_t id) override;
  Result<std::vector<std::pair<Workspace, Role>>> ListWorkspacesOf(int64_t user_id) override;
  Result<std::optional<Role>> GetRole(int64_t workspace_id, int64_t user_id) override;
  Status AddMember(int64_t workspace_id, int64_t user_id, Role role, int64_t now_ms) override;
  Status SetMemberRole(int64_t workspace_id, int64_t user_id, Role role) override;
  Status RemoveMember(int64_t workspace_id, int64_t user_id) override;
  Result<std::vector<Member>> ListMembers(int64_t workspace_id) override;

  Result<int64_t> CreateUpload(const Upload& upload) override;
  Result<Upload> GetUpload(int64_t workspace_id, int64_t id) override;
  Result<std::vector<Upload>> ListUploads(int64_t workspace_id, int limit,
                                          int64_t after_id) override;
  Status UpdateUpload(const Upload& upload) override;
  Status DeleteUpload(int64_t workspace_id, int64_t id) override;

  Result<int64_t> CreateBrand(const Brand& brand) override;
  Result<Brand> GetBrand(int64_t workspace_id, int64_t id) override;
  Result<std::vector<Brand>> ListBrands(int64_t workspace_id) override;
  Status UpdateBrand(const Brand& brand) override;
  Status DeleteBrand(int64_t workspace_id, int64_t id) override;

  Status PutClipEdit(const ClipEdit& edit) override;
  Result<std::optional<ClipEdit>> GetClipEdit(int64_t workspace_id,
                                              const std::string& clip_id) override;
  Result<int64_t> AddReview(const Review& review) override;
  Result<std::vector<Review>> ListReviews(int64_t workspace_id,
                                          const std::string& clip_id) override;

  Status AppendAudit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> ListAudit(int64_t workspace_id, int limit,
                                            int64_t before_id) override;

 private:
  explicit SqliteAppStore(std::unique_ptr<Db> db);

  // The Db wrapper maps every constraint failure to AlreadyExists. Call right after a failed
  // write (before another statement runs) to tell them apart: a taken unique key stays
  // AlreadyExists with `taken` as message, a missing parent row (foreign key) becomes NotFound with
  // `missing`, a CHECK or NOT NULL failure InvalidArgument. Other errors pass through.
  Status WriteError(const Status& status, std::string_view taken, std::string_view missing)
      CR_REQUIRES(mu_);
  // The role of a member, nullopt when not a member. REQUIRES: mu_ held.
  Result<std::optional<Role>> LoadRole(int64_t workspace_id, int64_t user_id) CR_REQUIRES(mu_);
  // NotFound unless the row exists. REQUIRES: mu_ held.
  Status CheckUserExists(int64_t user_id) CR_REQUIRES(mu_);
  Status CheckWorkspaceExists(int64_t workspace_id) CR_REQUIRES(mu_);
  // FailedPrecondition when taking the owner role from `user_id` would leave the workspace with no
  // owner. REQUIRES: mu_ held and a write transaction open.
  Status CheckNotLastOwner(int64_t workspace_id, int64_t user_id) CR_REQUIRES(mu_);

  std::mutex mu_;
  std::unique_ptr<Db> db_ CR_GUARDED_BY(mu_);
};

}  // namespace cutroom::jobs::sqlite
