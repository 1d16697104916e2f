// Jobs, control, cache and events. Step claims and leases are in sqlite_step_ops.cc.
#include "store/sqlite/sqlite_job_store.h"

#include <set>

#include "codec.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/sqlite_db.h"

namespace cutroom::jobs::sqlite {
namespace {

constexpr char kSelectJob[] =
    "SELECT id, kind, state, inputs, options, workspace_id, brand_id, "
    "COALESCE(idempotency_key, ''), error_code, error_message, created_at, updated_at, "
    "started_at, finished_at, cpu_seconds FROM jobs WHERE id = ?1";

constexpr char kListJobs[] =
    "SELECT id, kind, state, inputs, options, workspace_id, brand_id, "
    "COALESCE(idempotency_key, ''), error_code, error_message, created_at, updated_at, "
    "started_at, finished_at, cpu_seconds FROM jobs "
    "WHERE (?1 = '' OR state = ?1) AND (?2 = '' OR kind = ?2) AND (?3 = '' OR workspace_id = ?3) "
    "AND (?4 = 0 OR id < ?4) ORDER BY id DESC LIMIT ?5";

Result<Job> JobFromRow(const Stmt& s) {
  Job job;
  job.id = s.Int(0);
  job.kind = s.Text(1);
  CR_ASSIGN_OR_RETURN(job.state, ParseJobState(s.Text(2)));
  CR_ASSIGN_OR_RETURN(job.inputs, StringMapFromJson(s.Text(3)));
  CR_ASSIGN_OR_RETURN(job.options, StringMapFromJson(s.Text(4)));
  job.workspace_id = s.Text(5);
  job.brand_id = s.Text(6);
  job.idempotency_key = s.Text(7);
  CR_ASSIGN_OR_RETURN(job.error_code, ParseStatusCode(s.Text(8)));
  job.error_message = s.Text(9);
  job.created_at_ms = s.Int(10);
  job.updated_at_ms = s.Int(11);
  job.started_at_ms = s.Int(12);
  job.finished_at_ms = s.Int(13);
  job.cpu_seconds = s.Double(14);
  return job;
}

Status JobNotFound(JobId id) { return NotFoundError("no job with id " + std::to_string(id)); }

}  // namespace

SqliteJobStore::SqliteJobStore(std::unique_ptr<Db> db, const Clock& clock)
    : db_(std::move(db)), clock_(clock) {}

SqliteJobStore::~SqliteJobStore() = default;

Result<std::unique_ptr<SqliteJobStore>> SqliteJobStore::Open(const std::string& path,
                                                             const Clock& clock,
                                                             const SqliteStoreOptions& options) {
  CR_ASSIGN_OR_RETURN(auto db, Db::Open(path, options.busy_timeout_ms));
  CR_RETURN_IF_ERROR(Migrate(*db).WithContext("job database " + path));
  return std::unique_ptr<SqliteJobStore>(new SqliteJobStore(std::move(db), clock));
}

// --- helpers -----------------------------------------------------------------------------------

Status SqliteJobStore::AddEvent(JobId job, const std::string& step, const std::string& type,
                                const std::string& message, int64_t now) {
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("INSERT INTO events(job_id, step, type, message, at) "
                                           "VALUES (?1, ?2, ?3, ?4, ?5)"));
  return s->Bind(1, job).Bind(2, step).Bind(3, type).Bind(4, message).Bind(5, now).Run();
}

Result<JobState> SqliteJobStore::LoadJobState(JobId id) {
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT state FROM jobs WHERE id = ?1"));
  s->Bind(1, id);
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return JobNotFound(id);
  return ParseJobState(s->Text(0));
}

Status SqliteJobStore::SetJobState(JobId id, JobState from, JobState to, const Status& error,
                                   int64_t now) {
  CR_RETURN_IF_ERROR(CheckJobTransition(from, to).WithContext("job " + std::to_string(id)));
  CR_ASSIGN_OR_RETURN(
      auto s, db_->Prepare(
                  "UPDATE jobs SET state = ?2, updated_at = ?3, error_code = ?4, error_message = ?5, "
                  "started_at = CASE WHEN ?2 = 'running' AND started_at = 0 THEN ?3 ELSE started_at END, "
                  "finished_at = CASE WHEN ?2 IN ('completed', 'failed', 'cancelled') THEN ?3 "
                  "WHEN ?2 = 'queued' THEN 0 ELSE finished_at END "
                  "WHERE id = ?1 AND state = ?6"));
  CR_RETURN_IF_ERROR(s->Bind(1, id)
                         .Bind(2, JobStateName(to))
                         .Bind(3, now)
                         .Bind(4, StatusCodeName(error.code()))
                         .Bind(5, error.message())
                         .Bind(6, JobStateName(from))
                         .Run());
  if (db_->Changes() != 1) return UnavailableError("job " + std::to_string(id) + " changed meanwhile");
  s.reset();
  std::string type = "job_" + std::string(JobStateName(to));
  return AddEvent(id, "", type, error.ok() ? "" : error.message(), now);
}

Status SqliteJobStore::InsertStep(JobId job, const StepSpec& spec, int64_t now) {
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("INSERT INTO steps(job_id, name, state, max_attempts, "
                                           "timeout_ms) VALUES (?1, ?2, 'pending', ?3, ?4)"));
  CR_RETURN_IF_ERROR(s->Bind(1, job).Bind(2, spec.name).Bind(3, spec.max_attempts).Bind(4, spec.timeout_ms).Run());
  s.reset();
  for (const auto& dep : spec.deps) {
    CR_ASSIGN_OR_RETURN(auto d, db_->Prepare("INSERT INTO step_deps(job_id, step, dep) VALUES (?1, ?2, ?3)"));
    CR_RETURN_IF_ERROR(d->Bind(1, job).Bind(2, spec.name).Bind(3, dep).Run());
  }
  (void)now;
  return Status::Ok();
}

Result<Job> SqliteJobStore::LoadJob(JobId id, bool with_steps) {
  Job job;
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(kSelectJob));
    s->Bind(1, id);
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) return JobNotFound(id);
    CR_ASSIGN_OR_RETURN(job, JobFromRow(*s));
  }
  if (!with_steps) return job;
  CR_ASSIGN_OR_RETURN(
      auto s, db_->Prepare(
                  "SELECT name, state, attempts, max_attempts, timeout_ms, lease_owner, "
                  "lease_expires_at, heartbeat_at, not_before, started_at, finished_at, duration_ms, "
                  "error_code, error_message, progress, progress_message, outputs, cache_key, "
                  "cache_hit, cpu_seconds FROM steps WHERE job_id = ?1 ORDER BY id"));
  s->Bind(1, id);
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Step step;
    step.job_id = id;
    step.name = s->Text(0);
    CR_ASSIGN_OR_RETURN(step.state, ParseStepState(s->Text(1)));
    step.attempts = static_cast<int>(s->Int(2));
    step.max_attempts = static_cast<int>(s->Int(3));
    step.timeout_ms = s->Int(4);
    step.lease_owner = s->Text(5);
    step.lease_expires_at_ms = s->Int(6);
    step.heartbeat_at_ms = s->Int(7);
    step.not_before_ms = s->Int(8);
    step.started_at_ms = s->Int(9);
    step.finished_at_ms = s->Int(10);
    step.duration_ms = s->Int(11);
    CR_ASSIGN_OR_RETURN(step.error_code, ParseStatusCode(s->Text(12)));
    step.error_message = s->Text(13);
    step.progress = s->Double(14);
    step.progress_message = s->Text(15);
    CR_ASSIGN_OR_RETURN(step.outputs, ArtifactsFromJson(s->Text(16)));
    step.cache_key = s->Text(17);
    step.cache_hit = s->Int(18) != 0;
    step.cpu_seconds = s->Double(19);
    job.steps.push_back(std::move(step));
  }
  s.reset();
  CR_ASSIGN_OR_RETURN(auto d, db_->Prepare("SELECT step, dep FROM step_deps WHERE job_id = ?1 ORDER BY rowid"));
  d->Bind(1, id);
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, d->Step());
    if (!row) break;
    std::string name = d->Text(0);
    for (auto& step : job.steps) {
      if (step.name == name) step.deps.push_back(d->Text(1));
    }
  }
  return job;
}

// --- jobs --------------------------------------------------------------------------------------

Result<JobId> SqliteJobStore::CreateJob(const NewJob& job) {
  if (job.kind.empty()) return InvalidArgumentError("a job needs a kind");
  CR_RETURN_IF_ERROR(ValidateStepGraph(job.steps));
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMs();
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  if (!job.idempotency_key.empty()) {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id FROM jobs WHERE idempotency_key = ?1"));
    s->Bind(1, job.idempotency_key);
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (row) return s->Int(0);
  }
  {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(
                                    "INSERT INTO jobs(kind, state, inputs, options, workspace_id, "
                                    "brand_id, idempotency_key, created_at, updated_at) "
                                    "VALUES (?1, 'queued', ?2, ?3, ?4, ?5, ?6, ?7, ?7)"));
    s->Bind(1, job.kind)
        .Bind(2, StringMapToJson(job.inputs))
        .Bind(3, StringMapToJson(job.options))
        .Bind(4, job.workspace_id)
        .Bind(5, job.brand_id)
        .Bind(7, now);
    if (job.idempotency_key.empty()) {
      s->BindNull(6);
    } else {
      s->Bind(6, job.idempotency_key);
    }
    CR_RETURN_IF_ERROR(s->Run());
  }
  JobId id = db_->LastInsertId();
  for (const auto& spec : job.steps) CR_RETURN_IF_ERROR(InsertStep(id, spec, now));
  CR_RETURN_IF_ERROR(AddEvent(id, "", "job_created", job.kind, now));
  CR_RETURN_IF_ERROR(txn->Commit());
  return id;
}

Result<Job> SqliteJobStore::GetJob(JobId id) {
  std::lock_guard lock(mu_);
  // A read transaction: the job row and its steps come from one snapshot.
  CR_RETURN_IF_ERROR(db_->Exec("BEGIN"));
  auto job = LoadJob(id, true);
  CR_RETURN_IF_ERROR(db_->Exec("COMMIT"));
  return job;
}

Result<JobState> SqliteJobStore::GetJobState(JobId id) {
  std::lock_guard lock(mu_);
  return LoadJobState(id);
}

Result<JobPage> SqliteJobStore::ListJobs(const JobFilter& filter, const PageRequest& page) {
  if (page.limit < 1 || page.limit > 1000) return InvalidArgumentError("page limit must be 1..1000");
  if (page.after_id < 0) return InvalidArgumentError("page cursor must be >= 0");
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(kListJobs));
  s->Bind(1, filter.state ? JobStateName(*filter.state) : std::string_view())
      .Bind(2, filter.kind)
      .Bind(3, filter.workspace_id)
      .Bind(4, page.after_id)
      .Bind(5, page.limit + 1);
  JobPage out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    if (static_cast<int>(out.jobs.size()) == page.limit) {
      out.next_after_id = out.jobs.back().id;
      break;
    }
    CR_ASSIGN_OR_RETURN(Job job, JobFromRow(*s));
    out.jobs.push_back(std::move(job));
  }
  return out;
}

Status SqliteJobStore::DeleteJob(JobId id) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_ASSIGN_OR_RETURN(JobState state, LoadJobState(id));
  if (!IsFinished(state)) {
    return FailedPreconditionError("job " + std::to_string(id) + " is " +
                                   std::string(JobStateName(state)) +
                                   "; only completed, failed or cancelled jobs can be deleted");
  }
  for (const char* sql : {"DELETE FROM events WHERE job_id = ?1", "DELETE FROM step_deps WHERE job_id = ?1",
                          "DELETE FROM steps WHERE job_id = ?1", "DELETE FROM jobs WHERE id = ?1"}) {
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(sql));
    CR_RETURN_IF_ERROR(s->Bind(1, id).Run());
  }
  return txn->Commit();
}

// --- control -----------------------------------------------------------------------------------

Status SqliteJobStore::CancelJob(JobId id) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMs();
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_ASSIGN_OR_RETURN(JobState state, LoadJobState(id));
  if (IsFinished(state)) {
    return FailedPreconditionError("job " + std::to_string(id) + " is already " +
                                   std::string(JobStateName(state)));
  }
  CR_RETURN_IF_ERROR(SetJobState(id, state, JobState::kCancelled, CancelledError("cancelled"), now));
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("UPDATE steps SET state = 'cancelled', finished_at = ?2 "
                                           "WHERE job_id = ?1 AND state = 'pending'"));
  CR_RETURN_IF_ERROR(s->Bind(1, id).Bind(2, now).Run());
  return txn->Commit();
}

Status SqliteJobStore::PauseJob(JobId id) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMs();
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_ASSIGN_OR_RETURN(JobState state, LoadJobState(id));
  if (state != JobState::kQueued && state != JobState::kRunning) {
    return FailedPreconditionError("job " + std::to_string(id) + " is " +
                                   std::string(JobStateName(state)) +
                                   "; only queued or running jobs can be paused");
  }
  CR_RETURN_IF_ERROR(SetJobState(id, state, JobState::kPaused, Status::Ok(), now));
  return txn->Commit();
}

Status SqliteJobStore::ResumeJob(JobId id) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMs();
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_ASSIGN_OR_RETURN(JobState state, LoadJobState(id));
  if (state != JobState::kPaused) {
    std::string hint = state == JobState::kFailed || state == JobState::kCancelled
                           ? "; use retry to run it again"
                           : "; only paused jobs can be resumed";
    return FailedPreconditionError("job " + std::to_string(id) + " is " +
                                   std::string(JobStateName(state)) + hint);
  }
  CR_RETURN_IF_ERROR(SetJobState(id, state, JobState::kQueued, Status::Ok(), now));
  return txn->Commit();
}

Status SqliteJobStore::RetryJob(JobId id, const std::optional<std::string>& step) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMs();
  CR_ASSIGN_OR_RETURN(auto txn, Transaction::Begin(*db_));
  CR_ASSIGN_OR_RETURN(Job job, LoadJob(id, true));
  if (job.state != JobState::kFailed && job.state != JobState::kCancelled) {
    return FailedPreconditionError("job " + std::to_string(id) + " is " +
                                   std::string(JobStateName(job.state)) +
                                   "; only failed or cancelled jobs can be retried");
  }
  std::set<std::string> reset;
  for (const auto& s : job.steps) {
    if (s.state == StepState::kCancelled) reset.insert(s.name);
    if (s.state == StepState::kFailed && !step) reset.insert(s.name);
  }
  if (step) {
    const Step* target = job.FindStep(*step);
    if (target == nullptr) {
      return NotFoundError("job " + std::to_string(id) + " has no step '" + *step + "'");
    }
    if (target->state != StepState::kFailed && target->state != StepState::kCancelled) {
      return FailedPreconditionError("step " + *step + " of job " + std::to_string(id) + " is " +
                                     std::string(StepStateName(target->state)) +
                                     "; only failed or cancelled steps can be retried");
    }
    for (const auto& s : job.steps) {
      if (s.state == StepState::kFailed && s.name != *step) {
        return FailedPreconditionError("step " + s.name + " also failed; retry the whole job");
      }
    }
    reset.insert(*step);
  }
  for (const auto& name : reset) {
    CR_RETURN_IF_ERROR(CheckStepTransition(job.FindStep(name)->state, StepState::kPending));
    CR_ASSIGN_OR_RETURN(auto s, db_->Prepare(
                                    "UPDATE steps SET state = 'pending', attempts = 0, not_before = 0, "
                                    "error_code = 'OK', error_message = '', lease_owner = '', "
                                    "lease_expires_at = 0, progress = 0, progress_message = '' "
                                    "WHERE job_id = ?1 AND name = ?2"));
    CR_RETURN_IF_ERROR(s->Bind(1, id).Bind(2, name).Run());
    s.reset();
    CR_RETURN_IF_ERROR(AddEvent(id, name, "step_reset", "retry", now));
  }
  CR_RETURN_IF_ERROR(SetJobState(id, job.state, JobState::kQueued, Status::Ok(), now));
  return txn->Commit();
}

// --- cache -------------------------------------------------------------------------------------

Result<std::optional<std::vector<ArtifactRef>>> SqliteJobStore::LookupCache(const std::string& key) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("UPDATE cache SET last_used_at = ?2 WHERE key = ?1 "
                                           "RETURNING outputs"));
  s->Bind(1, key).Bind(2, clock_.NowMs());
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return std::optional<std::vector<ArtifactRef>>();
  std::string json = s->Text(0);
  CR_RETURN_IF_ERROR(s->Run());  // finish the statement so the write commits
  CR_ASSIGN_OR_RETURN(auto outputs, ArtifactsFromJson(json));
  return std::optional<std::vector<ArtifactRef>>(std::move(outputs));
}

Status SqliteJobStore::InsertCache(const std::string& key, const std::string& step,
                                   const std::vector<ArtifactRef>& outputs) {
  if (key.empty()) return InvalidArgumentError("empty cache key");
  std::lock_guard lock(mu_);
  int64_t now = clock_.NowMs();
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("INSERT OR REPLACE INTO cache(key, step, outputs, "
                                           "created_at, last_used_at) VALUES (?1, ?2, ?3, ?4, ?4)"));
  return s->Bind(1, key).Bind(2, step).Bind(3, ArtifactsToJson(outputs)).Bind(4, now).Run();
}

Result<int> SqliteJobStore::DeleteCacheEntriesUnusedSince(int64_t before_ms) {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("DELETE FROM cache WHERE last_used_at < ?1"));
  CR_RETURN_IF_ERROR(s->Bind(1, before_ms).Run());
  return db_->Changes();
}

Result<std::vector<std::string>> SqliteJobStore::ReferencedArtifacts() {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(
      auto s, db_->Prepare("SELECT json_extract(o.value, '$.sha256') FROM steps, json_each(steps.outputs) AS o "
                           "UNION SELECT json_extract(o.value, '$.sha256') FROM cache, "
                           "json_each(cache.outputs) AS o"));
  std::vector<std::string> out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back(s->Text(0));
  }
  return out;
}

// --- events ------------------------------------------------------------------------------------

Result<std::vector<JobEvent>> SqliteJobStore::ListEvents(JobId job, int64_t after_id, int limit) {
  if (limit < 1 || limit > 10000) return InvalidArgumentError("event limit must be 1..10000");
  std::lock_guard lock(mu_);
  CR_RETURN_IF_ERROR(LoadJobState(job).status());
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, step, type, message, at FROM events "
                                           "WHERE job_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3"));
  s->Bind(1, job).Bind(2, after_id).Bind(3, limit);
  std::vector<JobEvent> out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back({s->Int(0), job, s->Text(1), s->Text(2), s->Text(3), s->Int(4)});
  }
  return out;
}

Result<std::vector<JobEvent>> SqliteJobStore::ListEventsAfter(int64_t after_id, int limit) {
  if (limit < 1 || limit > 10000) return InvalidArgumentError("event limit must be 1..10000");
  std::lock_guard lock(mu_);
  // Ids grow in commit order here: SQLite has one writer at a time and assigns the id inside the
  // writing transaction, so a poller that remembers the last id never skips an event.
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT id, job_id, step, type, message, at FROM events "
                                           "WHERE id > ?1 ORDER BY id LIMIT ?2"));
  s->Bind(1, after_id).Bind(2, limit);
  std::vector<JobEvent> out;
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out.push_back({s->Int(0), s->Int(1), s->Text(2), s->Text(3), s->Text(4), s->Int(5)});
  }
  return out;
}

// --- metrics (CountRunnableSteps is in sqlite_step_ops.cc) -------------------------------------

Result<std::map<JobState, int64_t>> SqliteJobStore::CountJobsByState(
    const std::string& workspace_id) {
  std::map<JobState, int64_t> out;
  for (int i = static_cast<int>(JobState::kQueued); i <= static_cast<int>(JobState::kCancelled);
       ++i) {
    out[static_cast<JobState>(i)] = 0;
  }
  std::lock_guard lock(mu_);
  // Two statements so that each can use its index (jobs_by_state, jobs_by_workspace).
  CR_ASSIGN_OR_RETURN(auto s,
                      workspace_id.empty()
                          ? db_->Prepare("SELECT state, COUNT(*) FROM jobs GROUP BY state")
                          : db_->Prepare("SELECT state, COUNT(*) FROM jobs WHERE workspace_id = ?1 "
                                         "GROUP BY state"));
  if (!workspace_id.empty()) s->Bind(1, workspace_id);
  while (true) {
    CR_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    CR_ASSIGN_OR_RETURN(JobState state, ParseJobState(s->Text(0)));
    out[state] = s->Int(1);
  }
  return out;
}

Result<int64_t> SqliteJobStore::JobsVersion() {
  std::lock_guard lock(mu_);
  CR_ASSIGN_OR_RETURN(auto s, db_->Prepare("SELECT n FROM jobs_version WHERE id = 1"));
  CR_ASSIGN_OR_RETURN(bool row, s->Step());
  if (!row) return DataLossError("jobs_version row missing");
  return s->Int(0);
}

}  // namespace cutroom::jobs::sqlite
