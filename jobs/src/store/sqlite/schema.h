// The SQLite schema as numbered migrations. A database records the versions applied in
// `schema_migrations`; opening applies the missing ones in one transaction each. Never edit a
// shipped migration: add the next one.
#pragma once

#include "store/sqlite/sqlite_db.h"

namespace cutroom::jobs::sqlite {

inline constexpr int kSchemaVersion = 4;

// The highest applied version (0 for an empty database).
Result<int> SchemaVersion(Db& db);

// Applies migrations up to `target_version` (tests build older databases with it). Safe when
// several processes open the same new database at once. FailedPrecondition when the database is
// newer than this program.
Status Migrate(Db& db, int target_version = kSchemaVersion);

}  // namespace cutroom::jobs::sqlite
