#include "cutroom/jobs/worker.h"

#include <sys/resource.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

#include "cutroom/jobs/data_dir.h"

namespace cutroom::jobs {
namespace {

namespace fs = std::filesystem;

enum class StopReason { kNone = 0, kCancelled, kPaused, kJobEnded, kTimeout, kLeaseLost, kWorkerStop };

double ThreadCpuSeconds() {
  struct rusage usage {};
  getrusage(RUSAGE_THREAD, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Why a running step must stop, given its job's state; kNone when it may go on.
StopReason ReasonFor(JobState state) {
  switch (state) {
    case JobState::kCancelled: return StopReason::kCancelled;
    case JobState::kPaused: return StopReason::kPaused;
    case JobState::kFailed:
    case JobState::kCompleted: return StopReason::kJobEnded;
    default: return StopReason::kNone;
  }
}

// Hands the heap memory that a finished step freed back to the operating system.
//
// Why: glibc keeps freed memory in the arena of the thread that used it (one arena per thread
// that allocates, up to 8 per core) and, after a large block is freed, raises its mmap threshold
// so that later large blocks (decoded frames, x264's frame buffers) also come from those arenas.
// A step's memory therefore stays resident after it ends, and the next step, which usually runs
// on another thread or needs a different mix of sizes, cannot reuse most of it: a `cutroom clip`
// job grew by about one render's worth per round of parallel renders (docs/benchmarks.md, Clip).
// malloc_trim(0) returns the free pages of every arena (not only the top of the main heap). It
// takes each arena's lock in turn and costs milliseconds, once per step.
void ReleaseFreeMemory() {
#if defined(__GLIBC__)
  malloc_trim(0);
#endif
}

uint64_t SeedFrom(const std::string& owner) {
  return std::hash<std::string>{}(owner) ^ 0x9e3779b97f4a7c15ull;
}

}  // namespace

struct Worker::InFlight {
  Claim claim;
  const StepDef* def = nullptr;
  std::unique_ptr<StepContext> ctx;
  int64_t deadline_ms = 0;
  int64_t next_heartbeat_ms = 0;
  int64_t next_control_ms = 0;
  int64_t last_progress_ms = 0;
  StepProgress sent_progress;   // last stored by heartbeat
  StepProgress shown_progress;  // last handed to on_progress
  StopReason stop = StopReason::kNone;
  // Written by the executor task before it sets `done` (under the worker's done_mu).
  bool done = false;
  Status result;
  StepSuccess success;
};

// The completion signal between executor tasks and the worker thread. Lives in Loop's frame.
struct DoneSignal {
  std::mutex mu;
  std::condition_variable cv;
};

Worker::Worker(JobStore& store, const PipelineRegistry& pipelines, const ArtifactStore& artifacts,
               const Clock& clock, Executor& executor, std::string temp_root, Logger* logger,
               WorkerOptions options)
    : store_(store),
      pipelines_(pipelines),
      artifacts_(artifacts),
      clock_(clock),
      executor_(executor),
      temp_root_(std::move(temp_root)),
      logger_(logger),
      options_(std::move(options)),
      rng_(options_.jitter_seed != 0 ? options_.jitter_seed : SeedFrom(options_.owner)) {
  options_.heartbeat_ms = std::clamp<int64_t>(options_.heartbeat_ms, 1, std::max<int64_t>(1, options_.lease_ms / 3));
  options_.max_parallel_steps = std::max(1, options_.max_parallel_steps);
}

Status Worker::Run(const CancelToken& stop) { return Loop(0, stop).status(); }

Result<JobState> Worker::RunJob(JobId id, const CancelToken& stop) {
  if (id <= 0) return InvalidArgumentError("bad job id");
  CR_RETURN_IF_ERROR(store_.GetJobState(id).status());
  return Loop(id, stop);
}

void Worker::Execute(InFlight& flight) {
  double cpu_start = ThreadCpuSeconds();
  StepContext& ctx = *flight.ctx;
  const StepDef& def = *flight.def;
  const Job& job = flight.claim.job;
  const Step& step = flight.claim.step();
  StepSuccess& success = flight.success;
  Status status = [&]() -> Status {
    if (def.min_free_bytes > 0) {
      CR_RETURN_IF_ERROR(CheckFreeSpace(artifacts_.dir(), def.min_free_bytes, "step " + step.name));
    }
    if (def.cache == CachePolicy::kCache) {
      std::string fingerprint;
      if (def.fingerprint) {
        CR_ASSIGN_OR_RETURN(fingerprint, def.fingerprint(ctx));
      }
      CR_ASSIGN_OR_RETURN(success.cache_key, StepCacheKey(def, job, step, ctx.index(), fingerprint));
      CR_ASSIGN_OR_RETURN(auto hit, store_.LookupCache(success.cache_key));
      if (hit.has_value()) {
        bool all_present = true;
        for (const auto& a : *hit) all_present &= artifacts_.Contains(a);
        if (all_present) {
          success.outputs = *hit;
          success.cache_hit = true;
        }
      }
    }
    if (!success.cache_hit) {
      std::error_code ec;
      fs::remove_all(ctx.temp_dir(), ec);
      fs::create_directories(ctx.temp_dir(), ec);
      if (ec) return UnavailableError("cannot create " + ctx.temp_dir() + ": " + ec.message());
      Status run = def.run(ctx);
      if (run.ok() && !ctx.violation().empty()) {
        run = InternalError("step " + step.name + " read " + ctx.violation() +
                            " without declaring it; its cache key would be wrong");
      }
      for (size_t i = 0; run.ok() && i < ctx.declared_outputs().size(); ++i) {
        const std::string& name = ctx.declared_outputs()[i];
        auto ref = artifacts_.Put(ctx.temp_dir() + "/" + name, name, &ctx.cancel());
        if (ref.ok()) {
          success.outputs.push_back(*ref);
        } else {
          run = ref.status();
        }
      }
      fs::remove_all(ctx.temp_dir(), ec);  // also on failure: no temp files left behind
      CR_RETURN_IF_ERROR(run);
      if (!success.cache_key.empty()) {
        Status cached = store_.InsertCache(success.cache_key, def.name, success.outputs);
        if (!cached.ok() && logger_ != nullptr) {
          logger_->Warn("could not record cache entry", {{"step", step.name}, {"error", cached.ToString()}});
        }
      }
    }
    if (def.expand) {
      std::map<std::string, std::string> paths;
      for (const auto& a : success.outputs) paths[a.name] = artifacts_.PathOf(a.sha256);
      CR_ASSIGN_OR_RETURN(success.added_steps, def.expand(ctx, paths));
    }
    return Status::Ok();
  }();
  ReleaseFreeMemory();
  success.cpu_seconds = ThreadCpuSeconds() - cpu_start;
  flight.result = std::move(status);
}

void Worker::Start(InFlight& flight) {
  const Step& step = flight.claim.step();
  int64_t now = clock_.NowMs();
  std::string temp = temp_root_ + "/job" + std::to_string(flight.claim.job.id) + "-" + step.name +
                     "-a" + std::to_string(step.attempts) + "-" + std::to_string(rng_() % 1000000);
  flight.ctx = std::make_unique<StepContext>(flight.claim.job, step, *flight.def, artifacts_, temp,
                                             options_.threads_per_step, logger_);
  flight.deadline_ms = step.timeout_ms > 0 ? now + step.timeout_ms : 0;
  flight.next_heartbeat_ms = now + options_.heartbeat_ms;
  flight.next_control_ms = now + options_.control_poll_ms;
  ++steps_started_;
  if (logger_ != nullptr) {
    logger_->Debug("step started", {{"job", std::to_string(flight.claim.job.id)},
                                    {"step", step.name},
                                    {"attempt", std::to_string(step.attempts)}});
  }
}

Status Worker::Finish(InFlight& flight) {
  const Lease& lease = flight.claim.lease;
  const Step& step = flight.claim.step();
  std::string job_id = std::to_string(lease.job_id);
  if (flight.result.ok() && flight.stop != StopReason::kLeaseLost) {
    Status done = store_.CompleteStep(lease, flight.success);
    if (logger_ != nullptr) {
      if (done.ok()) {
        logger_->Info(flight.success.cache_hit ? "step cached" : "step done",
                      {{"job", job_id}, {"step", step.name}});
      } else {
        logger_->Warn("could not record step result", {{"job", job_id}, {"step", step.name}, {"error", done.ToString()}});
      }
    }
    return done;
  }
  StepFailure failure;
  failure.cpu_seconds = flight.success.cpu_seconds;
  Status error = flight.result;
  switch (flight.stop) {
    case StopReason::kLeaseLost:
      if (logger_ != nullptr) logger_->Warn("lease lost; result dropped", {{"job", job_id}, {"step", step.name}});
      return Status::Ok();
    case StopReason::kCancelled:
    case StopReason::kJobEnded:
      failure.end = StepEnd::kCancelled;
      failure.error = CancelledError(flight.stop == StopReason::kCancelled ? "job cancelled" : "job ended");
      return store_.FailStep(lease, failure);
    case StopReason::kPaused:
    case StopReason::kWorkerStop:
      failure.end = StepEnd::kInterrupted;
      failure.error = CancelledError(flight.stop == StopReason::kPaused ? "job paused" : "worker stopped");
      return store_.FailStep(lease, failure);
    case StopReason::kTimeout:
      error = DeadlineExceededError("step " + step.name + " ran past its timeout of " +
                                    std::to_string(step.timeout_ms) + " ms");
      break;
    case StopReason::kNone: break;
  }
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  RetryDecision decision =
      DecideRetry(error.code(), step.attempts, step.max_attempts, options_.backoff, jitter(rng_));
  if (decision.action == RetryAction::kRetry) {
    failure.end = StepEnd::kRetry;
    failure.error = error;
    failure.retry_at_ms = clock_.NowMs() + decision.delay_ms;
    if (logger_ != nullptr) {
      logger_->Warn("step failed; will retry", {{"job", job_id}, {"step", step.name},
                                               {"attempt", std::to_string(step.attempts)},
                                               {"retry_in_ms", std::to_string(decision.delay_ms)},
                                               {"error", error.ToString()}});
    }
  } else {
    failure.end = StepEnd::kFail;
    failure.error = IsTransient(error.code()) && step.attempts >= step.max_attempts
                        ? error.WithContext("after " + std::to_string(step.attempts) + " attempts")
                        : error;
    if (logger_ != nullptr) {
      logger_->Error("step failed", {{"job", job_id}, {"step", step.name},
                                     {"error", failure.error.ToString()}});
    }
  }
  return store_.FailStep(lease, failure);
}

Result<JobState> Worker::Loop(JobId only_job, const CancelToken& stop) {
  DoneSignal signal;
  std::list<std::unique_ptr<InFlight>> flights;
  Status fatal;

  auto is_done = [&](InFlight& f) {
    std::lock_guard lock(signal.mu);
    return f.done;
  };
  auto stop_flight = [](InFlight& f, StopReason reason) {
    if (f.stop != StopReason::kNone || reason == StopReason::kNone) return;
    f.stop = reason;
    f.ctx->mutable_cancel().Cancel();
  };
  // Stops everything in flight and records the outcomes; used on the way out.
  auto drain = [&](StopReason reason) {
    for (auto& f : flights) stop_flight(*f, reason);
    for (auto& f : flights) {
      std::unique_lock lock(signal.mu);
      signal.cv.wait(lock, [&] { return f->done; });
    }
    for (auto& f : flights) (void)Finish(*f);
    flights.clear();
  };

  while (true) {
    if (stop.IsCancelled()) {
      drain(StopReason::kWorkerStop);
      if (only_job == 0) return JobState::kInvalid;
      return store_.GetJobState(only_job);
    }
    // Claim as much work as there is room for.
    while (static_cast<int>(flights.size()) < options_.max_parallel_steps) {
      auto claim = store_.ClaimStep({options_.owner, options_.lease_ms, only_job});
      if (!claim.ok()) {
        if (claim.status().code() == StatusCode::kUnavailable) break;  // busy: try again later
        fatal = claim.status();
        break;
      }
      if (!claim->has_value()) break;
      auto flight = std::make_unique<InFlight>();
      flight->claim = std::move(**claim);
      flight->def = pipelines_.FindStep(flight->claim.job.kind, flight->claim.lease.step);
      if (flight->def == nullptr) {
        Status missing = UnimplementedError("no step '" + flight->claim.lease.step + "' in pipeline '" +
                                            flight->claim.job.kind + "'");
        (void)store_.FailStep(flight->claim.lease, {StepEnd::kFail, missing});
        continue;
      }
      Start(*flight);
      InFlight* raw = flight.get();
      flights.push_back(std::move(flight));
      executor_.Submit([this, raw, &signal] {
        Execute(*raw);
        std::lock_guard lock(signal.mu);
        raw->done = true;
        signal.cv.notify_all();
      });
    }
    if (!fatal.ok()) {
      drain(StopReason::kWorkerStop);
      return fatal;
    }
    if (flights.empty()) {
      if (only_job != 0) {
        auto state = store_.GetJobState(only_job);
        if (!state.ok() && state.status().code() != StatusCode::kUnavailable) return state.status();
        if (state.ok() && (IsFinished(*state) || *state == JobState::kPaused)) return *state;
      }
      // Nothing runnable now (retry backoff, a step held by another worker): look again soon.
      std::this_thread::sleep_for(std::chrono::milliseconds(options_.idle_poll_ms));
      continue;
    }
    {
      std::unique_lock lock(signal.mu);
      signal.cv.wait_for(lock, std::chrono::milliseconds(50), [&] {
        for (auto& f : flights) {
          if (f->done) return true;
        }
        return false;
      });
    }
    int64_t now = clock_.NowMs();
    for (auto it = flights.begin(); it != flights.end();) {
      InFlight& f = **it;
      if (is_done(f)) {
        (void)Finish(f);
        it = flights.erase(it);
        continue;
      }
      if (f.deadline_ms > 0 && now >= f.deadline_ms) stop_flight(f, StopReason::kTimeout);
      if (now >= f.next_control_ms) {
        f.next_control_ms = now + options_.control_poll_ms;
        auto state = store_.GetJobState(f.claim.lease.job_id);
        if (state.ok()) stop_flight(f, ReasonFor(*state));
      }
      StepProgress progress = f.ctx->progress();
      if (options_.on_progress && (progress.fraction != f.shown_progress.fraction ||
                                   progress.message != f.shown_progress.message)) {
        f.shown_progress = progress;
        options_.on_progress(f.claim.lease.job_id, f.claim.lease.step, progress);
      }
      bool progress_due = (progress.fraction != f.sent_progress.fraction ||
                           progress.message != f.sent_progress.message) &&
                          now - f.last_progress_ms >= 1000;
      if (now >= f.next_heartbeat_ms || progress_due) {
        auto state = store_.Heartbeat(f.claim.lease, options_.lease_ms, progress);
        if (state.ok()) {
          f.next_heartbeat_ms = now + options_.heartbeat_ms;
          f.last_progress_ms = now;
          f.sent_progress = progress;
          stop_flight(f, ReasonFor(*state));
        } else if (state.status().code() == StatusCode::kFailedPrecondition ||
                   state.status().code() == StatusCode::kNotFound) {
          stop_flight(f, StopReason::kLeaseLost);
        } else {
          f.next_heartbeat_ms = now + 500;  // busy database: try again soon, the lease has slack
        }
      }
      ++it;
    }
  }
}

}  // namespace cutroom::jobs
