// The worker on a real SQLite store with small step functions: ordering, cache, retries, attempt
// limits, timeouts, cancel, pause/resume, lease takeover and graphs that grow.
#include "cutroom/jobs/worker.h"

#include <gtest/gtest.h>

#include <cstdio>

#include <atomic>
#include <filesystem>
#include <chrono>
#include <thread>

#include "cutroom/file_util.h"
#include "cutroom/jobs/data_dir.h"
#include "store/sqlite/sqlite_job_store.h"
#include "test_support.h"

namespace cutroom::jobs {
namespace {

using Clock_ = std::chrono::steady_clock;

int64_t MsSince(Clock_::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock_::now() - t).count();
}

// Waits for the step's cancel token (or 10 s), then reports cancellation.
Status WaitForCancel(StepContext& ctx, std::atomic<int>* started) {
  if (started != nullptr) ++*started;
  for (int i = 0; i < 1000 && !ctx.cancel().IsCancelled(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return ctx.cancel().IsCancelled() ? CancelledError("stopped") : InternalError("never cancelled");
}

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = ResolveDataDir(tmp_.path());
    ASSERT_TRUE(dir.ok());
    data_ = *dir;
    auto store = sqlite::SqliteJobStore::Open(data_.db_path(), clock_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  WorkerOptions Options(const std::string& owner = "test:w0") {
    WorkerOptions o;
    o.owner = owner;
    o.lease_ms = 2000;
    o.heartbeat_ms = 100;
    o.control_poll_ms = 50;
    o.idle_poll_ms = 20;
    o.backoff = {40, 200};
    return o;
  }

  Result<JobState> RunJob(JobId id, WorkerOptions options = {}) {
    if (options.owner.empty()) options = Options();
    Worker worker(*store_, registry_, artifacts_, clock_, executor_, data_.tmp_dir(), nullptr, options);
    CancelToken stop;
    return worker.RunJob(id, stop);
  }

  JobId Create(const std::string& kind, std::map<std::string, std::string> options = {}) {
    auto steps = registry_.InitialSteps(kind);
    EXPECT_TRUE(steps.ok());
    NewJob job;
    job.kind = kind;
    job.options = std::move(options);
    job.steps = *steps;
    auto id = store_->CreateJob(job);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return *id;
  }

  Job Get(JobId id) { return *store_->GetJob(id); }

  // kind "ab": a writes "a.txt" from option x; b (reads option y) writes a.txt's text + y.
  void RegisterAb() {
    PipelineDef def;
    def.kind = "ab";
    StepDef a;
    a.name = "a";
    a.options_read = {"x"};
    a.run = [this](StepContext& ctx) {
      ++runs_a_;
      return WriteFileAtomically(ctx.OutputPath("a.txt"), "a:" + ctx.Option("x"));
    };
    StepDef b;
    b.name = "b";
    b.deps = {"a"};
    b.options_read = {"y"};
    b.run = [this](StepContext& ctx) {
      ++runs_b_;
      CR_ASSIGN_OR_RETURN(std::string in, ctx.InputArtifact("a", "a.txt"));
      CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(in));
      return WriteFileAtomically(ctx.OutputPath("b.txt"), text + "|b:" + ctx.Option("y"));
    };
    def.steps = {a, b};
    ASSERT_TRUE(registry_.Add(def).ok());
  }

  // kind `kind`: one step "s" running `fn`.
  void RegisterOne(const std::string& kind, StepFunction fn, int max_attempts = 3, int64_t timeout_ms = 0) {
    PipelineDef def;
    def.kind = kind;
    StepDef s;
    s.name = "s";
    s.max_attempts = max_attempts;
    s.timeout_ms = timeout_ms;
    s.cache = CachePolicy::kNever;
    s.run = std::move(fn);
    def.steps = {s};
    ASSERT_TRUE(registry_.Add(def).ok());
  }

  cutroom::testing::TempDir tmp_;
  DataDir data_;
  SystemClock clock_;
  std::unique_ptr<JobStore> store_;
  PipelineRegistry registry_;
  ArtifactStore artifacts_{tmp_.path() + "/artifacts"};
  ThreadPoolExecutor executor_{2};
  std::atomic<int> runs_a_{0}, runs_b_{0};
};

TEST_F(WorkerTest, RunsStepsInOrderAndStoresTheirOutputs) {
  RegisterAb();
  JobId id = Create("ab", {{"x", "1"}, {"y", "2"}});
  auto state = RunJob(id);
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(*state, JobState::kCompleted);
  Job job = Get(id);
  const ArtifactRef* b = job.FindStep("b")->FindOutput("b.txt");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(cutroom::testing::ReadFile(artifacts_.PathOf(b->sha256)), "a:1|b:2");
  EXPECT_EQ(b->size_bytes, 7);
  EXPECT_EQ(job.FindStep("a")->attempts, 1);
  EXPECT_TRUE(std::filesystem::is_empty(data_.tmp_dir())) << "temporary folders are removed";
}

TEST_F(WorkerTest, AnUnchangedStepIsNeverRunTwice) {
  RegisterAb();
  ASSERT_EQ(*RunJob(Create("ab", {{"x", "1"}, {"y", "2"}})), JobState::kCompleted);
  JobId again = Create("ab", {{"x", "1"}, {"y", "2"}});
  ASSERT_EQ(*RunJob(again), JobState::kCompleted);
  EXPECT_EQ(runs_a_.load(), 1);
  EXPECT_EQ(runs_b_.load(), 1);
  EXPECT_TRUE(Get(again).FindStep("a")->cache_hit);
  EXPECT_TRUE(Get(again).FindStep("b")->cache_hit);
  // Changing only what b reads re-runs b alone.
  JobId changed = Create("ab", {{"x", "1"}, {"y", "3"}});
  ASSERT_EQ(*RunJob(changed), JobState::kCompleted);
  EXPECT_EQ(runs_a_.load(), 1);
  EXPECT_EQ(runs_b_.load(), 2);
  Job job = Get(changed);
  EXPECT_TRUE(job.FindStep("a")->cache_hit);
  EXPECT_FALSE(job.FindStep("b")->cache_hit);
  // A missing artifact is a cache miss, not a broken job.
  for (auto& f : std::filesystem::recursive_directory_iterator(artifacts_.dir())) {
    if (f.is_regular_file()) std::filesystem::remove(f.path());
  }
  ASSERT_EQ(*RunJob(Create("ab", {{"x", "1"}, {"y", "2"}})), JobState::kCompleted);
  EXPECT_EQ(runs_a_.load(), 2);
}

TEST_F(WorkerTest, TransientErrorsAreRetriedWithBackoff) {
  std::atomic<int> calls{0};
  std::vector<Clock_::time_point> times;
  RegisterOne("flaky", [&](StepContext&) {
    times.push_back(Clock_::now());
    return ++calls < 3 ? UnavailableError("service down") : Status::Ok();
  });
  JobId id = Create("flaky");
  ASSERT_EQ(*RunJob(id), JobState::kCompleted);
  EXPECT_EQ(calls.load(), 3);
  EXPECT_EQ(Get(id).steps[0].attempts, 3);
  ASSERT_EQ(times.size(), 3u);
  // Backoff 40 ms then 80 ms, each with jitter in [d/2, d).
  EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(times[1] - times[0]).count(), 20);
  EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(times[2] - times[1]).count(), 40);
  auto events = store_->ListEvents(id, 0, 100);
  int scheduled = 0;
  for (const auto& e : *events) scheduled += e.type == "step_retry_scheduled";
  EXPECT_EQ(scheduled, 2);
}

TEST_F(WorkerTest, PermanentErrorsFailAtOnce) {
  std::atomic<int> calls{0};
  RegisterOne("bad", [&](StepContext&) {
    ++calls;
    return InvalidArgumentError("segment 2 ends before it starts");
  });
  JobId id = Create("bad");
  ASSERT_EQ(*RunJob(id), JobState::kFailed);
  EXPECT_EQ(calls.load(), 1);
  Job job = Get(id);
  EXPECT_EQ(job.error_code, StatusCode::kInvalidArgument);
  EXPECT_EQ(job.error_message, "step s: segment 2 ends before it starts");
}

TEST_F(WorkerTest, AttemptLimitStopsRetries) {
  std::atomic<int> calls{0};
  RegisterOne("down", [&](StepContext&) {
    ++calls;
    return ResourceExhaustedError("quota");
  }, /*max_attempts=*/3);
  JobId id = Create("down");
  ASSERT_EQ(*RunJob(id), JobState::kFailed);
  EXPECT_EQ(calls.load(), 3);
  Job job = Get(id);
  EXPECT_EQ(job.steps[0].attempts, 3);
  EXPECT_NE(job.error_message.find("after 3 attempts"), std::string::npos) << job.error_message;
}

TEST_F(WorkerTest, AStepPastItsTimeoutIsCancelled) {
  std::atomic<int> started{0};
  RegisterOne("slow", [&](StepContext& ctx) { return WaitForCancel(ctx, &started); },
              /*max_attempts=*/1, /*timeout_ms=*/150);
  JobId id = Create("slow");
  auto t0 = Clock_::now();
  ASSERT_EQ(*RunJob(id), JobState::kFailed);
  EXPECT_LT(MsSince(t0), 5000);
  Job job = Get(id);
  EXPECT_EQ(job.steps[0].error_code, StatusCode::kDeadlineExceeded);
  EXPECT_NE(job.steps[0].error_message.find("timeout of 150 ms"), std::string::npos);
}

// The step waits for its cancel forever, so returning at all proves the cancel reached it; the
// bound is loose for loaded machines and the latency is printed.
TEST_F(WorkerTest, CancelStopsARunningStep) {
  std::atomic<int> started{0};
  RegisterOne("long", [&](StepContext& ctx) { return WaitForCancel(ctx, &started); });
  JobId id = Create("long");
  Clock_::time_point cancelled_at;
  std::thread canceller([&] {
    while (started.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    cancelled_at = Clock_::now();
    ASSERT_TRUE(store_->CancelJob(id).ok());
  });
  auto state = RunJob(id);
  auto returned_at = Clock_::now();
  canceller.join();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(*state, JobState::kCancelled);
  const auto latency_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(returned_at - cancelled_at).count();
  std::printf("[ measured ] cancel to return: %lld ms\n", static_cast<long long>(latency_ms));
  EXPECT_LT(latency_ms, 15000);
  EXPECT_EQ(Get(id).steps[0].state, StepState::kCancelled);
}

TEST_F(WorkerTest, PauseInterruptsAndResumeFinishes) {
  std::atomic<int> started{0};
  RegisterOne("pausable", [&](StepContext& ctx) {
    if (started.load() == 0) return WaitForCancel(ctx, &started);
    return Status::Ok();
  });
  JobId id = Create("pausable");
  std::thread pauser([&] {
    while (started.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_TRUE(store_->PauseJob(id).ok());
  });
  auto state = RunJob(id);
  pauser.join();
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(*state, JobState::kPaused);
  EXPECT_EQ(Get(id).steps[0].state, StepState::kPending);
  EXPECT_EQ(Get(id).steps[0].attempts, 0) << "a pause does not use up an attempt";
  ASSERT_TRUE(store_->ResumeJob(id).ok());
  EXPECT_EQ(*RunJob(id), JobState::kCompleted);
}

TEST_F(WorkerTest, AnotherWorkerTakesOverAnExpiredLease) {
  std::atomic<int> calls{0};
  RegisterOne("takeover", [&](StepContext&) {
    ++calls;
    return Status::Ok();
  });
  JobId id = Create("takeover");
  // A worker that claimed the step and died: it never heartbeats.
  auto dead = store_->ClaimStep({"dead", 300, 0});
  ASSERT_TRUE(dead.ok() && dead->has_value());
  auto t0 = Clock_::now();
  ASSERT_EQ(*RunJob(id), JobState::kCompleted);
  EXPECT_GE(MsSince(t0), 250) << "the live worker waited for the lease to expire";
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(Get(id).steps[0].attempts, 2);
}

TEST_F(WorkerTest, HeartbeatsKeepALongStepFromBeingTakenOver) {
  std::atomic<int> calls{0};
  RegisterOne("long_ok", [&](StepContext&) {
    ++calls;
    std::this_thread::sleep_for(std::chrono::milliseconds(2000));
    return Status::Ok();
  });
  JobId id = Create("long_ok");
  WorkerOptions a = Options("test:a"), b = Options("test:b");
  a.lease_ms = b.lease_ms = 1000;  // the step takes twice as long; heartbeats every 100 ms keep it
  std::thread second([&] { EXPECT_EQ(*RunJob(id, b), JobState::kCompleted); });
  EXPECT_EQ(*RunJob(id, a), JobState::kCompleted);
  second.join();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_EQ(Get(id).steps[0].attempts, 1);
}

TEST_F(WorkerTest, ReadingAnUndeclaredOptionFailsTheStep) {
  PipelineDef def;
  def.kind = "sneaky";
  StepDef s;
  s.name = "s";
  s.run = [](StepContext& ctx) {
    (void)ctx.Option("caption_style");
    return Status::Ok();
  };
  def.steps = {s};
  ASSERT_TRUE(registry_.Add(def).ok());
  JobId id = Create("sneaky", {{"caption_style", "karaoke"}});
  ASSERT_EQ(*RunJob(id), JobState::kFailed);
  EXPECT_NE(Get(id).error_message.find("option 'caption_style'"), std::string::npos) << Get(id).error_message;
}

// The shape of the clip pipeline: plan decides how many renders there are.
TEST_F(WorkerTest, AStepCanFanOutIntoIndexedSteps) {
  std::atomic<int> renders{0};
  PipelineDef def;
  def.kind = "fan";
  StepDef plan;
  plan.name = "plan";
  plan.options_read = {"clips"};
  plan.run = [](StepContext& ctx) { return WriteFileAtomically(ctx.OutputPath("plan.txt"), ctx.Option("clips")); };
  plan.expand = [](StepContext&, const std::map<std::string, std::string>& outputs)
      -> Result<std::vector<StepSuccess::Added>> {
    CR_ASSIGN_OR_RETURN(std::string n, ReadSmallFile(outputs.at("plan.txt")));
    std::vector<StepSuccess::Added> added;
    for (int i = 0; i < std::stoi(n); ++i) {
      added.push_back({{"render[" + std::to_string(i) + "]", {"plan"}}, {"package"}});
    }
    return added;
  };
  StepDef render;
  render.name = "render[]";
  render.run = [&](StepContext& ctx) {
    ++renders;
    return WriteFileAtomically(ctx.OutputPath("clip.txt"), "clip " + std::to_string(ctx.index()));
  };
  StepDef package;
  package.name = "package";
  package.deps = {"plan"};
  package.cache = CachePolicy::kNever;
  package.run = [](StepContext& ctx) {
    std::string all;
    for (const auto& dep : ctx.step().deps) {
      if (dep == "plan") continue;
      CR_ASSIGN_OR_RETURN(std::string path, ctx.InputArtifact(dep, "clip.txt"));
      CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
      all += text + ";";
    }
    return WriteFileAtomically(ctx.OutputPath("all.txt"), all);
  };
  def.steps = {plan, render, package};
  ASSERT_TRUE(registry_.Add(def).ok());
  JobId id = Create("fan", {{"clips", "3"}});
  ASSERT_EQ(*RunJob(id), JobState::kCompleted);
  Job job = Get(id);
  ASSERT_EQ(job.steps.size(), 5u);
  EXPECT_EQ(renders.load(), 3);
  const ArtifactRef* all = job.FindStep("package")->FindOutput("all.txt");
  ASSERT_NE(all, nullptr);
  EXPECT_EQ(cutroom::testing::ReadFile(artifacts_.PathOf(all->sha256)), "clip 0;clip 1;clip 2;");
  // From the cache, plan still expands the graph; the renders are cached too.
  JobId again = Create("fan", {{"clips", "3"}});
  ASSERT_EQ(*RunJob(again), JobState::kCompleted);
  EXPECT_EQ(Get(again).steps.size(), 5u);
  EXPECT_EQ(renders.load(), 3);
}

}  // namespace
}  // namespace cutroom::jobs
