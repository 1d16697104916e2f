#include "store/sqlite/schema.h"

#include <array>
#include <string>

namespace cutroom::jobs::sqlite {
namespace {

// Version 1: the first release.
constexpr char kV1[] = R"sql(
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  state TEXT NOT NULL,
  inputs TEXT NOT NULL DEFAULT '{}',
  options TEXT NOT NULL DEFAULT '{}',
  workspace_id TEXT NOT NULL DEFAULT '',
  brand_id TEXT NOT NULL DEFAULT '',
  error_code TEXT NOT NULL DEFAULT 'OK',
  error_message TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  started_at INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_by_state ON jobs(state, id);
CREATE TABLE steps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3,
  timeout_ms INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_expires_at INTEGER NOT NULL DEFAULT 0,
  heartbeat_at INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER NOT NULL DEFAULT 0,
  finished_at INTEGER NOT NULL DEFAULT 0,
  duration_ms INTEGER NOT NULL DEFAULT 0,
  error_code TEXT NOT NULL DEFAULT 'OK',
  error_message TEXT NOT NULL DEFAULT '',
  progress REAL NOT NULL DEFAULT 0,
  progress_message TEXT NOT NULL DEFAULT '',
  outputs TEXT NOT NULL DEFAULT '[]',
  cache_key TEXT NOT NULL DEFAULT '',
  cache_hit INTEGER NOT NULL DEFAULT 0,
  UNIQUE (job_id, name)
);
CREATE TABLE step_deps (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  step TEXT NOT NULL,
  dep TEXT NOT NULL,
  PRIMARY KEY (job_id, step, dep)
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  step TEXT NOT NULL DEFAULT '',
  type TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  at INTEGER NOT NULL
);
CREATE INDEX events_by_job ON events(job_id, id);
CREATE TABLE cache (
  key TEXT PRIMARY KEY,
  step TEXT NOT NULL,
  outputs TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
);
)sql";

// Version 2: retry backoff (steps.not_before), CPU accounting, idempotency keys for the HTTP API,
// and indexes for the claim query.
constexpr char kV2[] = R"sql(
ALTER TABLE jobs ADD COLUMN cpu_seconds REAL NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs(idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_by_kind ON jobs(kind, id);
ALTER TABLE steps ADD COLUMN not_before INTEGER NOT NULL DEFAULT 0;
ALTER TABLE steps ADD COLUMN cpu_seconds REAL NOT NULL DEFAULT 0;
CREATE INDEX steps_by_state ON steps(state, not_before);
CREATE INDEX steps_by_lease ON steps(state, lease_expires_at);
)sql";

// Version 3: the server's own records (jobs/include/cutroom/jobs/app_store.h) and an index for
// per-workspace job listings and counts. E-mails are stored lowercase (the store lowercases them),
// so a plain UNIQUE is case-insensitive in effect. The audit log has no foreign keys on purpose:
// it outlives the users and workspaces it mentions, and 0 there means "none".
constexpr char kV3[] = R"sql(
CREATE INDEX jobs_by_workspace ON jobs(workspace_id, state);
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE INDEX sessions_by_expiry ON sessions(expires_at);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL DEFAULT 0,
  revoked_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_by_user ON api_tokens(user_id, id);
CREATE TABLE workspaces (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE members (
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin', 'owner')),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX members_by_user ON members(user_id, workspace_id);
CREATE TABLE uploads (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users(id),
  filename TEXT NOT NULL DEFAULT '',
  stored_path TEXT NOT NULL,
  size_bytes INTEGER NOT NULL DEFAULT 0,
  media_json TEXT NOT NULL DEFAULT '',
  source_url TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX uploads_by_workspace ON uploads(workspace_id, id);
CREATE TABLE brands (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  settings_json TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
CREATE TABLE clip_edits (
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  clip_id TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  render_job_id INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, clip_id)
);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  clip_id TEXT NOT NULL,
  user_id INTEGER NOT NULL REFERENCES users(id),
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
  reason TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX reviews_by_clip ON reviews(workspace_id, clip_id, id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  user_id INTEGER NOT NULL DEFAULT 0,
  workspace_id INTEGER NOT NULL DEFAULT 0,
  action TEXT NOT NULL,
  target TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_workspace ON audit_log(workspace_id, id);
)sql";

// v4: a counter that every change to a job row advances (triggers, so no code path can forget
// it): readers cache responses built from job rows and rebuild only when it moved.
constexpr const char* kV4 = R"sql(
CREATE TABLE jobs_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT INTO jobs_version(id, n) VALUES (1, 0);
CREATE TRIGGER jobs_version_insert AFTER INSERT ON jobs BEGIN UPDATE jobs_version SET n = n + 1; END;
CREATE TRIGGER jobs_version_update AFTER UPDATE ON jobs BEGIN UPDATE jobs_version SET n = n + 1; END;
CREATE TRIGGER jobs_version_delete AFTER DELETE ON jobs BEGIN UPDATE jobs_version SET n = n + 1; END;
)sql";

constexpr std::array<const char*, kSchemaVersion> kMigrations{kV1, kV2, kV3, kV4};

}  // namespace

Result<int> SchemaVersion(Db& db) {
  CR_RETURN_IF_ERROR(db.Exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
      "applied_at INTEGER NOT NULL)"));
  CR_ASSIGN_OR_RETURN(auto stmt, db.Prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  CR_ASSIGN_OR_RETURN(bool row, stmt->Step());
  return row ? static_cast<int>(stmt->Int(0)) : 0;
}

Status Migrate(Db& db, int target_version) {
  if (target_version < 1 || target_version > kSchemaVersion) {
    return InvalidArgumentError("schema version must be 1.." + std::to_string(kSchemaVersion));
  }
  for (int version = 1; version <= target_version; ++version) {
    // Each migration re-checks the version inside its own write transaction, so two processes
    // opening a new database at once apply it exactly once.
    CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(db));
    CR_ASSIGN_OR_RETURN(int current, SchemaVersion(db));
    if (current > kSchemaVersion) {
      return FailedPreconditionError("the job database has schema version " +
                                     std::to_string(current) + ", newer than this cutroom (" +
                                     std::to_string(kSchemaVersion) + "); upgrade cutroom");
    }
    if (current >= version) continue;
    CR_RETURN_IF_ERROR(db.Exec(kMigrations[version - 1])
                           .WithContext("schema migration to version " + std::to_string(version)));
    CR_ASSIGN_OR_RETURN(auto insert, db.Prepare("INSERT INTO schema_migrations(version, applied_at) "
                                                "VALUES (?1, CAST(strftime('%s','now') AS INTEGER) * 1000)"));
    CR_RETURN_IF_ERROR(insert->Bind(1, version).Run());
    insert.reset();
    CR_RETURN_IF_ERROR(txn->Commit());
  }
  return Status::Ok();
}

}  // namespace cutroom::jobs::sqlite
