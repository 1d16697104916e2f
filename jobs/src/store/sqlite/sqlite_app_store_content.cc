// Workspace content of the SQLite AppStore: uploads, brands, clip edits, reviews, and the audit
// log. Every lookup of a workspace's resource filters on the workspace id too, so an id from
// another workspace is NotFound, never someone else's record.
#include <limits>

#include "store/sqlite/sqlite_app_store.h"
#include "store/sqlite/sqlite_db.h"

namespace cutroom::jobs::sqlite {
namespace {

constexpr int kMaxPage = 1000;

Status CheckPage(int limit, int64_t cursor) {
  if (limit < 1 || limit > kMaxPage) {
    return InvalidArgumentError("page limit must be 1.." + std::to_string(kMaxPage));
  }
  if (cursor < 0) return InvalidArgumentError("page cursor must be >= 0");
  return Status::Ok();
}

// A page cursor as an exclusive upper bound on ids: 0 (the first page) means no bound.
int64_t IdBound(int64_t cursor) {
  return cursor == 0 ? std::numeric_limits<int64_t>::max() : cursor;
}

std::string InWorkspace(std::string_view what, int64_t id, int64_t workspace_id) {
  return "no " + std::string(what) + " " + std::to_string(id) + " in workspace " +
         std::to_string(workspace_id);
}

std::string NoWorkspace(int64_t workspace_id) {
  return "no workspace " + std::to_string(workspace_id);
}

std::string NoWorkspaceOrUser(int64_t workspace_id, int64_t user_id) {
  return "no workspace " + std::to_string(workspace_id) + " or no user " + std::to_string(user_id);
}

// Columns: id, workspace_id, user_id, filename, stored_path, size_bytes, media_json, source_url,
// created_at.
Upload UploadFromRow(const Stmt& s) {
  Upload upload;
  upload.id = s.Int(0);
  upload.workspace_id = s.Int(1);
  upload.user_id = s.Int(2);
  upload.filename = s.Text(3);
  upload.stored_path = s.Text(4);
  upload.size_bytes = s.Int(5);
  upload.media_json = s.Text(6);
  upload.source_url = s.Text(7);
  upload.created_at_ms = s.Int(8);
  return upload;
}

// Columns: id, workspace_id, name, settings_json, created_at, updated_at.
Brand BrandFromRow(const Stmt& s) {
  Brand brand;
  brand.id = s.Int(0);
  brand.workspace_id = s.Int(1);
  brand.name = s.Text(2);
  brand.settings_json = s.Text(3);
  brand.created_at_ms = s.Int(4);
  brand.updated_at_ms = s.Int(5);
  return brand;
}

Status CheckBrandName(const Brand& brand) {
  if (brand.name.empty()) return InvalidArgumentError("a brand needs a name");
  return Status::Ok();
}

std::string BrandNameTaken(const Brand& brand) {
  return "workspace " + std::to_string(brand.workspace_id) + " already has a brand named '" +
         brand.name + "'";
}

}  // namespace

// --- uploads -----------------------------------------------------------------------------------

Result<int64_t> SqliteAppStore::CreateUpload(const Upload& upload) {
  if (upload.stored_path.empty()) return InvalidArgumentError("an upload needs a stored path");
  if (upload.size_bytes < 0) return InvalidArgumentError("an upload's size must be >= 0");
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(
      auto s, db_->Prepare("INSERT INTO uploads(workspace_id, user_id, filename, stored_path, "
                           "size_bytes, media_json, source_url, created_at) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  Status st = s->Bind(1, upload.workspace_id)
                  .Bind(2, upload.user_id)
                  .Bind(3, upload.filename)
                  .Bind(4, upload.stored_path)
                  .Bind(5, upload.size_bytes)
                  .Bind(6, upload.media_json)
                  .Bind(7, upload.source_url)
                  .Bind(8, upload.created_at_ms)
                  .Run();
  CR_RETURN_IF_ERROR(
      WriteError(st, "upload exists", NoWorkspaceOrUser(upload.workspace_id, upload.user_id)));
  return db_->LastInsertId();
}

Result<Upload> SqliteAppStore::GetUpload(int64_t workspace_id, int64_t id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s,
                      db_->Prepare("SELECT id, workspace_id, user_id, filename, stored_path, "
                                   "size_bytes, media_json, source_url, created_at FROM uploads "
                                   "WHERE id = ?1 AND workspace_id = ?2"));
  s->Bind(1, id).Bind(2, workspace_id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return NotFoundError(InWorkspace("upload", id, workspace_id));
  return UploadFromRow(*s);
}

// Newest first; `after_id` is the last id of the previous page (0 for the first), as in ListJobs.
Result<std::vector<Upload>> SqliteAppStore::ListUploads(int64_t workspace_id, int limit,
                                                        int64_t after_id) {
  CR_RETURN_IF_ERROR(CheckPage(limit, after_id));
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s,
                      db_->Prepare("SELECT id, workspace_id, user_id, filename, stored_path, "
                                   "size_bytes, media_json, source_url, created_at FROM uploads "
                                   "WHERE workspace_id = ?1 AND id < ?2 "
                                   "ORDER BY id DESC LIMIT ?3"));
  s->Bind(1, workspace_id).Bind(2, IdBound(after_id)).Bind(3, limit);
  std::vector<Upload> out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(UploadFromRow(*s));
  }
  return out;
}

Status SqliteAppStore::DeleteUpload(int64_t workspace_id, int64_t id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s,
                      db_->Prepare("DELETE FROM uploads WHERE id = ?1 AND workspace_id = ?2"));
  CR_RETURN_IF_ERROR(s->Bind(1, id).Bind(2, workspace_id).Run());
  if (db_->Changes() == 0) return NotFoundError(InWorkspace("upload", id, workspace_id));
  return Status::Ok();
}

Status SqliteAppStore::UpdateUpload(const Upload& upload) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("UPDATE uploads SET filename = ?3, stored_path = ?4, size_bytes = ?5, "
                                           "media_json = ?6 WHERE id = ?1 AND workspace_id = ?2"));
  CR_RETURN_IF_ERROR(s->Bind(1, upload.id)
                         .Bind(2, upload.workspace_id)
                         .Bind(3, upload.filename)
                         .Bind(4, upload.stored_path)
                         .Bind(5, upload.size_bytes)
                         .Bind(6, upload.media_json)
                         .Run());
  if (db_->Changes() == 0) return NotFoundError(InWorkspace("upload", upload.id, upload.workspace_id));
  return Status::Ok();
}

// --- brands ------------------------------------------------------------------------------------

Result<int64_t> SqliteAppStore::CreateBrand(const Brand& brand) {
  CR_RETURN_IF_ERROR(CheckBrandName(brand));
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("INSERT INTO brands(workspace_id, name, settings_json, "
                                           "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
  int64_t updated = brand.updated_at_ms != 0 ? brand.updated_at_ms : brand.created_at_ms;
  Status st = s->Bind(1, brand.workspace_id)
                  .Bind(2, brand.name)
                  .Bind(3, brand.settings_json)
                  .Bind(4, brand.created_at_ms)
                  .Bind(5, updated)
                  .Run();
  CR_RETURN_IF_ERROR(WriteError(st, BrandNameTaken(brand), NoWorkspace(brand.workspace_id)));
  return db_->LastInsertId();
}

Result<Brand> SqliteAppStore::GetBrand(int64_t workspace_id, int64_t id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, workspace_id, name, settings_json, "
                                           "created_at, updated_at FROM brands "
                                           "WHERE id = ?1 AND workspace_id = ?2"));
  s->Bind(1, id).Bind(2, workspace_id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return NotFoundError(InWorkspace("brand", id, workspace_id));
  return BrandFromRow(*s);
}

Result<std::vector<Brand>> SqliteAppStore::ListBrands(int64_t workspace_id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, workspace_id, name, settings_json, "
                                           "created_at, updated_at FROM brands "
                                           "WHERE workspace_id = ?1 ORDER BY name, id"));
  s->Bind(1, workspace_id);
  std::vector<Brand> out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(BrandFromRow(*s));
  }
  return out;
}

Status SqliteAppStore::UpdateBrand(const Brand& brand) {
  CR_RETURN_IF_ERROR(CheckBrandName(brand));
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("UPDATE brands SET name = ?3, settings_json = ?4, "
                                           "updated_at = ?5 WHERE id = ?1 AND workspace_id = ?2"));
  Status st = s->Bind(1, brand.id)
                  .Bind(2, brand.workspace_id)
                  .Bind(3, brand.name)
                  .Bind(4, brand.settings_json)
                  .Bind(5, brand.updated_at_ms)
                  .Run();
  CR_RETURN_IF_ERROR(WriteError(st, BrandNameTaken(brand), NoWorkspace(brand.workspace_id)));
  if (db_->Changes() == 0) return NotFoundError(InWorkspace("brand", brand.id, brand.workspace_id));
  return Status::Ok();
}

Status SqliteAppStore::DeleteBrand(int64_t workspace_id, int64_t id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s,
                      db_->Prepare("DELETE FROM brands WHERE id = ?1 AND workspace_id = ?2"));
  CR_RETURN_IF_ERROR(s->Bind(1, id).Bind(2, workspace_id).Run());
  if (db_->Changes() == 0) return NotFoundError(InWorkspace("brand", id, workspace_id));
  return Status::Ok();
}

// --- clip edits and reviews --------------------------------------------------------------------

Status SqliteAppStore::PutClipEdit(const ClipEdit& edit) {
  if (edit.clip_id.empty()) return InvalidArgumentError("a clip edit needs a clip id");
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(
      auto s, db_->Prepare("INSERT INTO clip_edits(workspace_id, clip_id, title, description, "
                           "render_job_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                           "ON CONFLICT(workspace_id, clip_id) DO UPDATE SET "
                           "title = excluded.title, description = excluded.description, "
                           "render_job_id = excluded.render_job_id, "
                           "updated_at = excluded.updated_at"));
  Status st = s->Bind(1, edit.workspace_id)
                  .Bind(2, edit.clip_id)
                  .Bind(3, edit.title)
                  .Bind(4, edit.description)
                  .Bind(5, edit.render_job_id)
                  .Bind(6, edit.updated_at_ms)
                  .Run();
  return WriteError(st, "clip edit exists", NoWorkspace(edit.workspace_id));
}

Result<std::optional<ClipEdit>> SqliteAppStore::GetClipEdit(int64_t workspace_id,
                                                            const std::string& clip_id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT workspace_id, clip_id, title, description, "
                                           "render_job_id, updated_at FROM clip_edits "
                                           "WHERE workspace_id = ?1 AND clip_id = ?2"));
  s->Bind(1, workspace_id).Bind(2, clip_id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<ClipEdit>();
  ClipEdit edit;
  edit.workspace_id = s->Int(0);
  edit.clip_id = s->Text(1);
  edit.title = s->Text(2);
  edit.description = s->Text(3);
  edit.render_job_id = s->Int(4);
  edit.updated_at_ms = s->Int(5);
  return std::optional<ClipEdit>(std::move(edit));
}

Result<int64_t> SqliteAppStore::AddReview(const Review& review) {
  if (review.clip_id.empty()) return InvalidArgumentError("a review needs a clip id");
  if (review.decision == "reject") {
    if (review.reason.empty()) return InvalidArgumentError("a rejection needs a reason");
  } else if (review.decision == "approve") {
    if (!review.reason.empty()) return InvalidArgumentError("an approval has no reason code");
  } else {
    return InvalidArgumentError("a review's decision is 'approve' or 'reject', not '" +
                                review.decision + "'");
  }
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(
      auto s, db_->Prepare("INSERT INTO reviews(workspace_id, clip_id, user_id, decision, "
                           "reason, comment, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  Status st = s->Bind(1, review.workspace_id)
                  .Bind(2, review.clip_id)
                  .Bind(3, review.user_id)
                  .Bind(4, review.decision)
                  .Bind(5, review.reason)
                  .Bind(6, review.comment)
                  .Bind(7, review.created_at_ms)
                  .Run();
  CR_RETURN_IF_ERROR(
      WriteError(st, "review exists", NoWorkspaceOrUser(review.workspace_id, review.user_id)));
  return db_->LastInsertId();
}

Result<std::vector<Review>> SqliteAppStore::ListReviews(int64_t workspace_id,
                                                        const std::string& clip_id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, workspace_id, clip_id, user_id, decision, "
                                           "reason, comment, created_at FROM reviews "
                                           "WHERE workspace_id = ?1 AND clip_id = ?2 ORDER BY id"));
  s->Bind(1, workspace_id).Bind(2, clip_id);
  std::vector<Review> out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Review review;
    review.id = s->Int(0);
    review.workspace_id = s->Int(1);
    review.clip_id = s->Text(2);
    review.user_id = s->Int(3);
    review.decision = s->Text(4);
    review.reason = s->Text(5);
    review.comment = s->Text(6);
    review.created_at_ms = s->Int(7);
    out.push_back(std::move(review));
  }
  return out;
}

// --- audit log ---------------------------------------------------------------------------------

Status SqliteAppStore::AppendAudit(const AuditEntry& entry) {
  if (entry.action.empty()) return InvalidArgumentError("an audit entry needs an action");
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(
      auto s, db_->Prepare("INSERT INTO audit_log(at, user_id, workspace_id, action, target, "
                           "request_id, ip) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  return s->Bind(1, entry.at_ms)
      .Bind(2, entry.user_id)
      .Bind(3, entry.workspace_id)
      .Bind(4, entry.action)
      .Bind(5, entry.target)
      .Bind(6, entry.request_id)
      .Bind(7, entry.ip)
      .Run();
}

// `before_id` is the last id of the previous page (0 for the first).
Result<std::vector<AuditEntry>> SqliteAppStore::ListAudit(int64_t workspace_id, int limit,
                                                          int64_t before_id) {
  CR_RETURN_IF_ERROR(CheckPage(limit, before_id));
  std::lock_guard lock(mu_);
  // Two statements rather than "?1 = 0 OR workspace_id = ?1", which would keep SQLite from using
  // the index for one workspace.
  CR_ASSIGN_OR_RETURN(auto s,
                      workspace_id == 0
                          ? db_->Prepare("SELECT id, at, user_id, workspace_id, action, target, "
                                         "request_id, ip FROM audit_log WHERE id < ?2 "
                                         "ORDER BY id DESC LIMIT ?3")
                          : db_->Prepare("SELECT id, at, user_id, workspace_id, action, target, "
                                         "request_id, ip FROM audit_log WHERE workspace_id = ?1 "
                                         "AND id < ?2 ORDER BY id DESC LIMIT ?3"));
  if (workspace_id != 0) s->Bind(1, workspace_id);
  s->Bind(2, IdBound(before_id)).Bind(3, limit);
  std::vector<AuditEntry> out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    AuditEntry entry;
    entry.id = s->Int(0);
    entry.at_ms = s->Int(1);
    entry.user_id = s->Int(2);
    entry.workspace_id = s->Int(3);
    entry.action = s->Text(4);
    entry.target = s->Text(5);
    entry.request_id = s->Text(6);
    entry.ip = s->Text(7);
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace cutroom::jobs::sqlite
