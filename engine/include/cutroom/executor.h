// Executors: the engine starts no hidden threads; callers pass one of these.
//
// Thread safety: Submit() may be called from any thread. Tasks must not throw.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cutroom {

class Executor {
 public:
  virtual ~Executor() = default;
  virtual void Submit(std::function<void()> task) = 0;
  // How many tasks run at once; callers size their work split by it.
  virtual int Concurrency() const = 0;
};

// Runs each task at once on the calling thread.
class InlineExecutor final : public Executor {
 public:
  void Submit(std::function<void()> task) override { task(); }
  int Concurrency() const override { return 1; }
};

// A fixed pool of threads; the destructor finishes queued tasks, then joins.
class ThreadPoolExecutor final : public Executor {
 public:
  explicit ThreadPoolExecutor(int threads);
  ~ThreadPoolExecutor() override;
  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;

  void Submit(std::function<void()> task) override;
  int Concurrency() const override { return static_cast<int>(threads_.size()); }

 private:
  void Loop();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace cutroom
