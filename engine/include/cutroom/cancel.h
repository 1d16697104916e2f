// Cooperative cancellation: a token polled in loops and wired into FFmpeg's interrupt callback.
//
// Thread safety: Cancel() and IsCancelled() may be called from any thread.
#pragma once

#include <atomic>

namespace cutroom {

class CancelToken {
 public:
  void Cancel() { cancelled_.store(true, std::memory_order_relaxed); }
  bool IsCancelled() const { return cancelled_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> cancelled_{false};
};

}  // namespace cutroom
