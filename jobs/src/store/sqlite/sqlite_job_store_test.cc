// The SQLite store: the JobStore contract, plus what only a file database has: migrations from
// older files, several processes sharing one file.
#include "store/sqlite/sqlite_job_store.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "store/job_store_contract_test.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_db.h"

namespace cutroom::jobs {
namespace {

struct SqliteFactory {
  static std::unique_ptr<JobStore> Make(const std::string& dir, const Clock& clock) {
    auto store = sqlite::SqliteJobStore::Open(dir + "/cutroom.db", clock);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }
};

}  // namespace

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, JobStoreContractTest, ::testing::Types<SqliteFactory>);

namespace sqlite {
namespace {

// A database as version 1 of cutroom left it: schema v1 and a job written with v1's columns.
void MakeVersion1Database(const std::string& path) {
  auto db = Db::Open(path, 1000);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE(Migrate(**db, 1).ok());
  ASSERT_TRUE((*db)->Exec(R"sql(
    INSERT INTO jobs(id, kind, state, inputs, options, created_at, updated_at, started_at,
                     finished_at)
      VALUES (7, 'render', 'completed', '{"timeline":"/data/t.json"}', '{"output":"/data/o.mp4"}',
              1000, 2000, 1100, 2000);
    INSERT INTO steps(job_id, name, state, attempts, outputs, cache_key)
      VALUES (7, 'probe', 'succeeded', 1, '[{"name":"probe.json","sha256":"aa","size":5}]', 'k1');
    INSERT INTO steps(job_id, name, state, attempts) VALUES (7, 'render', 'succeeded', 2);
    INSERT INTO step_deps(job_id, step, dep) VALUES (7, 'render', 'probe');
    INSERT INTO jobs(id, kind, state, created_at, updated_at) VALUES (8, 'render', 'queued', 3000, 3000);
    INSERT INTO steps(job_id, name, state) VALUES (8, 'probe', 'pending');
  )sql").ok());
  auto version = SchemaVersion(**db);
  ASSERT_TRUE(version.ok());
  ASSERT_EQ(*version, 1);
}

TEST(SqliteMigration, UpgradingAVersion1DatabaseKeepsItsJobs) {
  cutroom::testing::TempDir dir;
  std::string path = dir.File("cutroom.db");
  MakeVersion1Database(path);
  SystemClock clock;
  auto store = SqliteJobStore::Open(path, clock);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto job = (*store)->GetJob(7);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->state, JobState::kCompleted);
  EXPECT_EQ(job->inputs.at("timeline"), "/data/t.json");
  EXPECT_EQ(job->options.at("output"), "/data/o.mp4");
  EXPECT_EQ(job->cpu_seconds, 0.0);  // a v2 column, defaulted
  ASSERT_EQ(job->steps.size(), 2u);
  EXPECT_EQ(job->steps[0].outputs, (std::vector<ArtifactRef>{{"probe.json", "aa", 5}}));
  EXPECT_EQ(job->steps[1].deps, (std::vector<std::string>{"probe"}));
  EXPECT_EQ(job->steps[1].attempts, 2);
  // The queued v1 job runs on the upgraded schema.
  auto claim = (*store)->ClaimStep({"w", 1000, 0});
  ASSERT_TRUE(claim.ok() && claim->has_value()) << claim.status().ToString();
  EXPECT_EQ((*claim)->lease.job_id, 8);
  ASSERT_TRUE((*store)->CompleteStep((*claim)->lease, {}).ok());
  EXPECT_EQ((*store)->GetJob(8)->state, JobState::kCompleted);
  auto db = Db::Open(path, 1000);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ(*SchemaVersion(**db), kSchemaVersion);
}

TEST(SqliteMigration, ADatabaseFromANewerCutroomIsRefusedClearly) {
  cutroom::testing::TempDir dir;
  std::string path = dir.File("cutroom.db");
  {
    auto db = Db::Open(path, 1000);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE(Migrate(**db).ok());
    ASSERT_TRUE((*db)->Exec("INSERT INTO schema_migrations(version, applied_at) VALUES (99, 0)").ok());
  }
  SystemClock clock;
  auto store = SqliteJobStore::Open(path, clock);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("newer than this cutroom"), std::string::npos)
      << store.status().message();
}

TEST(SqliteMigration, NotADatabaseIsDataLoss) {
  cutroom::testing::TempDir dir;
  cutroom::testing::WriteFile(dir.File("cutroom.db"), std::string(4096, 'x'));
  SystemClock clock;
  auto store = SqliteJobStore::Open(dir.File("cutroom.db"), clock);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss) << store.status().ToString();
}

// N processes, each with its own connection, claim and complete steps of one database until none
// is left; every step must be claimed exactly once.
TEST(SqliteConcurrency, ProcessesNeverClaimTheSameStep) {
  constexpr int kProcesses = 4, kJobs = 20;
  cutroom::testing::TempDir dir;
  std::string path = dir.File("cutroom.db");
  SystemClock clock;
  {
    auto store = SqliteJobStore::Open(path, clock);
    ASSERT_TRUE(store.ok());
    for (int i = 0; i < kJobs; ++i) {
      NewJob job;
      job.kind = "render";
      job.steps = {{"probe", {}}, {"a", {"probe"}}, {"b", {"probe"}}, {"c", {"a", "b"}}};
      ASSERT_TRUE((*store)->CreateJob(job).ok());
    }
  }
  int start[2];
  ASSERT_EQ(pipe(start), 0);
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: no gtest assertions here; report through the file and the exit code. All children
      // start claiming together, when the parent closes the pipe.
      close(start[1]);
      char byte;
      if (read(start[0], &byte, 1) != 0) _exit(5);
      auto store = SqliteJobStore::Open(path, clock);
      if (!store.ok()) _exit(2);
      std::ofstream out(dir.File("claims-" + std::to_string(p)));
      int idle = 0;
      while (idle < 100) {
        auto c = (*store)->ClaimStep({"p" + std::to_string(p), 60'000, 0});
        if (!c.ok()) _exit(3);
        if (!c->has_value()) {
          ++idle;
          usleep(1000);
          continue;
        }
        idle = 0;
        out << (*c)->lease.job_id << "/" << (*c)->lease.step << "\n";
        if (!(*store)->CompleteStep((*c)->lease, {}).ok()) _exit(4);
      }
      out.close();
      _exit(0);
    }
    children.push_back(pid);
  }
  close(start[0]);
  close(start[1]);
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  std::multiset<std::string> claims;
  for (int p = 0; p < kProcesses; ++p) {
    std::istringstream lines(cutroom::testing::ReadFile(dir.File("claims-" + std::to_string(p))));
    std::string line;
    while (std::getline(lines, line)) {
      claims.insert(line);
    }
  }
  EXPECT_EQ(claims.size(), static_cast<size_t>(kJobs * 4));
  EXPECT_EQ(std::set<std::string>(claims.begin(), claims.end()).size(), claims.size())
      << "a step was claimed twice";
  auto store = SqliteJobStore::Open(path, clock);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ((*store)->ListJobs({JobState::kCompleted, "", ""}, {100, 0})->jobs.size(),
            static_cast<size_t>(kJobs));
}

}  // namespace
}  // namespace sqlite
}  // namespace cutroom::jobs
