// What happens when a step's attempt fails: decided by error code in this one function.
//   Unavailable, ResourceExhausted, DeadlineExceeded (a timeout) -> retry with exponential backoff
//     and jitter while attempts remain;
//   Cancelled -> the step is cancelled (the job was cancelled);
//   everything else (InvalidArgument, NotFound, DataLoss, FailedPrecondition, Internal, ...) ->
//     fail now: running it again would give the same answer.
#pragma once

#include <cstdint>

#include "cutroom/status.h"

namespace cutroom::jobs {

struct BackoffOptions {
  int64_t initial_ms = 2'000;
  int64_t max_ms = 120'000;
};

enum class RetryAction { kInvalid = 0, kRetry, kFail, kCancel };

struct RetryDecision {
  RetryAction action = RetryAction::kInvalid;
  int64_t delay_ms = 0;  // kRetry only
};

bool IsTransient(StatusCode code);

// `attempt` is the attempt that just failed (1 for the first). `jitter` in [0, 1) comes from the
// caller's random source: the delay is uniformly spread over [d/2, d) where
// d = min(max_ms, initial_ms * 2^(attempt-1)), so that many workers do not retry in lockstep.
RetryDecision DecideRetry(StatusCode code, int attempt, int max_attempts,
                          const BackoffOptions& backoff, double jitter);

}  // namespace cutroom::jobs
