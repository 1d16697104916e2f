#include "api/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace cutroom::server::api {

int64_t RateLimiter::Acquire(const std::string& key) {
  if (limit_.per_second <= 0) return 0;  // unlimited
  int64_t now = clock_.NowMs();
  std::lock_guard lock(mu_);
  if (now - last_sweep_ms_ > 60'000) {
    // A bucket idle long enough to be full again carries no information.
    double refill_ms = limit_.burst / limit_.per_second * 1000.0;
    std::erase_if(buckets_, [&](const auto& kv) { return now - kv.second.updated_ms > refill_ms; });
    last_sweep_ms_ = now;
  }
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{limit_.burst, now});
  Bucket& b = it->second;
  if (!inserted) {
    b.tokens = std::min(limit_.burst, b.tokens + (now - b.updated_ms) / 1000.0 * limit_.per_second);
    b.updated_ms = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1.0 - b.tokens) / limit_.per_second)));
}

}  // namespace cutroom::server::api
