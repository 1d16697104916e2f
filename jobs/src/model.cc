#include "cutroom/jobs/model.h"

#include <algorithm>
#include <array>
#include <functional>
#include <set>
#include <utility>

namespace cutroom::jobs {
namespace {

constexpr std::array<std::pair<JobState, std::string_view>, 9> kJobStateNames{{
    {JobState::kQueued, "queued"},
    {JobState::kRunning, "running"},
    {JobState::kPaused, "paused"},
    {JobState::kReview, "review"},
    {JobState::kPublishing, "publishing"},
    {JobState::kCompleted, "completed"},
    {JobState::kFailed, "failed"},
    {JobState::kCancelled, "cancelled"},
    {JobState::kInvalid, "invalid"},
}};

constexpr std::array<std::pair<StepState, std::string_view>, 7> kStepStateNames{{
    {StepState::kPending, "pending"},
    {StepState::kRunning, "running"},
    {StepState::kSucceeded, "succeeded"},
    {StepState::kFailed, "failed"},
    {StepState::kSkipped, "skipped"},
    {StepState::kCancelled, "cancelled"},
    {StepState::kInvalid, "invalid"},
}};

// The allowed transitions, as (from, to) pairs. Everything else is rejected.
constexpr std::array<std::pair<JobState, JobState>, 20> kJobTransitions{{
    {JobState::kQueued, JobState::kRunning},
    {JobState::kQueued, JobState::kPaused},
    {JobState::kQueued, JobState::kCancelled},
    {JobState::kQueued, JobState::kFailed},  // a step ran out of attempts while the job waited
    {JobState::kRunning, JobState::kPaused},
    {JobState::kRunning, JobState::kCancelled},
    {JobState::kRunning, JobState::kCompleted},
    {JobState::kRunning, JobState::kFailed},
    {JobState::kRunning, JobState::kReview},
    {JobState::kRunning, JobState::kPublishing},
    {JobState::kPaused, JobState::kQueued},
    {JobState::kPaused, JobState::kCancelled},
    {JobState::kReview, JobState::kPublishing},
    {JobState::kReview, JobState::kCompleted},
    {JobState::kReview, JobState::kCancelled},
    {JobState::kPublishing, JobState::kCompleted},
    {JobState::kPublishing, JobState::kFailed},
    {JobState::kPublishing, JobState::kCancelled},
    {JobState::kFailed, JobState::kQueued},
    {JobState::kCancelled, JobState::kQueued},
}};

constexpr std::array<std::pair<StepState, StepState>, 9> kStepTransitions{{
    {StepState::kPending, StepState::kRunning},
    {StepState::kPending, StepState::kCancelled},
    {StepState::kPending, StepState::kSkipped},
    {StepState::kRunning, StepState::kSucceeded},
    {StepState::kRunning, StepState::kFailed},
    {StepState::kRunning, StepState::kPending},  // retry later, lease expired, or job paused
    {StepState::kRunning, StepState::kCancelled},
    {StepState::kFailed, StepState::kPending},     // retry
    {StepState::kCancelled, StepState::kPending},  // retry
}};

constexpr std::array<std::pair<StatusCode, std::string_view>, 14> kCodes{{
    {StatusCode::kOk, "OK"},
    {StatusCode::kCancelled, "Cancelled"},
    {StatusCode::kInvalidArgument, "InvalidArgument"},
    {StatusCode::kNotFound, "NotFound"},
    {StatusCode::kAlreadyExists, "AlreadyExists"},
    {StatusCode::kPermissionDenied, "PermissionDenied"},
    {StatusCode::kResourceExhausted, "ResourceExhausted"},
    {StatusCode::kFailedPrecondition, "FailedPrecondition"},
    {StatusCode::kOutOfRange, "OutOfRange"},
    {StatusCode::kUnimplemented, "Unimplemented"},
    {StatusCode::kInternal, "Internal"},
    {StatusCode::kUnavailable, "Unavailable"},
    {StatusCode::kDataLoss, "DataLoss"},
    {StatusCode::kDeadlineExceeded, "DeadlineExceeded"},
}};

bool ValidStepName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '[' || c == ']';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string_view JobStateName(JobState state) {
  for (const auto& [s, name] : kJobStateNames) {
    if (s == state) return name;
  }
  return "invalid";
}

std::string_view StepStateName(StepState state) {
  for (const auto& [s, name] : kStepStateNames) {
    if (s == state) return name;
  }
  return "invalid";
}

Result<JobState> ParseJobState(std::string_view name) {
  for (const auto& [s, n] : kJobStateNames) {
    if (n == name && s != JobState::kInvalid) return s;
  }
  return InvalidArgumentError("unknown job state '" + std::string(name) +
                              "' (queued, running, paused, review, publishing, completed, "
                              "failed, cancelled)");
}

Result<StepState> ParseStepState(std::string_view name) {
  for (const auto& [s, n] : kStepStateNames) {
    if (n == name && s != StepState::kInvalid) return s;
  }
  return InvalidArgumentError("unknown step state '" + std::string(name) + "'");
}

Result<StatusCode> ParseStatusCode(std::string_view name) {
  for (const auto& [code, n] : kCodes) {
    if (n == name) return code;
  }
  return InvalidArgumentError("unknown status code '" + std::string(name) + "'");
}

bool IsFinished(JobState state) {
  return state == JobState::kCompleted || state == JobState::kFailed ||
         state == JobState::kCancelled;
}

bool IsDone(StepState state) { return state == StepState::kSucceeded || state == StepState::kSkipped; }

Status CheckJobTransition(JobState from, JobState to) {
  for (const auto& [f, t] : kJobTransitions) {
    if (f == from && t == to) return Status::Ok();
  }
  return FailedPreconditionError("job cannot go from " + std::string(JobStateName(from)) + " to " +
                                 std::string(JobStateName(to)));
}

Status CheckStepTransition(StepState from, StepState to) {
  for (const auto& [f, t] : kStepTransitions) {
    if (f == from && t == to) return Status::Ok();
  }
  return FailedPreconditionError("step cannot go from " + std::string(StepStateName(from)) +
                                 " to " + std::string(StepStateName(to)));
}

const ArtifactRef* Step::FindOutput(std::string_view artifact_name) const {
  for (const auto& a : outputs) {
    if (a.name == artifact_name) return &a;
  }
  return nullptr;
}

const Step* Job::FindStep(std::string_view step_name) const {
  for (const auto& s : steps) {
    if (s.name == step_name) return &s;
  }
  return nullptr;
}

Status ValidateStepGraph(const std::vector<StepSpec>& steps) {
  if (steps.empty()) return InvalidArgumentError("a job needs at least one step");
  std::map<std::string, const StepSpec*> by_name;
  for (const auto& s : steps) {
    if (!ValidStepName(s.name)) {
      return InvalidArgumentError("bad step name '" + s.name +
                                  "' (1-64 of a-z, 0-9, _, [, ])");
    }
    if (!by_name.emplace(s.name, &s).second) {
      return InvalidArgumentError("duplicate step name '" + s.name + "'");
    }
    if (s.max_attempts < 1 || s.max_attempts > 100) {
      return InvalidArgumentError("step " + s.name + ": max_attempts must be 1..100");
    }
    if (s.timeout_ms < 0) return InvalidArgumentError("step " + s.name + ": negative timeout");
  }
  for (const auto& s : steps) {
    for (const auto& d : s.deps) {
      if (by_name.count(d) == 0) {
        return InvalidArgumentError("step " + s.name + " depends on unknown step '" + d + "'");
      }
    }
  }
  // Depth-first search for a cycle: 0 unvisited, 1 on the stack, 2 done.
  std::map<std::string, int> mark;
  std::function<bool(const StepSpec&)> has_cycle = [&](const StepSpec& s) {
    int& m = mark[s.name];
    if (m == 1) return true;
    if (m == 2) return false;
    m = 1;
    for (const auto& d : s.deps) {
      if (has_cycle(*by_name[d])) return true;
    }
    mark[s.name] = 2;
    return false;
  };
  for (const auto& s : steps) {
    if (has_cycle(s)) return InvalidArgumentError("the step graph has a cycle through " + s.name);
  }
  return Status::Ok();
}

}  // namespace cutroom::jobs
