// The local job engine the CLI commands share: the data directory, the SQLite store, the
// registered pipelines and an in-process worker that runs one job to its end.
#pragma once

#include <memory>
#include <string>

#include "cutroom/jobs/artifact_store.h"
#include "cutroom/jobs/clock.h"
#include "cutroom/jobs/data_dir.h"
#include "cutroom/jobs/job_store.h"
#include "cutroom/jobs/pipeline.h"
#include "cutroom/log.h"

namespace cutroom::cli {

struct LocalJobs {
  jobs::DataDir data;
  jobs::SystemClock clock;
  std::unique_ptr<jobs::JobStore> store;
  jobs::PipelineRegistry pipelines;
  std::unique_ptr<jobs::ArtifactStore> artifacts;
};

// Opens $CUTROOM_HOME (or `data_dir` when not empty) and registers the builtin pipelines.
Result<std::unique_ptr<LocalJobs>> OpenLocalJobs(const std::string& data_dir);

// This process's worker name: "cli:<host>:<pid>:w0".
std::string LocalOwner();

// Hands over steps whose lease is held by a process of this host that no longer exists (a killed
// `cutroom job render`). FailedPrecondition when a live process still holds one.
Status ReleaseDeadLocalLeases(jobs::JobStore& store, jobs::JobId id);

// Runs job `id` in this process until it ends. Ctrl-C (SIGINT/SIGTERM) pauses it. Prints the
// outcome (text or, with `json`, the job as JSON on stdout). Returns the exit code.
int RunJobLocally(LocalJobs& local, jobs::JobId id, bool json, Logger& logger,
                  const std::string& command);

}  // namespace cutroom::cli
