#include "cutroom/jobs/retry_policy.h"

#include <algorithm>

namespace cutroom::jobs {

bool IsTransient(StatusCode code) {
  return code == StatusCode::kUnavailable || code == StatusCode::kResourceExhausted ||
         code == StatusCode::kDeadlineExceeded;
}

RetryDecision DecideRetry(StatusCode code, int attempt, int max_attempts,
                          const BackoffOptions& backoff, double jitter) {
  if (code == StatusCode::kCancelled) return {RetryAction::kCancel, 0};
  if (!IsTransient(code) || attempt >= max_attempts) return {RetryAction::kFail, 0};
  int64_t delay = std::max<int64_t>(1, backoff.initial_ms);
  for (int i = 1; i < attempt && delay < backoff.max_ms; ++i) delay *= 2;
  delay = std::min(delay, std::max<int64_t>(1, backoff.max_ms));
  jitter = std::clamp(jitter, 0.0, 1.0);
  int64_t half = delay / 2;
  return {RetryAction::kRetry, half + static_cast<int64_t>(jitter * static_cast<double>(delay - half))};
}

}  // namespace cutroom::jobs
