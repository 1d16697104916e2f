// Step claims, leases, heartbeats and step outcomes of the SQLite store.
#include <algorithm>
#include <vector>

#include "codec.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_job_store.h"

namespace cutroom::jobs::sqlite {
namespace {

// A runnable step `s` (of job `j`, at time ?1): pending, past its retry time, its job queued or
// running, all its dependencies done. A macro so that the claim and the count share one definition.
#define CR_RUNNABLE_STEP                                                             \
  "s.state = 'pending' AND s.not_before <= ?1 AND j.state IN ('queued', 'running') " \
  "AND NOT EXISTS (SELECT 1 FROM step_deps d "                                       \
  "JOIN steps p ON p.job_id = d.job_id AND p.name = d.dep "                          \
  "WHERE d.job_id = s.job_id AND d.step = s.name AND p.state NOT IN ('succeeded', 'skipped')) "

// Oldest job first, then declaration order.
constexpr char kRunnable[] =
    "SELECT s.job_id, s.name FROM steps s JOIN jobs j ON j.id = s.job_id "
    "WHERE " CR_RUNNABLE_STEP
    "AND (?2 = 0 OR s.job_id = ?2) "
    "ORDER BY s.job_id, s.id LIMIT 1";

constexpr char kCountRunnable[] =
    "SELECT COUNT(*) FROM steps s JOIN jobs j ON j.id = s.job_id WHERE " CR_RUNNABLE_STEP;

#undef CR_RUNNABLE_STEP

Status LeaseLost(const Lease& lease) {
  return FailedPreconditionError("step " + lease.step + " of job " + std::to_string(lease.job_id) +
                                 " is no longer held by " + lease.owner + " (attempt " +
                                 std::to_string(lease.attempt) + ")");
}

}  // namespace

Status SqliteJobStore::AddJobCpu(JobId id, double cpu_seconds, int64_t now) {
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("UPDATE jobs SET cpu_seconds = cpu_seconds + ?2, "
                                           "updated_at = ?3 WHERE id = ?1"));
  return s->Bind(1, id).Bind(2, cpu_seconds).Bind(3, now).Run();
}

Status SqliteJobStore::ReapExpiredLeases(int64_t now) {
  struct Expired {
    JobId job;
    std::string step;
    int attempts, max_attempts;
    std::string owner;
  };
  std::vector<Expired> expired;
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT job_id, name, attempts, max_attempts, lease_owner "
                                             "FROM steps WHERE state = 'running' AND lease_expires_at < ?1"));
    s->Bind(1, now);
    while (true) {
      CR_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      expired.push_back({s->Int(0), s->Text(1), static_cast<int>(s->Int(2)),
                         static_cast<int>(s->Int(3)), s->Text(4)});
    }
  }
  for (const auto& e : expired) {
    CR_ASSIGN_OR_RETURN(JobState job_state, LoadJobState(e.job));
    StepState to = StepState::kPending;
    int attempts = e.attempts;
    std::string why = "lease of " + e.owner + " expired (attempt " + std::to_string(e.attempts) + ")";
    if (job_state == JobState::kCancelled) {
      to = StepState::kCancelled;
    } else if (job_state == JobState::kPaused) {
      attempts = std::max(0, attempts - 1);  // interrupted by the pause, not failed
    } else if (e.attempts >= e.max_attempts) {
      to = StepState::kFailed;
      why += "; no attempts left";
    }
    CR_RETURN_IF_ERROR(CheckStepTransition(StepState::kRunning, to));
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(
                                    "UPDATE steps SET state = ?3, attempts = ?4, lease_owner = '', "
                                    "lease_expires_at = 0, error_code = ?5, error_message = ?6, "
                                    "finished_at = CASE WHEN ?3 = 'pending' THEN 0 ELSE ?7 END "
                                    "WHERE job_id = ?1 AND name = ?2"));
    Status error = UnavailableError(why);
    CR_RETURN_IF_ERROR(s->Bind(1, e.job)
                           .Bind(2, e.step)
                           .Bind(3, StepStateName(to))
                           .Bind(4, attempts)
                           .Bind(5, StatusCodeName(error.code()))
                           .Bind(6, why)
                           .Bind(7, now)
                           .Run());
    s.reset();
    CR_RETURN_IF_ERROR(AddEvent(e.job, e.step, "step_lease_expired", why, now));
    if (to == StepState::kFailed && (job_state == JobState::kRunning || job_state == JobState::kQueued)) {
      CR_RETURN_IF_ERROR(SetJobState(e.job, job_state, JobState::kFailed,
                                     error.WithContext("step " + e.step), now));
    }
  }
  return Status::Ok();
}

Result<std::optional<Claim>> SqliteJobStore::ClaimStep(const ClaimRequest& request) {
  if (request.owner.empty()) return InvalidArgumentError("a claim needs an owner");
  if (request.lease_ms <= 0) return InvalidArgumentError("lease must be positive");
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMs();
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_RETURN_IF_ERROR(ReapExpiredLeases(now));
  JobId job_id = 0;
  std::string step;
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(kRunnable));
    s->Bind(1, now).Bind(2, request.only_job);
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (row) {
      job_id = s->Int(0);
      step = s->Text(1);
    }
  }
  if (job_id == 0) {
    CR_RETURN_IF_ERROR(txn->Commit());  // keep what the reaper changed
    return std::optional<Claim>();
  }
  CR_RETURN_IF_ERROR(CheckStepTransition(StepState::kPending, StepState::kRunning));
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(
                                    "UPDATE steps SET state = 'running', attempts = attempts + 1, "
                                    "lease_owner = ?3, lease_expires_at = ?4, heartbeat_at = ?5, "
                                    "started_at = ?5, finished_at = 0, duration_ms = 0, progress = 0, "
                                    "progress_message = '' WHERE job_id = ?1 AND name = ?2 "
                                    "AND state = 'pending'"));
    CR_RETURN_IF_ERROR(s->Bind(1, job_id)
                           .Bind(2, step)
                           .Bind(3, request.owner)
                           .Bind(4, now + request.lease_ms)
                           .Bind(5, now)
                           .Run());
    if (db_->Changes() != 1) return UnavailableError("step " + step + " changed meanwhile");
  }
  CR_ASSIGN_OR_RETURN(JobState job_state, LoadJobState(job_id));
  if (job_state == JobState::kQueued) {
    CR_RETURN_IF_ERROR(SetJobState(job_id, job_state, JobState::kRunning, Status::Ok(), now));
  }
  CR_ASSIGN_OR_RETURN(Job job, LoadJob(job_id, true));
  const Step* claimed = job.FindStep(step);
  CR_RETURN_IF_ERROR(AddEvent(job_id, step, "step_started",
                              "attempt " + std::to_string(claimed->attempts) + " by " + request.owner,
                              now));
  CR_RETURN_IF_ERROR(txn->Commit());
  Claim claim;
  claim.lease = {job_id, step, request.owner, claimed->attempts, now + request.lease_ms};
  claim.job = std::move(job);
  return std::optional<Claim>(std::move(claim));
}

Result<int64_t> SqliteJobStore::CheckLease(const Lease& lease) {
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT state, lease_owner, attempts, started_at FROM steps "
                                           "WHERE job_id = ?1 AND name = ?2"));
  s->Bind(1, lease.job_id).Bind(2, lease.step);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) {
    return NotFoundError("job " + std::to_string(lease.job_id) + " has no step '" + lease.step + "'");
  }
  if (s->Text(0) != "running" || s->Text(1) != lease.owner || s->Int(2) != lease.attempt) {
    return LeaseLost(lease);
  }
  return s->Int(3);
}

Result<JobState> SqliteJobStore::Heartbeat(Lease& lease, int64_t lease_ms,
                                           const std::optional<StepProgress>& progress) {
  if (lease_ms <= 0) return InvalidArgumentError("lease must be positive");
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMs();
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  {
    CR_ASSIGN_OR_RETURN(
        auto s, db_->Prepare("UPDATE steps SET lease_expires_at = ?5, heartbeat_at = ?6, "
                             "progress = CASE WHEN ?7 THEN ?8 ELSE progress END, "
                             "progress_message = CASE WHEN ?7 THEN ?9 ELSE progress_message END "
                             "WHERE job_id = ?1 AND name = ?2 AND state = 'running' "
                             "AND lease_owner = ?3 AND attempts = ?4"));
    s->Bind(1, lease.job_id)
        .Bind(2, lease.step)
        .Bind(3, lease.owner)
        .Bind(4, lease.attempt)
        .Bind(5, now + lease_ms)
        .Bind(6, now)
        .Bind(7, progress.has_value() ? 1 : 0)
        .Bind(8, progress ? std::clamp(progress->fraction, 0.0, 1.0) : 0.0)
        .Bind(9, progress ? std::string_view(progress->message) : std::string_view());
    CR_RETURN_IF_ERROR(s->Run());
    if (db_->Changes() != 1) return LeaseLost(lease);
  }
  CR_ASSIGN_OR_RETURN(JobState state, LoadJobState(lease.job_id));
  CR_RETURN_IF_ERROR(txn->Commit());
  lease.expires_at_ms = now + lease_ms;
  return state;
}

Status SqliteJobStore::MaybeCompleteJob(JobId id, int64_t now) {
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT COUNT(*) FROM steps WHERE job_id = ?1 "
                                           "AND state NOT IN ('succeeded', 'skipped')"));
  s->Bind(1, id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  int64_t not_done = row ? s->Int(0) : 1;
  s.reset();
  if (not_done > 0) return Status::Ok();
  CR_ASSIGN_OR_RETURN(JobState state, LoadJobState(id));
  if (state == JobState::kQueued) {
    CR_RETURN_IF_ERROR(SetJobState(id, state, JobState::kRunning, Status::Ok(), now));
    state = JobState::kRunning;
  }
  // A cancelled or paused job whose last step finished anyway stays as the user set it.
  if (state != JobState::kRunning) return Status::Ok();
  return SetJobState(id, state, JobState::kCompleted, Status::Ok(), now);
}

Status SqliteJobStore::CompleteStep(const Lease& lease, const StepSuccess& success) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMs();
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_ASSIGN_OR_RETURN(int64_t started_at, CheckLease(lease));
  CR_RETURN_IF_ERROR(CheckStepTransition(StepState::kRunning, StepState::kSucceeded));
  {
    CR_ASSIGN_OR_RETURN(
        auto s, db_->Prepare("UPDATE steps SET state = 'succeeded', finished_at = ?3, duration_ms = ?4, "
                             "outputs = ?5, cache_key = ?6, cache_hit = ?7, cpu_seconds = ?8, "
                             "progress = 1, lease_owner = '', lease_expires_at = 0, "
                             "error_code = 'OK', error_message = '' WHERE job_id = ?1 AND name = ?2"));
    CR_RETURN_IF_ERROR(s->Bind(1, lease.job_id)
                           .Bind(2, lease.step)
                           .Bind(3, now)
                           .Bind(4, now - started_at)
                           .Bind(5, ArtifactsToJson(success.outputs))
                           .Bind(6, success.cache_key)
                           .Bind(7, success.cache_hit ? 1 : 0)
                           .Bind(8, success.cpu_seconds)
                           .Run());
  }
  CR_RETURN_IF_ERROR(AddJobCpu(lease.job_id, success.cpu_seconds, now));
  if (!success.added_steps.empty()) {
    CR_ASSIGN_OR_RETURN(Job job, LoadJob(lease.job_id, true));
    std::vector<StepSpec> graph;
    for (const auto& s : job.steps) graph.push_back({s.name, s.deps, s.max_attempts, s.timeout_ms});
    for (const auto& added : success.added_steps) {
      graph.push_back(added.spec);
      for (const auto& dependent : added.dependents) {
        const Step* d = job.FindStep(dependent);
        if (d == nullptr || d->state != StepState::kPending) {
          return InvalidArgumentError("step " + lease.step + " adds " + added.spec.name +
                                      " before '" + dependent + "', which is not a pending step");
        }
        for (auto& g : graph) {
          if (g.name == dependent) g.deps.push_back(added.spec.name);
        }
      }
    }
    CR_RETURN_IF_ERROR(ValidateStepGraph(graph).WithContext("steps added by " + lease.step));
    for (const auto& added : success.added_steps) {
      CR_RETURN_IF_ERROR(InsertStep(lease.job_id, added.spec, now));
      for (const auto& dependent : added.dependents) {
        CR_ASSIGN_OR_RETURN(auto d, db_->Prepare("INSERT INTO step_deps(job_id, step, dep) VALUES (?1, ?2, ?3)"));
        CR_RETURN_IF_ERROR(d->Bind(1, lease.job_id).Bind(2, dependent).Bind(3, added.spec.name).Run());
      }
      CR_RETURN_IF_ERROR(AddEvent(lease.job_id, added.spec.name, "step_added", "by " + lease.step, now));
    }
  }
  CR_RETURN_IF_ERROR(AddEvent(lease.job_id, lease.step,
                              success.cache_hit ? "step_cached" : "step_succeeded", "", now));
  CR_RETURN_IF_ERROR(MaybeCompleteJob(lease.job_id, now));
  return txn->Commit();
}

Status SqliteJobStore::FailStep(const Lease& lease, const StepFailure& failure) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMs();
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_ASSIGN_OR_RETURN(int64_t started_at, CheckLease(lease));
  StepState to = StepState::kInvalid;
  std::string event;
  int attempt_change = 0;
  switch (failure.end) {
    case StepEnd::kRetry:
      to = StepState::kPending;
      event = "step_retry_scheduled";
      break;
    case StepEnd::kFail:
      to = StepState::kFailed;
      event = "step_failed";
      break;
    case StepEnd::kCancelled:
      to = StepState::kCancelled;
      event = "step_cancelled";
      break;
    case StepEnd::kInterrupted:
      to = StepState::kPending;
      event = "step_interrupted";
      attempt_change = -1;
      break;
    case StepEnd::kInvalid: return InvalidArgumentError("a step failure needs an end");
  }
  if ((failure.end == StepEnd::kRetry || failure.end == StepEnd::kFail) && failure.error.ok()) {
    return InvalidArgumentError("a failed step needs an error");
  }
  CR_RETURN_IF_ERROR(CheckStepTransition(StepState::kRunning, to));
  Status error = failure.error.ok() && failure.end == StepEnd::kCancelled ? CancelledError("cancelled")
                                                                          : failure.error;
  {
    CR_ASSIGN_OR_RETURN(
        auto s, db_->Prepare("UPDATE steps SET state = ?3, attempts = attempts + ?4, not_before = ?5, "
                             "error_code = ?6, error_message = ?7, lease_owner = '', "
                             "lease_expires_at = 0, cpu_seconds = cpu_seconds + ?8, "
                             "finished_at = CASE WHEN ?3 = 'pending' THEN 0 ELSE ?9 END, "
                             "duration_ms = ?10 WHERE job_id = ?1 AND name = ?2"));
    CR_RETURN_IF_ERROR(s->Bind(1, lease.job_id)
                           .Bind(2, lease.step)
                           .Bind(3, StepStateName(to))
                           .Bind(4, attempt_change)
                           .Bind(5, failure.end == StepEnd::kRetry ? failure.retry_at_ms : int64_t{0})
                           .Bind(6, StatusCodeName(error.code()))
                           .Bind(7, error.message())
                           .Bind(8, failure.cpu_seconds)
                           .Bind(9, now)
                           .Bind(10, now - started_at)
                           .Run());
  }
  CR_RETURN_IF_ERROR(AddJobCpu(lease.job_id, failure.cpu_seconds, now));
  CR_RETURN_IF_ERROR(AddEvent(lease.job_id, lease.step, event, error.ToString(), now));
  if (failure.end == StepEnd::kFail) {
    CR_ASSIGN_OR_RETURN(JobState state, LoadJobState(lease.job_id));
    if (state == JobState::kQueued || state == JobState::kRunning) {
      CR_RETURN_IF_ERROR(SetJobState(lease.job_id, state, JobState::kFailed,
                                     error.WithContext("step " + lease.step), now));
    }
  }
  return txn->Commit();
}

Status SqliteJobStore::ExpireLease(JobId job, const std::string& step, const std::string& owner) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("UPDATE steps SET lease_expires_at = 0 WHERE job_id = ?1 "
                                           "AND name = ?2 AND state = 'running' AND lease_owner = ?3"));
  CR_RETURN_IF_ERROR(s->Bind(1, job).Bind(2, step).Bind(3, owner).Run());
  if (db_->Changes() != 1) {
    return FailedPreconditionError("step " + step + " of job " + std::to_string(job) +
                                   " is not running under " + owner);
  }
  return Status::Ok();
}

// --- metrics -----------------------------------------------------------------------------------

Result<int64_t> SqliteJobStore::CountRunnableSteps() {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(kCountRunnable));
  s->Bind(1, clock_.NowMs());
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  return row ? s->Int(0) : 0;
}

}  // namespace cutroom::jobs::sqlite
