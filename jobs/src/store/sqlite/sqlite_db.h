// A thin C++ wrapper over the sqlite3 C API: RAII handles, prepared-statement cache, IMMEDIATE
// transactions, SQLite result codes mapped to Status codes. The only header that includes
// sqlite3.h, and it is private to jobs/src/store/sqlite/.
//
// Thread safety: none; the owner (SqliteJobStore) serialises access with its mutex.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cutroom/status.h"

namespace cutroom::jobs::sqlite {

struct DbDeleter {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtDeleter {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using DbPtr = std::unique_ptr<sqlite3, DbDeleter>;
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// Maps an SQLite result code to a Status: BUSY/LOCKED -> Unavailable, FULL -> ResourceExhausted,
// CORRUPT/NOTADB -> DataLoss, CONSTRAINT -> AlreadyExists, CANTOPEN -> NotFound, else Internal.
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// A prepared statement borrowed from the Db's cache; Reset on destruction so it can be reused.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // 1-based parameter indices, as in SQL's ?1.
  Stmt& Bind(int index, int64_t value);
  Stmt& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Stmt& Bind(int index, double value);
  Stmt& Bind(int index, std::string_view value);
  Stmt& BindNull(int index);
  // Runs until the next row: true for a row, false when done.
  Result<bool> Step();
  // Runs a statement that returns no rows.
  Status Run();

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  double Double(int column) const { return sqlite3_column_double(stmt_, column); }
  std::string Text(int column) const;
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Db {
 public:
  // Opens (creating) the database at `path` with WAL, a busy timeout and foreign keys on.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, int busy_timeout_ms);

  // Runs one or more statements with no results.
  Status Exec(std::string_view sql);
  // A cached prepared statement for `sql` (which must outlive the Db: use string literals).
  Result<std::unique_ptr<Stmt>> Prepare(const char* sql);
  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(db_.get()); }
  int Changes() const { return sqlite3_changes(db_.get()); }
  sqlite3* raw() const { return db_.get(); }

 private:
  explicit Db(DbPtr db) : db_(std::move(db)) {}
  DbPtr db_;  // declared first: destroyed last, after the cached statements are finalised
  std::map<const char*, StmtPtr> cache_;
};

// BEGIN IMMEDIATE on construction (takes the write lock up front, so two writers never deadlock
// upgrading read locks); ROLLBACK on destruction unless Commit() succeeded.
class Transaction {
 public:
  static Result<std::unique_ptr<Transaction>> Begin(Db& db);
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Db& db) : db_(db) {}
  Db& db_;
  bool done_ = false;
};

}  // namespace cutroom::jobs::sqlite
