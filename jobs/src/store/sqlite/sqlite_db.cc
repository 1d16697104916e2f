#include "store/sqlite/sqlite_db.h"

namespace cutroom::jobs::sqlite {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = std::string(what) + ": " + sqlite3_errstr(rc);
  if (db != nullptr && sqlite3_errmsg(db) != nullptr) {
    std::string detail = sqlite3_errmsg(db);
    if (detail != sqlite3_errstr(rc)) msg += " (" + detail + ")";
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return UnavailableError(msg);
    case SQLITE_FULL: return ResourceExhaustedError(msg);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return DataLossError(msg);
    case SQLITE_CONSTRAINT: return AlreadyExistsError(msg);
    case SQLITE_CANTOPEN: return NotFoundError(msg);
    case SQLITE_READONLY:
    case SQLITE_PERM: return PermissionDeniedError(msg);
    default: return InternalError(msg);
  }
}

Stmt& Stmt::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}
Stmt& Stmt::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}
Stmt& Stmt::Bind(int index, std::string_view value) {
  // A default string_view has a null data(), which SQLite would bind as NULL, not ''.
  const char* data = value.data() != nullptr ? value.data() : "";
  sqlite3_bind_text(stmt_, index, data, static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, rc, "sqlite");
}

Status Stmt::Run() {
  auto r = Step();
  if (!r.ok()) return r.status();
  return Status::Ok();
}

std::string Stmt::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  DbPtr db(raw);  // closed on every path, also when opening failed half-way
  if (rc != SQLITE_OK) return SqliteError(raw, rc, "open database " + path);
  sqlite3_busy_timeout(raw, busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);
  std::unique_ptr<Db> out(new Db(std::move(db)));
  // WAL: readers never block the writer and a crash cannot corrupt the file. NORMAL sync is safe
  // against application crashes (the ones we test); only power loss may lose the last commits.
  auto mode = out->Prepare("PRAGMA journal_mode=WAL");
  if (!mode.ok()) return mode.status().WithContext("open database " + path);
  auto row = (*mode)->Step();
  if (!row.ok()) return row.status().WithContext("open database " + path);
  if (!*row || (*mode)->Text(0) != "wal") {
    return UnavailableError("open database " + path + ": could not switch to WAL mode");
  }
  mode->reset();
  CR_RETURN_IF_ERROR(out->Exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
                         .WithContext("open database " + path));
  return out;
}

Status Db::Exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &err);
  sqlite3_free(err);  // the same text is in sqlite3_errmsg, which SqliteError reads
  if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, "sqlite");
  return Status::Ok();
}

Result<std::unique_ptr<Stmt>> Db::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    StmtPtr stmt(raw);
    if (rc != SQLITE_OK) return SqliteError(db_.get(), rc, "prepare");
    it = cache_.emplace(sql, std::move(stmt)).first;
  }
  return std::make_unique<Stmt>(db_.get(), it->second.get());
}

Result<std::unique_ptr<Transaction>> Transaction::Begin(Db& db) {
  CR_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  return std::unique_ptr<Transaction>(new Transaction(db));
}

Transaction::~Transaction() {
  if (!done_) (void)db_.Exec("ROLLBACK");
}

Status Transaction::Commit() {
  CR_RETURN_IF_ERROR(db_.Exec("COMMIT"));
  done_ = true;
  return Status::Ok();
}

}  // namespace cutroom::jobs::sqlite
