// The job model: a Job is a graph of Steps. States and the transitions between them are decided in
// one place (CheckJobTransition / CheckStepTransition); every store calls these before it writes,
// so an invalid transition is rejected the same way by SQLite and PostgreSQL. docs/jobs.md has the
// state diagrams.
//
// Thread safety: value types.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cutroom/status.h"

namespace cutroom::jobs {

using JobId = int64_t;

// `paused` is not in the product's list of visible states' order but is a state of its own: a
// paused job keeps its steps and claims nothing until resumed (explicit states, not flags).
enum class JobState {
  kInvalid = 0,
  kQueued,      // created or resumed; no step has been claimed since
  kRunning,     // at least one step was claimed
  kPaused,      // claims nothing; running steps were interrupted and wait as pending
  kReview,      // outputs wait for a person's approval (clip jobs)
  kPublishing,  // approved outputs are being published
  kCompleted,
  kFailed,
  kCancelled,
};

enum class StepState {
  kInvalid = 0,
  kPending,    // waits for its dependencies, its retry time or a worker
  kRunning,    // claimed by a worker holding a lease
  kSucceeded,  // outputs recorded (run, or taken from the cache)
  kFailed,
  kSkipped,    // not needed for this job; counts as done for its dependents
  kCancelled,
};

std::string_view JobStateName(JobState state);
std::string_view StepStateName(StepState state);
Result<JobState> ParseJobState(std::string_view name);
Result<StepState> ParseStepState(std::string_view name);
// "InvalidArgument" <-> StatusCode::kInvalidArgument (names as StatusCodeName prints them).
Result<StatusCode> ParseStatusCode(std::string_view name);

// Completed, failed and cancelled jobs claim nothing; failed and cancelled ones can be retried.
bool IsFinished(JobState state);
// Succeeded and skipped steps satisfy their dependents.
bool IsDone(StepState state);

// The one place that says which transitions are allowed. Errors are FailedPrecondition with a
// message naming both states ("job cannot go from completed to queued"). Staying in the same state
// is not a transition and is rejected too, except running -> running for a step (a re-claim after
// its lease expired, handled by the store as running -> pending -> running).
Status CheckJobTransition(JobState from, JobState to);
Status CheckStepTransition(StepState from, StepState to);

// A file produced by a step, stored content-addressed under the data directory.
struct ArtifactRef {
  std::string name;    // the step's name for it: "probe.json", "render.mp4"
  std::string sha256;  // lowercase hex; the file is artifacts/<sha256[0:2]>/<sha256>
  int64_t size_bytes = 0;

  friend bool operator==(const ArtifactRef&, const ArtifactRef&) = default;
};

// What a pipeline declares for one step of one job when the job is created (or when a step
// expands the graph, like plan adding render[i]).
struct StepSpec {
  std::string name;               // unique within the job: "probe", "render[3]"
  std::vector<std::string> deps;  // names of steps that must be done first
  int max_attempts = 3;
  int64_t timeout_ms = 0;  // 0: no timeout
};

struct Step {
  JobId job_id = 0;
  std::string name;
  std::vector<std::string> deps;
  StepState state = StepState::kInvalid;
  int attempts = 0;  // claims so far (a crashed or timed-out run counts)
  int max_attempts = 3;
  int64_t timeout_ms = 0;
  std::string lease_owner;  // "" when not running
  int64_t lease_expires_at_ms = 0;
  int64_t heartbeat_at_ms = 0;
  int64_t not_before_ms = 0;  // retry backoff: not claimable before this time
  int64_t started_at_ms = 0;  // of the latest attempt
  int64_t finished_at_ms = 0;
  int64_t duration_ms = 0;
  StatusCode error_code = StatusCode::kOk;
  std::string error_message;
  double progress = 0.0;  // 0..1
  std::string progress_message;
  std::vector<ArtifactRef> outputs;
  std::string cache_key;   // sha256 hex of the step's inputs; "" for uncached steps
  bool cache_hit = false;  // succeeded by reusing a cached result: the step function did not run
  double cpu_seconds = 0.0;

  const ArtifactRef* FindOutput(std::string_view artifact_name) const;
};

struct Job {
  JobId id = 0;
  std::string kind;  // "render", "clip", "compose"
  std::map<std::string, std::string> inputs;   // e.g. {"timeline": "/abs/path.json"}
  std::map<std::string, std::string> options;  // e.g. {"caption_style": "karaoke"}
  std::string workspace_id;
  std::string brand_id;
  std::string idempotency_key;  // "" when none
  JobState state = JobState::kInvalid;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  int64_t started_at_ms = 0;
  int64_t finished_at_ms = 0;
  double cpu_seconds = 0.0;  // sum over its steps' runs
  StatusCode error_code = StatusCode::kOk;
  std::string error_message;  // "step render: ..." when failed
  std::vector<Step> steps;    // filled by GetJob and ClaimStep, empty in listings

  const Step* FindStep(std::string_view step_name) const;
};

struct NewJob {
  std::string kind;
  std::map<std::string, std::string> inputs;
  std::map<std::string, std::string> options;
  std::string workspace_id;
  std::string brand_id;
  std::string idempotency_key;
  std::vector<StepSpec> steps;
};

// Validates a step graph: names unique and well-formed, dependencies exist, no cycles.
Status ValidateStepGraph(const std::vector<StepSpec>& steps);

// Proof that a worker holds a step. `attempt` fences: once the lease expired and someone else
// claimed the step, the old holder's calls fail with FailedPrecondition.
struct Lease {
  JobId job_id = 0;
  std::string step;
  std::string owner;
  int attempt = 0;
  int64_t expires_at_ms = 0;
};

struct JobEvent {
  int64_t id = 0;  // increasing; SSE uses it as the event id
  JobId job_id = 0;
  std::string step;  // "" for job-level events
  std::string type;  // "job_created", "step_started", "step_succeeded", "step_cached", ...
  std::string message;
  int64_t at_ms = 0;
};

}  // namespace cutroom::jobs
