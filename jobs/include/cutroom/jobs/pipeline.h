// Pipelines as step graphs. A PipelineDef declares, per job kind, its steps: dependencies, the
// options and inputs each reads (they make its cache key), its version, retry limits, timeout and
// the function that does the work. Pipelines are registered explicitly in one function
// (RegisterBuiltinPipelines); there is no static self-registration.
//
// Thread safety: a PipelineRegistry is built once, then only read (safe from any thread).
// StepContext: ReportProgress() and cancel() may be used from any thread, the rest from the thread
// running the step.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cutroom/cancel.h"
#include "cutroom/jobs/job_store.h"
#include "cutroom/jobs/model.h"
#include "cutroom/log.h"
#include "cutroom/status.h"

namespace cutroom::jobs {

class ArtifactStore;
struct StepDef;

// What a step function sees: the job's declared inputs and options, its dependencies' artifacts,
// where to write its outputs, a cancel token and a progress callback.
class StepContext {
 public:
  StepContext(const Job& job, const Step& step, const StepDef& def, const ArtifactStore& artifacts,
              std::string temp_dir, int threads, Logger* logger);

  const Job& job() const { return job_; }
  const Step& step() const { return step_; }
  // 3 for "render[3]"; -1 for a step that is not an instance of a fan-out template.
  int index() const { return index_; }
  // A job option or input the step declared (options_read / inputs_read); "" when the job does
  // not set it. Reading one it did not declare fails the step: its cache key would be wrong.
  std::string Option(const std::string& name) const;
  std::string Input(const std::string& name) const;
  // The stored file of artifact `artifact` produced by dependency `dep`.
  Result<std::string> InputArtifact(const std::string& dep, const std::string& artifact) const;
  // Where to write the output called `name` (a plain file name). After the function returns OK
  // the runner moves each such file into the artifact store; a missing one fails the step.
  std::string OutputPath(const std::string& name);
  const std::string& temp_dir() const { return temp_dir_; }
  int threads() const { return threads_; }  // CPU budget; 0 = library default
  Logger* logger() const { return logger_; }
  const CancelToken& cancel() const { return cancel_; }

  void ReportProgress(double fraction, const std::string& message);
  StepProgress progress() const;

  // For the runner.
  CancelToken& mutable_cancel() { return cancel_; }
  const std::vector<std::string>& declared_outputs() const { return outputs_; }
  // The first undeclared read, or "" (e.g. "option 'caption_style'").
  const std::string& violation() const { return violation_; }

 private:
  const Job& job_;
  const Step& step_;
  const StepDef& def_;
  const ArtifactStore& artifacts_;
  std::string temp_dir_;
  int threads_;
  Logger* logger_;
  int index_ = -1;
  CancelToken cancel_;
  std::vector<std::string> outputs_;
  mutable std::string violation_;
  mutable std::mutex progress_mu_;
  StepProgress progress_;  // guarded by progress_mu_
};

enum class CachePolicy {
  kInvalid = 0,
  kCache,  // pure function of its key: an unchanged step never runs twice
  kNever,  // has effects outside the data directory (writes the user's output file, publishes)
};

using StepFunction = std::function<Status(StepContext&)>;
// Extra cache-key material that is not a job artifact (e.g. fingerprints of source files).
using FingerprintFunction = std::function<Result<std::string>(StepContext&)>;
// Steps to add to the job after this one succeeded (ran or came from the cache), read from its
// outputs: `output_paths` maps its artifact names to stored files. Like plan adding render[i].
using ExpandFunction = std::function<Result<std::vector<StepSuccess::Added>>(
    StepContext&, const std::map<std::string, std::string>& output_paths)>;

struct StepDef {
  // "probe", or a fan-out template "render[]" whose instances "render[0]", "render[1]"... are
  // added by an earlier step's ExpandFunction.
  std::string name;
  int version = 1;  // bump when the function's output for the same inputs changes
  std::vector<std::string> deps;          // for steps in the initial graph
  std::vector<std::string> options_read;  // job options in the cache key
  std::vector<std::string> inputs_read;   // job inputs in the cache key (as strings)
  // Dependency artifacts in the cache key, "dep/name"; "{i}" is replaced by index(). Empty: all
  // artifacts of all dependencies.
  std::vector<std::string> artifacts_read;
  CachePolicy cache = CachePolicy::kCache;
  int max_attempts = 3;
  int64_t timeout_ms = 0;       // 0: none; past it the step is cancelled and retried
  int64_t min_free_bytes = 0;   // checked in the data directory before a heavy step runs
  FingerprintFunction fingerprint;  // optional
  StepFunction run;
  ExpandFunction expand;  // optional

  bool is_template() const { return name.size() > 2 && name.substr(name.size() - 2) == "[]"; }
};

struct PipelineDef {
  std::string kind;
  std::vector<StepDef> steps;
};

class PipelineRegistry {
 public:
  // Validates the definition: a run function per step, known dependencies, no cycle.
  Status Add(PipelineDef def);
  const PipelineDef* Find(const std::string& kind) const;
  // The definition for a step of a job: "render[3]" finds the template "render[]".
  const StepDef* FindStep(const std::string& kind, const std::string& step) const;
  // The steps a new job of `kind` starts with (templates excluded).
  Result<std::vector<StepSpec>> InitialSteps(const std::string& kind) const;
  std::vector<std::string> Kinds() const;

 private:
  std::map<std::string, PipelineDef> pipelines_;
};

// The cache key of a step: SHA-256 over its name and version, the options and inputs it reads,
// the content hashes of the dependency artifacts it reads and its fingerprint. Empty `fingerprint`
// when the step has none.
Result<std::string> StepCacheKey(const StepDef& def, const Job& job, const Step& step, int index,
                                 const std::string& fingerprint);

}  // namespace cutroom::jobs
