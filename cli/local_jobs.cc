#include "local_jobs.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <vector>

#include "cli_common.h"
#include "cutroom/executor.h"
#include "cutroom/jobs/job_json.h"
#include "cutroom/jobs/worker.h"
#include "pipelines/builtin_pipelines.h"
#include "store/sqlite/sqlite_job_store.h"

namespace cutroom::cli {
namespace {

CancelToken* g_stop = nullptr;  // only for the signal handler; owned by RunJobLocally's stack
extern "C" void OnStopSignal(int) {
  if (g_stop != nullptr) g_stop->Cancel();
}

std::string HostName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) return "localhost";
  return host;
}

}  // namespace

std::string LocalOwner() { return "cli:" + HostName() + ":" + std::to_string(getpid()) + ":w0"; }

Result<std::unique_ptr<LocalJobs>> OpenLocalJobs(const std::string& data_dir) {
  auto local = std::make_unique<LocalJobs>();
  CR_ASSIGN_OR_RETURN(local->data, jobs::ResolveDataDir(data_dir));
  CR_ASSIGN_OR_RETURN(local->store, jobs::sqlite::SqliteJobStore::Open(local->data.db_path(), local->clock));
  CR_RETURN_IF_ERROR(jobs::RegisterBuiltinPipelines(local->pipelines));
  local->artifacts = std::make_unique<jobs::ArtifactStore>(local->data.artifacts_dir());
  return local;
}

Status ReleaseDeadLocalLeases(jobs::JobStore& store, jobs::JobId id) {
  CR_ASSIGN_OR_RETURN(jobs::Job job, store.GetJob(id));
  std::string prefix = "cli:" + HostName() + ":";
  for (const auto& step : job.steps) {
    if (step.state != jobs::StepState::kRunning) continue;
    const std::string& owner = step.lease_owner;
    bool local = owner.rfind(prefix, 0) == 0;
    long pid = local ? std::atol(owner.c_str() + prefix.size()) : 0;
    bool dead = local && pid > 0 && kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
    if (!dead) {
      return FailedPreconditionError("step " + step.name + " of job " + std::to_string(id) +
                                     " is being run by " + owner + "; wait for it or cancel the job");
    }
    CR_RETURN_IF_ERROR(store.ExpireLease(id, step.name, owner));
  }
  return Status::Ok();
}

int RunJobLocally(LocalJobs& local, jobs::JobId id, bool json, Logger& logger,
                  const std::string& command) {
  CancelToken stop;
  g_stop = &stop;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  ProgressBar bar;
  // A job may ask for steps side by side ("parallel", e.g. a clip job's renders) within its CPU
  // budget ("threads"); each step then gets threads/parallel.
  int parallel = 1, threads_per_step = 0;
  if (auto job = local.store->GetJob(id); job.ok()) {
    auto option = [&](const char* name) {
      auto it = job->options.find(name);
      return it == job->options.end() ? 0 : std::atoi(it->second.c_str());
    };
    parallel = std::clamp(option("parallel"), 1, 16);
    if (option("threads") > 0) threads_per_step = std::max(1, option("threads") / parallel);
  }
  ThreadPoolExecutor executor(parallel);
  jobs::WorkerOptions options;
  options.owner = LocalOwner();
  options.max_parallel_steps = parallel;
  options.threads_per_step = threads_per_step;
  options.on_progress = [&](jobs::JobId, const std::string& step, const jobs::StepProgress& p) {
    bar.Update(p.fraction, step + ": " + p.message);
  };
  jobs::Worker worker(*local.store, local.pipelines, *local.artifacts, local.clock, executor,
                      local.data.tmp_dir(), &logger, options);
  logger.Info("running job", {{"job", std::to_string(id)}, {"data", local.data.root}});
  auto state = worker.RunJob(id, stop);
  bar.Done();
  g_stop = nullptr;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  if (!state.ok()) return Fail(command, state.status().message());
  if (stop.IsCancelled() && !jobs::IsFinished(*state) && *state != jobs::JobState::kPaused) {
    Status paused = local.store->PauseJob(id);
    if (paused.ok()) state = jobs::JobState::kPaused;
  }
  auto job = local.store->GetJob(id);
  if (!job.ok()) return Fail(command, job.status().message());
  if (json) std::printf("%s\n", jobs::JobToJson(*job).c_str());
  std::string ids = std::to_string(id);
  switch (job->state) {
    case jobs::JobState::kCompleted: {
      int cached = 0;
      for (const auto& s : job->steps) cached += s.cache_hit;
      if (!json) {
        auto out = job->options.find("output");
        std::fprintf(stderr, "job %s completed (%d of %zu steps from the cache)%s%s\n", ids.c_str(),
                     cached, job->steps.size(), out != job->options.end() ? ": " : "",
                     out != job->options.end() ? out->second.c_str() : "");
      }
      return kExitOk;
    }
    case jobs::JobState::kPaused:
      std::fprintf(stderr, "job %s paused; continue with: cutroom jobs resume %s\n", ids.c_str(), ids.c_str());
      return kExitFailure;
    case jobs::JobState::kCancelled:
      return Fail(command, "job " + ids + " was cancelled");
    case jobs::JobState::kFailed:
      return Fail(command, "job " + ids + " failed: " + job->error_message +
                               "\n  see: cutroom jobs show " + ids + "; retry: cutroom jobs retry " + ids);
    default:
      return Fail(command, "job " + ids + " is " + std::string(jobs::JobStateName(job->state)));
  }
}

}  // namespace cutroom::cli
