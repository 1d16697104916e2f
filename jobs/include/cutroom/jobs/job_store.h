// JobStore: where jobs, steps, leases, cached step results and job events live. An interface so
// that the embedded SQLite store and the cluster PostgreSQL store are interchangeable; both must
// pass the contract suite in jobs/src/store/job_store_contract_test.h.
//
// Contract shared by every method:
// - Each call is atomic: it fully happens or not at all, also across processes sharing a store.
// - Errors: NotFound (unknown job or step), FailedPrecondition (a transition the model forbids,
//   or a lease that is no longer held), Unavailable (the database is busy or unreachable; retry),
//   DataLoss (a corrupt database), InvalidArgument (a malformed request).
// - Times come from the Clock the store was built with.
//
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cutroom/jobs/model.h"
#include "cutroom/status.h"

namespace cutroom::jobs {

struct JobFilter {
  std::optional<JobState> state;
  std::string kind;          // "" = any
  std::string workspace_id;  // "" = any
};

// Newest first. `after_id` is the cursor: the last id of the previous page (0 for the first page).
struct PageRequest {
  int limit = 50;  // 1..1000
  JobId after_id = 0;
};

struct JobPage {
  std::vector<Job> jobs;  // without steps
  JobId next_after_id = 0;  // 0 when this is the last page
};

struct ClaimRequest {
  std::string owner;      // who holds the lease: "cli:host:pid:w0"
  int64_t lease_ms = 30'000;
  JobId only_job = 0;     // 0: any job; else only steps of this job (in-process CLI runs)
};

struct Claim {
  Lease lease;
  Job job;  // with all steps, so that the worker sees its dependencies' outputs
  const Step& step() const { return *job.FindStep(lease.step); }
};

struct StepProgress {
  double fraction = 0.0;  // 0..1
  std::string message;
};

struct StepSuccess {
  std::vector<ArtifactRef> outputs;
  std::string cache_key;   // "" for uncached steps
  bool cache_hit = false;  // the outputs came from the cache; the step function did not run
  double cpu_seconds = 0.0;
  // Steps this step adds to the job (a graph that grows, like plan adding render[i]). Each added
  // step may name existing *pending* steps that must now also wait for it (`dependents`).
  struct Added {
    StepSpec spec;
    std::vector<std::string> dependents;
  };
  std::vector<Added> added_steps;
};

// How a step's run ended when it did not succeed. The worker decides (RetryPolicy); the store
// records it and moves the job accordingly.
enum class StepEnd {
  kInvalid = 0,
  kRetry,        // back to pending, claimable from `retry_at_ms`
  kFail,         // the step failed for good: the job fails
  kCancelled,    // the job was cancelled while the step ran
  kInterrupted,  // the job was paused: back to pending, this attempt not counted
};

struct StepFailure {
  StepEnd end = StepEnd::kInvalid;
  Status error;             // why (not OK for kRetry and kFail)
  int64_t retry_at_ms = 0;  // kRetry only
  double cpu_seconds = 0.0;
};

class JobStore {
 public:
  virtual ~JobStore() = default;

  // --- Jobs -------------------------------------------------------------------------------
  // Creates a job in state queued with all its steps pending. Validates the step graph
  // (InvalidArgument). With a non-empty idempotency key that an earlier job used, creates nothing
  // and returns that job's id.
  virtual Result<JobId> CreateJob(const NewJob& job) = 0;
  // The job with its steps (in creation order).
  virtual Result<Job> GetJob(JobId id) = 0;
  // Only the state: cheap enough to poll every few hundred milliseconds.
  virtual Result<JobState> GetJobState(JobId id) = 0;
  virtual Result<JobPage> ListJobs(const JobFilter& filter, const PageRequest& page) = 0;
  // Deletes a finished job, its steps and events. Its artifacts go at the next garbage collection.
  virtual Status DeleteJob(JobId id) = 0;

  // --- Workers ----------------------------------------------------------------------------
  // Atomically claims one runnable step: pending, past its retry time, all dependencies done, its
  // job queued or running. Before that, steps whose lease expired go back to pending (or fail when
  // out of attempts). Never hands the same step to two callers. nullopt when nothing is runnable.
  virtual Result<std::optional<Claim>> ClaimStep(const ClaimRequest& request) = 0;
  // Renews the lease to now + lease_ms and records progress. Returns the job's state so that the
  // holder can stop when the job was cancelled or paused. FailedPrecondition when the lease is no
  // longer held (expired and re-claimed, or the step was reset).
  virtual Result<JobState> Heartbeat(Lease& lease, int64_t lease_ms,
                                     const std::optional<StepProgress>& progress) = 0;
  // Records success; the job completes when all its steps are done.
  virtual Status CompleteStep(const Lease& lease, const StepSuccess& success) = 0;
  virtual Status FailStep(const Lease& lease, const StepFailure& failure) = 0;
  // Ends a lease now if `owner` still holds it (the owner is known to be dead, e.g. a killed local
  // process), so that the next claim takes the step over.
  virtual Status ExpireLease(JobId job, const std::string& step, const std::string& owner) = 0;

  // --- Control ----------------------------------------------------------------------------
  // queued/running/paused -> cancelled; pending steps become cancelled, running ones stop at
  // their next heartbeat or control poll.
  virtual Status CancelJob(JobId id) = 0;
  // queued/running -> paused.
  virtual Status PauseJob(JobId id) = 0;
  // paused -> queued.
  virtual Status ResumeJob(JobId id) = 0;
  // failed/cancelled -> queued. Without `step`, every failed or cancelled step goes back to
  // pending; with it, that step (which must be failed or cancelled) and the cancelled ones do.
  // Attempt counts of the reset steps start again from zero.
  virtual Status RetryJob(JobId id, const std::optional<std::string>& step) = 0;

  // --- Step cache -------------------------------------------------------------------------
  // The outputs recorded under `key`, and marks the entry used now.
  virtual Result<std::optional<std::vector<ArtifactRef>>> LookupCache(const std::string& key) = 0;
  // Records (or replaces) an entry.
  virtual Status InsertCache(const std::string& key, const std::string& step,
                             const std::vector<ArtifactRef>& outputs) = 0;
  // Drops entries last used before `before_ms`; returns how many.
  virtual Result<int> DeleteCacheEntriesUnusedSince(int64_t before_ms) = 0;
  // Every artifact hash that a step of a job or a cache entry refers to.
  virtual Result<std::vector<std::string>> ReferencedArtifacts() = 0;

  // --- Events -----------------------------------------------------------------------------
  // Events of a job with id > after_id, oldest first, at most `limit` (1..10000).
  virtual Result<std::vector<JobEvent>> ListEvents(JobId job, int64_t after_id, int limit) = 0;
  // Events of every job with id > after_id, oldest first, at most `limit` (1..10000). One poller
  // fans them out to many live streams, remembering the last id it saw; so an implementation must
  // never make an event visible after one with a higher id (ids grow in commit order), or the
  // poller would skip it.
  virtual Result<std::vector<JobEvent>> ListEventsAfter(int64_t after_id, int limit) = 0;

  // --- Metrics ----------------------------------------------------------------------------
  // The number of jobs in each state, with every state present (0 when no job is in it).
  // `workspace_id` "" counts every workspace.
  virtual Result<std::map<JobState, int64_t>> CountJobsByState(const std::string& workspace_id) = 0;
  // The queue depth: how many steps are runnable now (as ClaimStep defines it: pending, past their
  // retry time, all dependencies done, their job queued or running).
  virtual Result<int64_t> CountRunnableSteps() = 0;

  // A number that changes whenever any job row changes (created, updated, deleted; not step-only
  // changes such as progress), across processes. Equal values mean an unchanged job list, so a
  // reader may serve a cached listing.
  virtual Result<int64_t> JobsVersion() = 0;
};

}  // namespace cutroom::jobs
