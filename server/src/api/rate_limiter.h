// Token-bucket rate limits keyed by caller ("ip:1.2.3.4", "token:17", "user:3"). Each key may make
// `burst` requests at once and `per_second` on average; a refused request learns how many seconds
// until it would pass (Retry-After). Idle keys are forgotten, so memory stays bounded by the
// number of recently active callers.
//
// Thread safety: every method is safe from any thread.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "cutroom/jobs/clock.h"

namespace cutroom::server::api {

struct RateLimit {
  double per_second = 20;
  double burst = 100;
};

class RateLimiter {
 public:
  RateLimiter(const jobs::Clock& clock, RateLimit limit) : clock_(clock), limit_(limit) {}

  // 0 when the request may go ahead (a token is taken), else the seconds to wait (>= 1).
  int64_t Acquire(const std::string& key);

 private:
  struct Bucket {
    double tokens = 0;
    int64_t updated_ms = 0;
  };
  const jobs::Clock& clock_;
  RateLimit limit_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  int64_t last_sweep_ms_ = 0;
};

}  // namespace cutroom::server::api
