#include "cutroom/jobs/pipeline.h"

#include <algorithm>
#include <set>

#include "cutroom/jobs/artifact_store.h"
#include "sha256.h"

namespace cutroom::jobs {
namespace {

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// "render[3]" -> ("render[]", 3); "probe" -> ("probe", -1).
std::pair<std::string, int> SplitIndex(const std::string& step) {
  auto open = step.find('[');
  if (open == std::string::npos || step.back() != ']' || open + 2 > step.size() - 1) return {step, -1};
  std::string digits = step.substr(open + 1, step.size() - open - 2);
  if (digits.empty() || digits.size() > 6 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return {step, -1};
  }
  return {step.substr(0, open) + "[]", std::stoi(digits)};
}

std::string ReplaceIndex(std::string text, int index) {
  auto at = text.find("{i}");
  if (at != std::string::npos) text.replace(at, 3, std::to_string(index));
  return text;
}

// Length-prefixed fields: no two different key inputs hash the same text.
void Field(Sha256& h, std::string_view tag, std::string_view value) {
  std::string head = std::string(tag) + ":" + std::to_string(value.size()) + ":";
  h.Update(head);
  h.Update(value);
  h.Update("\n");
}

}  // namespace

StepContext::StepContext(const Job& job, const Step& step, const StepDef& def,
                         const ArtifactStore& artifacts, std::string temp_dir, int threads,
                         Logger* logger)
    : job_(job),
      step_(step),
      def_(def),
      artifacts_(artifacts),
      temp_dir_(std::move(temp_dir)),
      threads_(threads),
      logger_(logger),
      index_(SplitIndex(step.name).second) {}

std::string StepContext::Option(const std::string& name) const {
  if (!Contains(def_.options_read, name)) {
    if (violation_.empty()) violation_ = "option '" + name + "'";
    return "";
  }
  auto it = job_.options.find(name);
  return it == job_.options.end() ? "" : it->second;
}

std::string StepContext::Input(const std::string& name) const {
  if (!Contains(def_.inputs_read, name)) {
    if (violation_.empty()) violation_ = "input '" + name + "'";
    return "";
  }
  auto it = job_.inputs.find(name);
  return it == job_.inputs.end() ? "" : it->second;
}

Result<std::string> StepContext::InputArtifact(const std::string& dep, const std::string& artifact) const {
  if (!Contains(step_.deps, dep)) {
    return InternalError("step " + step_.name + " reads from " + dep + ", which it does not depend on");
  }
  if (!def_.artifacts_read.empty()) {
    bool declared = false;
    for (const auto& a : def_.artifacts_read) declared |= ReplaceIndex(a, index_) == dep + "/" + artifact;
    if (!declared) {
      if (violation_.empty()) violation_ = "artifact '" + dep + "/" + artifact + "'";
      return InternalError("step " + step_.name + " reads undeclared artifact " + dep + "/" + artifact);
    }
  }
  const Step* d = job_.FindStep(dep);
  const ArtifactRef* ref = d != nullptr ? d->FindOutput(artifact) : nullptr;
  if (ref == nullptr) return NotFoundError("step " + dep + " has no output '" + artifact + "'");
  if (!artifacts_.Contains(*ref)) {
    return DataLossError("stored artifact " + dep + "/" + artifact + " (" + ref->sha256 +
                         ") is missing or damaged; retry the job");
  }
  return artifacts_.PathOf(ref->sha256);
}

std::string StepContext::OutputPath(const std::string& name) {
  if (!Contains(outputs_, name)) outputs_.push_back(name);
  return temp_dir_ + "/" + name;
}

void StepContext::ReportProgress(double fraction, const std::string& message) {
  std::lock_guard lock(progress_mu_);
  progress_ = {std::clamp(fraction, 0.0, 1.0), message};
}

StepProgress StepContext::progress() const {
  std::lock_guard lock(progress_mu_);
  return progress_;
}

Status PipelineRegistry::Add(PipelineDef def) {
  if (def.kind.empty()) return InvalidArgumentError("a pipeline needs a kind");
  if (pipelines_.count(def.kind) > 0) return AlreadyExistsError("pipeline '" + def.kind + "' already registered");
  std::vector<StepSpec> initial;
  std::set<std::string> names;
  for (const auto& s : def.steps) {
    if (!s.run) return InvalidArgumentError("pipeline " + def.kind + ": step " + s.name + " has no function");
    if (s.cache == CachePolicy::kInvalid) return InvalidArgumentError("step " + s.name + ": no cache policy");
    if (!names.insert(s.name).second) return InvalidArgumentError("duplicate step " + s.name);
    if (!s.is_template()) initial.push_back({s.name, s.deps, s.max_attempts, s.timeout_ms});
  }
  CR_RETURN_IF_ERROR(ValidateStepGraph(initial).WithContext("pipeline " + def.kind));
  std::string kind = def.kind;
  pipelines_.emplace(std::move(kind), std::move(def));
  return Status::Ok();
}

const PipelineDef* PipelineRegistry::Find(const std::string& kind) const {
  auto it = pipelines_.find(kind);
  return it == pipelines_.end() ? nullptr : &it->second;
}

const StepDef* PipelineRegistry::FindStep(const std::string& kind, const std::string& step) const {
  const PipelineDef* p = Find(kind);
  if (p == nullptr) return nullptr;
  std::string def_name = SplitIndex(step).first;
  for (const auto& s : p->steps) {
    if (s.name == step || s.name == def_name) return &s;
  }
  return nullptr;
}

Result<std::vector<StepSpec>> PipelineRegistry::InitialSteps(const std::string& kind) const {
  const PipelineDef* p = Find(kind);
  if (p == nullptr) return NotFoundError("no pipeline for job kind '" + kind + "'");
  std::vector<StepSpec> out;
  for (const auto& s : p->steps) {
    if (!s.is_template()) out.push_back({s.name, s.deps, s.max_attempts, s.timeout_ms});
  }
  return out;
}

std::vector<std::string> PipelineRegistry::Kinds() const {
  std::vector<std::string> out;
  for (const auto& [kind, def] : pipelines_) out.push_back(kind);
  return out;
}

Result<std::string> StepCacheKey(const StepDef& def, const Job& job, const Step& step, int index,
                                 const std::string& fingerprint) {
  Sha256 h;
  Field(h, "cutroom-step-cache", "1");
  Field(h, "kind", job.kind);
  Field(h, "step", def.name);
  Field(h, "version", std::to_string(def.version));
  if (index >= 0) Field(h, "index", std::to_string(index));
  std::vector<std::string> options = def.options_read, inputs = def.inputs_read;
  std::sort(options.begin(), options.end());
  std::sort(inputs.begin(), inputs.end());
  for (const auto& o : options) {
    auto it = job.options.find(o);
    Field(h, "option", o);
    Field(h, it == job.options.end() ? "unset" : "value", it == job.options.end() ? "" : it->second);
  }
  for (const auto& i : inputs) {
    auto it = job.inputs.find(i);
    Field(h, "input", i);
    Field(h, it == job.inputs.end() ? "unset" : "value", it == job.inputs.end() ? "" : it->second);
  }
  std::vector<std::string> deps = step.deps;
  std::sort(deps.begin(), deps.end());
  for (const auto& dep_name : deps) {
    const Step* dep = job.FindStep(dep_name);
    if (dep == nullptr) return InternalError("step " + step.name + ": unknown dependency " + dep_name);
    std::vector<ArtifactRef> outs = dep->outputs;
    std::sort(outs.begin(), outs.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
    for (const auto& a : outs) {
      std::string id = dep_name + "/" + a.name;
      if (!def.artifacts_read.empty()) {
        bool read = false;
        for (const auto& r : def.artifacts_read) read |= ReplaceIndex(r, index) == id;
        if (!read) continue;
      }
      Field(h, "artifact", id);
      Field(h, "sha256", a.sha256);
    }
  }
  Field(h, "fingerprint", fingerprint);
  return h.FinalHex();
}

}  // namespace cutroom::jobs
