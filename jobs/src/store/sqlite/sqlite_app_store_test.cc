// The SQLite AppStore: the AppStore contract, plus what only the shared file database has: the
// upgrade of a job database from before the app tables, and the job store beside it on one file.
#include "store/sqlite/sqlite_app_store.h"

#include <gtest/gtest.h>

#include "store/app_store_contract_test.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_job_store.h"

namespace cutroom::jobs {
namespace {

struct SqliteAppStoreFactory {
  static std::unique_ptr<AppStore> Make(const std::string& dir) {
    auto store = sqlite::SqliteAppStore::Open(dir + "/cutroom.db");
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
};

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, AppStoreContractTest,
                               ::testing::Types<SqliteAppStoreFactory>);

namespace sqlite {
namespace {

TEST(SqliteAppStoreMigration, UpgradingAVersion2DatabaseKeepsItsJobs) {
  cutroom::testing::TempDir dir;
  std::string path = dir.File("cutroom.db");
  {
    auto db = Db::Open(path, 1000);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    ASSERT_TRUE(Migrate(**db, 2).ok());
    Status written = (*db)->Exec(R"sql(
      INSERT INTO jobs(id, kind, state, workspace_id, created_at, updated_at)
        VALUES (5, 'render', 'queued', '1', 1000, 1000);
      INSERT INTO steps(job_id, name, state) VALUES (5, 'probe', 'pending');
    )sql");
    ASSERT_TRUE(written.ok()) << written.ToString();
  }
  auto app = SqliteAppStore::Open(path);
  ASSERT_TRUE(app.ok()) << app.status().ToString();
  auto user = (*app)->CreateUser({0, "ann@example.com", "Ann", "", 1});
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_TRUE((*app)->CreateWorkspace("Studio", *user, 1).ok());

  SystemClock clock;
  auto jobs = SqliteJobStore::Open(path, clock);
  ASSERT_TRUE(jobs.ok()) << jobs.status().ToString();
  auto job = (*jobs)->GetJob(5);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->state, JobState::kQueued);
  EXPECT_EQ(job->steps.size(), 1u);
  auto counts = (*jobs)->CountJobsByState("1");
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->at(JobState::kQueued), 1);

  auto db = Db::Open(path, 1000);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*SchemaVersion(**db), kSchemaVersion);
}

TEST(SqliteAppStoreMigration, ADatabaseFromANewerCutroomIsRefused) {
  cutroom::testing::TempDir dir;
  std::string path = dir.File("cutroom.db");
  {
    auto db = Db::Open(path, 1000);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(Migrate(**db).ok());
    ASSERT_TRUE(
        (*db)->Exec("INSERT INTO schema_migrations(version, applied_at) VALUES (99, 0)").ok());
  }
  auto app = SqliteAppStore::Open(path);
  ASSERT_FALSE(app.ok());
  EXPECT_EQ(app.status().code(), StatusCode::kFailedPrecondition) << app.status().ToString();
}

// `cutroom serve` opens both stores on one file; neither may lock the other out.
TEST(SqliteAppStoreSharing, JobAndAppStoresWorkSideBySideOnOneFile) {
  cutroom::testing::TempDir dir;
  std::string path = dir.File("cutroom.db");
  SystemClock clock;
  auto jobs = SqliteJobStore::Open(path, clock);
  auto app = SqliteAppStore::Open(path);
  ASSERT_TRUE(jobs.ok() && app.ok());
  for (int i = 0; i < 20; ++i) {
    NewJob job;
    job.kind = "render";
    job.workspace_id = "1";
    job.steps = {{"only", {}}};
    ASSERT_TRUE((*jobs)->CreateJob(job).ok());
    AuditEntry entry;
    entry.at_ms = clock.NowMs();
    entry.action = "job.create";
    entry.target = "job:" + std::to_string(i);
    ASSERT_TRUE((*app)->AppendAudit(entry).ok());
  }
  EXPECT_EQ((*app)->ListAudit(0, 100, 0)->size(), 20u);
  EXPECT_EQ((*jobs)->CountJobsByState("")->at(JobState::kQueued), 20);
}

}  // namespace
}  // namespace sqlite
}  // namespace cutroom::jobs
