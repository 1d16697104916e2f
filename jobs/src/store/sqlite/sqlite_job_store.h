// The embedded JobStore: one SQLite file in WAL mode. Safe with several processes on one machine
// (each opens its own store; every write is a BEGIN IMMEDIATE transaction and waits up to the busy
// timeout for the lock) and with several threads sharing one store (calls are serialised by a
// mutex; each store holds one connection).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cutroom/jobs/clock.h"
#include "cutroom/jobs/job_store.h"
#include "thread_annotations.h"

namespace cutroom::jobs::sqlite {

class Db;

struct SqliteStoreOptions {
  int busy_timeout_ms = 10'000;
};

class SqliteJobStore final : public JobStore {
 public:
  // Opens or creates the database at `path` and applies missing migrations. `clock` is not owned
  // and must outlive the store. Errors: unreadable or corrupt file (DataLoss), a database newer
  // than this program (FailedPrecondition).
  static Result<std::unique_ptr<SqliteJobStore>> Open(const std::string& path, const Clock& clock,
                                                      const SqliteStoreOptions& options = {});
  ~SqliteJobStore() override;

  Result<JobId> CreateJob(const NewJob& job) override;
  Result<Job> GetJob(JobId id) override;
  Result<JobState> GetJobState(JobId id) override;
  Result<JobPage> ListJobs(const JobFilter& filter, const PageRequest& page) override;
  Status DeleteJob(JobId id) override;

  Result<std::optional<Claim>> ClaimStep(const ClaimRequest& request) override;
  Result<JobState> Heartbeat(Lease& lease, int64_t lease_ms,
                             const std::optional<StepProgress>& progress) override;
  Status CompleteStep(const Lease& lease, const StepSuccess& success) override;
  Status FailStep(const Lease& lease, const StepFailure& failure) override;
  Status ExpireLease(JobId job, const std::string& step, const std::string& owner) override;

  Status CancelJob(JobId id) override;
  Status PauseJob(JobId id) override;
  Status ResumeJob(JobId id) override;
  Status RetryJob(JobId id, const std::optional<std::string>& step) override;

  Result<std::optional<std::vector<ArtifactRef>>> LookupCache(const std::string& key) override;
  Status InsertCache(const std::string& key, const std::string& step,
                     const std::vector<ArtifactRef>& outputs) override;
  Result<int> DeleteCacheEntriesUnusedSince(int64_t before_ms) override;
  Result<std::vector<std::string>> ReferencedArtifacts() override;

  Result<std::vector<JobEvent>> ListEvents(JobId job, int64_t after_id, int limit) override;
  Result<std::vector<JobEvent>> ListEventsAfter(int64_t after_id, int limit) override;

  Result<std::map<JobState, int64_t>> CountJobsByState(const std::string& workspace_id) override;
  Result<int64_t> CountRunnableSteps() override;
  Result<int64_t> JobsVersion() override;

 private:
  SqliteJobStore(std::unique_ptr<Db> db, const Clock& clock);

  // Helpers; all REQUIRE mu_ held (and most a transaction open).
  Result<Job> LoadJob(JobId id, bool with_steps) CR_REQUIRES(mu_);
  Result<JobState> LoadJobState(JobId id) CR_REQUIRES(mu_);
  Status SetJobState(JobId id, JobState from, JobState to, const Status& error, int64_t now)
      CR_REQUIRES(mu_);
  Status AddEvent(JobId job, const std::string& step, const std::string& type,
                  const std::string& message, int64_t now) CR_REQUIRES(mu_);
  Status InsertStep(JobId job, const StepSpec& spec, int64_t now) CR_REQUIRES(mu_);
  Status ReapExpiredLeases(int64_t now) CR_REQUIRES(mu_);
  // Checks that `lease` still holds its step; returns the step's started_at.
  Result<int64_t> CheckLease(const Lease& lease) CR_REQUIRES(mu_);
  // Completes the job when all its steps are done.
  Status MaybeCompleteJob(JobId id, int64_t now) CR_REQUIRES(mu_);
  Status AddJobCpu(JobId id, double cpu_seconds, int64_t now) CR_REQUIRES(mu_);

  std::mutex mu_;
  std::unique_ptr<Db> db_ CR_GUARDED_BY(mu_);
  const Clock& clock_;
};

}  // namespace cutroom::jobs::sqlite
