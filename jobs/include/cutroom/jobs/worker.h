// The step runner. A Worker claims runnable steps from a JobStore with a lease, runs their step
// functions on an injected Executor, and from its own (calling) thread:
// - renews the lease by heartbeat (every heartbeat_ms, at most lease_ms / 3), with progress;
// - polls the job's state every control_poll_ms, so that a cancel or pause from another process
//   stops running work within about that time (the step's CancelToken is cancelled);
// - cancels a step past its timeout (DeadlineExceeded, then the retry policy);
// - records the outcome: success (outputs stored content-addressed, cache entry written) or the
//   retry policy's decision (retry_policy.h).
// Before running a cacheable step it computes the step's cache key; when the store has an entry
// whose artifacts are all present, the step succeeds from the cache without running.
//
// Thread safety: Run/RunJob are called from one thread at a time per Worker; several Workers (one
// thread each) may share a store, a registry, an artifact store and an executor.
#pragma once

#include <cstdint>
#include <functional>
#include <random>
#include <string>

#include "cutroom/cancel.h"
#include "cutroom/executor.h"
#include "cutroom/jobs/artifact_store.h"
#include "cutroom/jobs/clock.h"
#include "cutroom/jobs/job_store.h"
#include "cutroom/jobs/pipeline.h"
#include "cutroom/jobs/retry_policy.h"
#include "cutroom/log.h"

namespace cutroom::jobs {

struct WorkerOptions {
  std::string owner;  // unique per worker: "cli:<host>:<pid>:w0"
  int64_t lease_ms = 30'000;
  int64_t heartbeat_ms = 10'000;
  int64_t control_poll_ms = 250;
  int64_t idle_poll_ms = 200;  // how often an idle worker looks for new work
  int max_parallel_steps = 1;  // steps in flight at once (give the executor as many threads)
  int threads_per_step = 0;    // CPU budget handed to each step; 0 = library default
  BackoffOptions backoff;
  uint64_t jitter_seed = 0;  // 0: seeded from the owner name
  // Called on the worker's thread when a running step reports new progress (optional).
  std::function<void(JobId job, const std::string& step, const StepProgress& progress)> on_progress;
};

class Worker {
 public:
  // Everything is borrowed and must outlive the Worker. `temp_root` is where step attempts get
  // their temporary folders (same filesystem as the artifact store). `logger` may be null.
  Worker(JobStore& store, const PipelineRegistry& pipelines, const ArtifactStore& artifacts,
         const Clock& clock, Executor& executor, std::string temp_root, Logger* logger,
         WorkerOptions options);

  // Runs steps of any job until `stop` is cancelled; running steps are then interrupted and go
  // back to pending (their attempt not counted). Returns on a store error that persists.
  Status Run(const CancelToken& stop);

  // Runs steps of job `id` only, until the job is completed, failed, cancelled or paused, or
  // `stop` is cancelled. Waits for retry backoff and for steps that another live worker holds.
  // Returns the job's state at the end.
  Result<JobState> RunJob(JobId id, const CancelToken& stop);

  // Steps this worker started (ran or took from the cache) since it was made.
  int steps_started() const { return steps_started_; }

 private:
  struct InFlight;
  Result<JobState> Loop(JobId only_job, const CancelToken& stop);
  void Start(InFlight& flight);
  Status Finish(InFlight& flight);
  void Execute(InFlight& flight);

  JobStore& store_;
  const PipelineRegistry& pipelines_;
  const ArtifactStore& artifacts_;
  const Clock& clock_;
  Executor& executor_;
  std::string temp_root_;
  Logger* logger_;
  WorkerOptions options_;
  std::mt19937_64 rng_;
  int steps_started_ = 0;
};

}  // namespace cutroom::jobs
