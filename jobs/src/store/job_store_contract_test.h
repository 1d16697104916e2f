// The JobStore contract: a type-parameterised suite that every store must pass. A store's test
// instantiates it with a factory type providing
//   static std::unique_ptr<JobStore> Make(const std::string& dir, const Clock& clock);
// Two calls with the same `dir` must give two handles (connections) on the same data.
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, JobStoreContractTest, ::testing::Types<SqliteFactory>);
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#include "cutroom/jobs/clock.h"
#include "cutroom/jobs/job_store.h"
#include "test_support.h"

namespace cutroom::jobs {

template <typename Factory>
class JobStoreContractTest : public ::testing::Test {
 protected:
  std::unique_ptr<JobStore> Another() { return Factory::Make(dir_.path(), clock_); }

  // probe -> (a || b) -> c
  static NewJob Diamond(const std::string& kind = "render") {
    NewJob job;
    job.kind = kind;
    job.inputs = {{"timeline", "/tmp/t.json"}};
    job.options = {{"caption_style", "karaoke"}};
    job.workspace_id = "ws1";
    job.steps = {{"probe", {}}, {"a", {"probe"}}, {"b", {"probe"}}, {"c", {"a", "b"}}};
    return job;
  }
  static NewJob Single(int max_attempts = 3) {
    NewJob job;
    job.kind = "render";
    job.steps = {{"only", {}, max_attempts}};
    return job;
  }

  Claim MustClaim(const std::string& owner, int64_t lease_ms = 1000, JobId only = 0) {
    auto c = store_->ClaimStep({owner, lease_ms, only});
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_TRUE(c.ok() && c->has_value()) << "expected a runnable step";
    return c.ok() && c->has_value() ? **c : Claim{};
  }
  bool NothingToClaim(JobId only = 0) {
    auto c = store_->ClaimStep({"probe-owner", 1000, only});
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() && !c->has_value();
  }
  Job MustGet(JobId id) {
    auto j = store_->GetJob(id);
    EXPECT_TRUE(j.ok()) << j.status().ToString();
    return j.ok() ? *j : Job{};
  }
  StepState StateOf(JobId id, const std::string& step) {
    Job job = MustGet(id);
    const Step* s = job.FindStep(step);
    return s != nullptr ? s->state : StepState::kInvalid;
  }

  cutroom::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<JobStore> store_ = Factory::Make(dir_.path(), clock_);
};

TYPED_TEST_SUITE_P(JobStoreContractTest);

TYPED_TEST_P(JobStoreContractTest, CreatedJobRoundTripsWithPendingSteps) {
  auto id = this->store_->CreateJob(this->Diamond());
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  Job job = this->MustGet(*id);
  EXPECT_EQ(job.id, *id);
  EXPECT_EQ(job.kind, "render");
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.inputs.at("timeline"), "/tmp/t.json");
  EXPECT_EQ(job.options.at("caption_style"), "karaoke");
  EXPECT_EQ(job.workspace_id, "ws1");
  EXPECT_EQ(job.created_at_ms, this->clock_.NowMs());
  ASSERT_EQ(job.steps.size(), 4u);
  EXPECT_EQ(job.steps[0].name, "probe");
  EXPECT_EQ(job.steps[3].deps, (std::vector<std::string>{"a", "b"}));
  for (const auto& s : job.steps) EXPECT_EQ(s.state, StepState::kPending) << s.name;
}

TYPED_TEST_P(JobStoreContractTest, RejectsBadStepGraphs) {
  NewJob cycle = this->Single();
  cycle.steps = {{"x", {"y"}}, {"y", {"x"}}};
  EXPECT_EQ(this->store_->CreateJob(cycle).status().code(), StatusCode::kInvalidArgument);
  NewJob unknown = this->Single();
  unknown.steps = {{"x", {"nope"}}};
  EXPECT_EQ(this->store_->CreateJob(unknown).status().code(), StatusCode::kInvalidArgument);
  NewJob dup = this->Single();
  dup.steps = {{"x", {}}, {"x", {}}};
  EXPECT_EQ(this->store_->CreateJob(dup).status().code(), StatusCode::kInvalidArgument);
  NewJob none = this->Single();
  none.steps.clear();
  EXPECT_EQ(this->store_->CreateJob(none).status().code(), StatusCode::kInvalidArgument);
}

TYPED_TEST_P(JobStoreContractTest, IdempotencyKeyReturnsTheFirstJob) {
  NewJob job = this->Single();
  job.idempotency_key = "req-42";
  auto first = this->store_->CreateJob(job);
  auto second = this->store_->CreateJob(job);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  auto page = this->store_->ListJobs({}, {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->jobs.size(), 1u);
}

TYPED_TEST_P(JobStoreContractTest, UnknownJobIsNotFound) {
  EXPECT_EQ(this->store_->GetJob(999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->GetJobState(999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->CancelJob(999).code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->PauseJob(999).code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->ResumeJob(999).code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->RetryJob(999, std::nullopt).code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->ListEvents(999, 0, 10).status().code(), StatusCode::kNotFound);
}

TYPED_TEST_P(JobStoreContractTest, ClaimsFollowDependenciesAndCompleteTheJob) {
  JobId id = *this->store_->CreateJob(this->Diamond());
  Claim probe = this->MustClaim("w1");
  EXPECT_EQ(probe.lease.step, "probe");
  EXPECT_EQ(probe.lease.attempt, 1);
  EXPECT_EQ(probe.job.state, JobState::kRunning);
  EXPECT_TRUE(this->NothingToClaim()) << "a and b wait for probe";
  ASSERT_TRUE(this->store_->CompleteStep(probe.lease, {{{"probe.json", "ab", 3}}, "key1"}).ok());
  Claim a = this->MustClaim("w1");
  Claim b = this->MustClaim("w2");
  EXPECT_EQ((std::set<std::string>{a.lease.step, b.lease.step}), (std::set<std::string>{"a", "b"}));
  // The claimed job carries its dependencies' outputs.
  ASSERT_NE(a.job.FindStep("probe"), nullptr);
  EXPECT_EQ(a.job.FindStep("probe")->outputs, (std::vector<ArtifactRef>{{"probe.json", "ab", 3}}));
  EXPECT_TRUE(this->NothingToClaim());
  ASSERT_TRUE(this->store_->CompleteStep(a.lease, {}).ok());
  EXPECT_TRUE(this->NothingToClaim()) << "c waits for b";
  ASSERT_TRUE(this->store_->CompleteStep(b.lease, {}).ok());
  Claim c = this->MustClaim("w1");
  EXPECT_EQ(c.lease.step, "c");
  EXPECT_EQ(this->MustGet(id).state, JobState::kRunning);
  ASSERT_TRUE(this->store_->CompleteStep(c.lease, {}).ok());
  Job done = this->MustGet(id);
  EXPECT_EQ(done.state, JobState::kCompleted);
  EXPECT_GT(done.finished_at_ms, 0);
  EXPECT_EQ(done.FindStep("probe")->cache_key, "key1");
}

TYPED_TEST_P(JobStoreContractTest, OnlyJobRestrictsClaims) {
  JobId first = *this->store_->CreateJob(this->Single());
  JobId second = *this->store_->CreateJob(this->Single());
  Claim c = this->MustClaim("w", 1000, second);
  EXPECT_EQ(c.lease.job_id, second);
  EXPECT_TRUE(this->NothingToClaim(second));
  EXPECT_EQ(this->MustClaim("w", 1000, first).lease.job_id, first);
}

TYPED_TEST_P(JobStoreContractTest, ExpiredLeaseMakesTheStepRunnableAgain) {
  JobId id = *this->store_->CreateJob(this->Single());
  Claim first = this->MustClaim("dead-worker", 1000);
  this->clock_.AdvanceMs(999);
  EXPECT_TRUE(this->NothingToClaim()) << "the lease still holds";
  this->clock_.AdvanceMs(2);
  Claim second = this->MustClaim("live-worker", 1000);
  EXPECT_EQ(second.lease.step, "only");
  EXPECT_EQ(second.lease.attempt, 2);
  // The old holder is fenced off.
  EXPECT_EQ(this->store_->CompleteStep(first.lease, {}).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->store_->Heartbeat(first.lease, 1000, std::nullopt).status().code(),
            StatusCode::kFailedPrecondition);
  ASSERT_TRUE(this->store_->CompleteStep(second.lease, {}).ok());
  EXPECT_EQ(this->MustGet(id).state, JobState::kCompleted);
}

TYPED_TEST_P(JobStoreContractTest, HeartbeatRenewsTheLeaseAndRecordsProgress) {
  JobId id = *this->store_->CreateJob(this->Single());
  Claim c = this->MustClaim("w", 1000);
  this->clock_.AdvanceMs(800);
  auto state = this->store_->Heartbeat(c.lease, 1000, StepProgress{0.4, "encoding"});
  ASSERT_TRUE(state.ok()) << state.status().ToString();
  EXPECT_EQ(*state, JobState::kRunning);
  this->clock_.AdvanceMs(800);
  EXPECT_TRUE(this->NothingToClaim()) << "the heartbeat renewed the lease";
  Job job = this->MustGet(id);
  const Step& s = job.steps[0];
  EXPECT_DOUBLE_EQ(s.progress, 0.4);
  EXPECT_EQ(s.progress_message, "encoding");
  EXPECT_EQ(s.lease_owner, "w");
  EXPECT_TRUE(this->store_->CompleteStep(c.lease, {}).ok());
}

TYPED_TEST_P(JobStoreContractTest, LostLeasesUseUpAttemptsAndFailTheJob) {
  JobId id = *this->store_->CreateJob(this->Single(/*max_attempts=*/2));
  this->MustClaim("w1", 100);
  this->clock_.AdvanceMs(101);
  this->MustClaim("w2", 100);
  this->clock_.AdvanceMs(101);
  EXPECT_TRUE(this->NothingToClaim());
  Job job = this->MustGet(id);
  EXPECT_EQ(job.state, JobState::kFailed);
  EXPECT_EQ(job.steps[0].state, StepState::kFailed);
  EXPECT_EQ(job.steps[0].attempts, 2);
  EXPECT_NE(job.error_message.find("expired"), std::string::npos) << job.error_message;
}

TYPED_TEST_P(JobStoreContractTest, ExpireLeaseHandsADeadOwnersStepOver) {
  *this->store_->CreateJob(this->Single());
  Claim c = this->MustClaim("cli:host:123:w0", 60'000);
  EXPECT_EQ(this->store_->ExpireLease(c.lease.job_id, "only", "someone-else").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_TRUE(this->NothingToClaim());
  ASSERT_TRUE(this->store_->ExpireLease(c.lease.job_id, "only", "cli:host:123:w0").ok());
  EXPECT_EQ(this->MustClaim("cli:host:456:w0").lease.attempt, 2);
}

TYPED_TEST_P(JobStoreContractTest, RetryWaitsForItsBackoffTime) {
  JobId id = *this->store_->CreateJob(this->Single());
  Claim c = this->MustClaim("w");
  StepFailure f{StepEnd::kRetry, UnavailableError("network down"), this->clock_.NowMs() + 5000};
  ASSERT_TRUE(this->store_->FailStep(c.lease, f).ok());
  Job job = this->MustGet(id);
  EXPECT_EQ(job.steps[0].state, StepState::kPending);
  EXPECT_EQ(job.steps[0].error_code, StatusCode::kUnavailable);
  EXPECT_TRUE(this->NothingToClaim());
  this->clock_.AdvanceMs(5000);
  EXPECT_EQ(this->MustClaim("w").lease.attempt, 2);
}

TYPED_TEST_P(JobStoreContractTest, FailedStepFailsTheJobAndRetryRunsItAgain) {
  JobId id = *this->store_->CreateJob(this->Diamond());
  Claim probe = this->MustClaim("w");
  ASSERT_TRUE(this->store_->FailStep(probe.lease, {StepEnd::kFail, DataLossError("corrupt source")}).ok());
  Job job = this->MustGet(id);
  EXPECT_EQ(job.state, JobState::kFailed);
  EXPECT_EQ(job.error_code, StatusCode::kDataLoss);
  EXPECT_NE(job.error_message.find("step probe: corrupt source"), std::string::npos) << job.error_message;
  EXPECT_TRUE(this->NothingToClaim());
  ASSERT_TRUE(this->store_->RetryJob(id, std::nullopt).ok());
  job = this->MustGet(id);
  EXPECT_EQ(job.state, JobState::kQueued);
  EXPECT_EQ(job.steps[0].state, StepState::kPending);
  EXPECT_EQ(job.steps[0].attempts, 0);
  EXPECT_EQ(this->MustClaim("w").lease.step, "probe");
}

TYPED_TEST_P(JobStoreContractTest, RetryOfOneStepChecksItsState) {
  JobId id = *this->store_->CreateJob(this->Diamond());
  Claim probe = this->MustClaim("w");
  ASSERT_TRUE(this->store_->CompleteStep(probe.lease, {}).ok());
  Claim a = this->MustClaim("w");
  ASSERT_TRUE(this->store_->FailStep(a.lease, {StepEnd::kFail, InvalidArgumentError("bad option")}).ok());
  EXPECT_EQ(this->store_->RetryJob(id, std::string("probe")).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->store_->RetryJob(id, std::string("nope")).code(), StatusCode::kNotFound);
  ASSERT_TRUE(this->store_->RetryJob(id, a.lease.step).ok());
  EXPECT_EQ(this->StateOf(id, "probe"), StepState::kSucceeded) << "a succeeded step is kept";
  EXPECT_EQ(this->StateOf(id, a.lease.step), StepState::kPending);
}

TYPED_TEST_P(JobStoreContractTest, RetryOfARunningJobIsRejected) {
  JobId id = *this->store_->CreateJob(this->Single());
  this->MustClaim("w");
  Status s = this->store_->RetryJob(id, std::nullopt);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("running"), std::string::npos) << s.message();
}

TYPED_TEST_P(JobStoreContractTest, CancelStopsPendingStepsAndTellsTheRunningOnes) {
  JobId id = *this->store_->CreateJob(this->Diamond());
  Claim probe = this->MustClaim("w");
  ASSERT_TRUE(this->store_->CancelJob(id).ok());
  EXPECT_EQ(this->StateOf(id, "c"), StepState::kCancelled);
  auto state = this->store_->Heartbeat(probe.lease, 1000, std::nullopt);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(*state, JobState::kCancelled);
  ASSERT_TRUE(this->store_->FailStep(probe.lease, {StepEnd::kCancelled, CancelledError("stopped")}).ok());
  EXPECT_EQ(this->StateOf(id, "probe"), StepState::kCancelled);
  EXPECT_EQ(this->MustGet(id).state, JobState::kCancelled);
  EXPECT_TRUE(this->NothingToClaim());
  EXPECT_EQ(this->store_->CancelJob(id).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->store_->ResumeJob(id).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(this->store_->RetryJob(id, std::nullopt).ok());
  EXPECT_EQ(this->MustClaim("w").lease.step, "probe");
}

TYPED_TEST_P(JobStoreContractTest, PauseInterruptsWithoutUsingAnAttemptAndResumeContinues) {
  JobId id = *this->store_->CreateJob(this->Single());
  Claim c = this->MustClaim("w");
  ASSERT_TRUE(this->store_->PauseJob(id).ok());
  auto state = this->store_->Heartbeat(c.lease, 1000, std::nullopt);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(*state, JobState::kPaused);
  ASSERT_TRUE(this->store_->FailStep(c.lease, {StepEnd::kInterrupted, CancelledError("paused")}).ok());
  Job job = this->MustGet(id);
  EXPECT_EQ(job.state, JobState::kPaused);
  EXPECT_EQ(job.steps[0].state, StepState::kPending);
  EXPECT_EQ(job.steps[0].attempts, 0);
  EXPECT_TRUE(this->NothingToClaim());
  ASSERT_TRUE(this->store_->ResumeJob(id).ok());
  EXPECT_EQ(this->MustGet(id).state, JobState::kQueued);
  EXPECT_EQ(this->MustClaim("w").lease.attempt, 1);
}

TYPED_TEST_P(JobStoreContractTest, ResumeOfACompletedJobIsRejected) {
  JobId id = *this->store_->CreateJob(this->Single());
  ASSERT_TRUE(this->store_->CompleteStep(this->MustClaim("w").lease, {}).ok());
  Status s = this->store_->ResumeJob(id);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("completed"), std::string::npos) << s.message();
  EXPECT_EQ(this->store_->PauseJob(id).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(this->store_->RetryJob(id, std::nullopt).code(), StatusCode::kFailedPrecondition);
}

TYPED_TEST_P(JobStoreContractTest, ListsNewestFirstInPagesWithFilters) {
  std::vector<JobId> ids;
  for (int i = 0; i < 25; ++i) {
    NewJob job = this->Single();
    job.kind = i % 2 == 0 ? "render" : "clip";
    ids.push_back(*this->store_->CreateJob(job));
  }
  std::vector<JobId> seen;
  PageRequest page{10, 0};
  int pages = 0;
  do {
    auto p = this->store_->ListJobs({}, page);
    ASSERT_TRUE(p.ok()) << p.status().ToString();
    ++pages;
    for (const auto& j : p->jobs) {
      seen.push_back(j.id);
      EXPECT_TRUE(j.steps.empty());
    }
    page.after_id = p->next_after_id;
  } while (page.after_id != 0 && pages < 10);
  EXPECT_EQ(pages, 3);
  std::vector<JobId> expected(ids.rbegin(), ids.rend());
  EXPECT_EQ(seen, expected);
  auto clips = this->store_->ListJobs({std::nullopt, "clip", ""}, {100, 0});
  ASSERT_TRUE(clips.ok());
  EXPECT_EQ(clips->jobs.size(), 12u);
  ASSERT_TRUE(this->store_->CancelJob(ids[3]).ok());
  auto cancelled = this->store_->ListJobs({JobState::kCancelled, "", ""}, {100, 0});
  ASSERT_TRUE(cancelled.ok());
  ASSERT_EQ(cancelled->jobs.size(), 1u);
  EXPECT_EQ(cancelled->jobs[0].id, ids[3]);
  EXPECT_EQ(this->store_->ListJobs({}, {0, 0}).status().code(), StatusCode::kInvalidArgument);
}

TYPED_TEST_P(JobStoreContractTest, CacheEntriesRoundTripAndAge) {
  auto miss = this->store_->LookupCache("k1");
  ASSERT_TRUE(miss.ok());
  EXPECT_FALSE(miss->has_value());
  std::vector<ArtifactRef> outs{{"render.mp4", "cafe", 10}};
  ASSERT_TRUE(this->store_->InsertCache("k1", "render", outs).ok());
  auto hit = this->store_->LookupCache("k1");
  ASSERT_TRUE(hit.ok() && hit->has_value());
  EXPECT_EQ(**hit, outs);
  *this->store_->CreateJob(this->Single());
  ASSERT_TRUE(this->store_->CompleteStep(this->MustClaim("w").lease, {{{"x", "beef", 1}}, "k2"}).ok());
  auto refs = this->store_->ReferencedArtifacts();
  ASSERT_TRUE(refs.ok());
  EXPECT_EQ(std::set<std::string>(refs->begin(), refs->end()), (std::set<std::string>{"cafe", "beef"}));
  this->clock_.AdvanceMs(10'000);
  auto removed = this->store_->DeleteCacheEntriesUnusedSince(this->clock_.NowMs() - 5'000);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_FALSE(this->store_->LookupCache("k1")->has_value());
}

TYPED_TEST_P(JobStoreContractTest, EventsTellTheJobsStoryInOrder) {
  JobId id = *this->store_->CreateJob(this->Single());
  ASSERT_TRUE(this->store_->CompleteStep(this->MustClaim("w").lease, {}).ok());
  auto events = this->store_->ListEvents(id, 0, 100);
  ASSERT_TRUE(events.ok());
  std::vector<std::string> types;
  for (const auto& e : *events) types.push_back(e.type);
  EXPECT_EQ(types, (std::vector<std::string>{"job_created", "job_running", "step_started",
                                             "step_succeeded", "job_completed"}));
  auto later = this->store_->ListEvents(id, (*events)[2].id, 100);
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->size(), 2u);
}

TYPED_TEST_P(JobStoreContractTest, AStepCanAddStepsBeforeAPendingOne) {
  NewJob job = this->Single();
  job.kind = "clip";
  job.steps = {{"plan", {}}, {"package", {"plan"}}};
  JobId id = *this->store_->CreateJob(job);
  Claim plan = this->MustClaim("w");
  StepSuccess ok;
  ok.added_steps = {{{"render[0]", {"plan"}}, {"package"}}, {{"render[1]", {"plan"}}, {"package"}}};
  ASSERT_TRUE(this->store_->CompleteStep(plan.lease, ok).ok());
  Claim r0 = this->MustClaim("w");
  Claim r1 = this->MustClaim("w");
  EXPECT_EQ((std::set<std::string>{r0.lease.step, r1.lease.step}),
            (std::set<std::string>{"render[0]", "render[1]"}));
  EXPECT_TRUE(this->NothingToClaim()) << "package waits for every render";
  ASSERT_TRUE(this->store_->CompleteStep(r0.lease, {}).ok());
  EXPECT_TRUE(this->NothingToClaim());
  ASSERT_TRUE(this->store_->CompleteStep(r1.lease, {}).ok());
  EXPECT_EQ(this->MustClaim("w").lease.step, "package");
  EXPECT_EQ(this->MustGet(id).steps.size(), 4u);
}

TYPED_TEST_P(JobStoreContractTest, OnlyFinishedJobsCanBeDeleted) {
  JobId id = *this->store_->CreateJob(this->Single());
  EXPECT_EQ(this->store_->DeleteJob(id).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(this->store_->CancelJob(id).ok());
  ASSERT_TRUE(this->store_->DeleteJob(id).ok());
  EXPECT_EQ(this->store_->GetJob(id).status().code(), StatusCode::kNotFound);
}

TYPED_TEST_P(JobStoreContractTest, ThreadsWithTheirOwnHandlesNeverClaimTheSameStep) {
  constexpr int kJobs = 15, kThreads = 4;
  for (int i = 0; i < kJobs; ++i) *this->store_->CreateJob(this->Diamond());
  std::vector<std::unique_ptr<JobStore>> handles;
  for (int t = 0; t < kThreads; ++t) handles.push_back(this->Another());
  std::vector<std::vector<std::string>> claimed(kThreads);
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      int idle = 0;
      while (idle < 50) {
        auto c = handles[t]->ClaimStep({"t" + std::to_string(t), 60'000, 0});
        if (!c.ok()) {
          ++errors;
          return;
        }
        if (!c->has_value()) {
          ++idle;
          std::this_thread::yield();
          continue;
        }
        idle = 0;
        const Lease& lease = (*c)->lease;
        claimed[t].push_back(std::to_string(lease.job_id) + "/" + lease.step);
        if (!handles[t]->CompleteStep(lease, {}).ok()) ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  std::multiset<std::string> all;
  for (const auto& v : claimed) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), static_cast<size_t>(kJobs * 4));
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size()) << "a step was claimed twice";
  auto done = this->store_->ListJobs({JobState::kCompleted, "", ""}, {100, 0});
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->jobs.size(), static_cast<size_t>(kJobs));
}

TYPED_TEST_P(JobStoreContractTest, ListEventsAfterMergesEveryJobOldestFirst) {
  JobId first = *this->store_->CreateJob(this->Single());
  JobId second = *this->store_->CreateJob(this->Single());
  Claim c = this->MustClaim("w", 1000, first);
  // Another handle (another process) writes too: the poller sees its events.
  std::unique_ptr<JobStore> other = this->Another();
  ASSERT_TRUE(other->CancelJob(second).ok());
  ASSERT_TRUE(this->store_->CompleteStep(c.lease, {}).ok());

  auto all = this->store_->ListEventsAfter(0, 1000);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  std::vector<std::string> seen;
  for (size_t i = 0; i < all->size(); ++i) {
    const JobEvent& e = (*all)[i];
    if (i > 0) {
      EXPECT_GT(e.id, (*all)[i - 1].id) << "oldest first";
    }
    seen.push_back(std::to_string(e.job_id) + ":" + e.type);
  }
  std::string f = std::to_string(first) + ":", s = std::to_string(second) + ":";
  EXPECT_EQ(seen, (std::vector<std::string>{f + "job_created", s + "job_created", f + "job_running",
                                            f + "step_started", s + "job_cancelled",
                                            f + "step_succeeded", f + "job_completed"}));
  // Each job's own listing holds the same events.
  auto of_first = this->store_->ListEvents(first, 0, 100);
  ASSERT_TRUE(of_first.ok());
  EXPECT_EQ(of_first->size(), 5u);
  EXPECT_EQ(of_first->back().id, all->back().id);
  EXPECT_EQ(of_first->back().at_ms, this->clock_.NowMs());

  auto page = this->store_->ListEventsAfter((*all)[2].id, 2);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].id, (*all)[3].id);
  EXPECT_EQ((*page)[0].step, "only");
  EXPECT_EQ((*page)[1].id, (*all)[4].id);
  EXPECT_TRUE(this->store_->ListEventsAfter(all->back().id, 10)->empty()) << "nothing new yet";
  EXPECT_EQ(this->store_->ListEventsAfter(0, 0).status().code(), StatusCode::kInvalidArgument);
}

TYPED_TEST_P(JobStoreContractTest, CountJobsByStatePerWorkspace) {
  JobId a = *this->store_->CreateJob(this->Diamond());  // workspace ws1
  *this->store_->CreateJob(this->Diamond());
  NewJob elsewhere = this->Single();
  elsewhere.workspace_id = "ws2";
  *this->store_->CreateJob(elsewhere);
  ASSERT_TRUE(this->store_->CancelJob(a).ok());
  this->MustClaim("w");  // the second ws1 job starts running

  auto all = this->store_->CountJobsByState("");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->at(JobState::kCancelled), 1);
  EXPECT_EQ(all->at(JobState::kRunning), 1);
  EXPECT_EQ(all->at(JobState::kQueued), 1);
  EXPECT_EQ(all->at(JobState::kCompleted), 0) << "every state is present, empty ones as 0";
  EXPECT_EQ(all->size(), 8u);
  auto ws1 = this->store_->CountJobsByState("ws1");
  ASSERT_TRUE(ws1.ok());
  EXPECT_EQ(ws1->at(JobState::kCancelled), 1);
  EXPECT_EQ(ws1->at(JobState::kRunning), 1);
  EXPECT_EQ(ws1->at(JobState::kQueued), 0);
  auto none = this->store_->CountJobsByState("nobody");
  ASSERT_TRUE(none.ok());
  for (const auto& [state, n] : *none) EXPECT_EQ(n, 0) << JobStateName(state);
}

TYPED_TEST_P(JobStoreContractTest, CountRunnableStepsIsTheQueueDepth) {
  auto depth = [this] {
    auto n = this->store_->CountRunnableSteps();
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    return n.ok() ? *n : -1;
  };
  EXPECT_EQ(depth(), 0);
  JobId id = *this->store_->CreateJob(this->Diamond());
  EXPECT_EQ(depth(), 1) << "only probe: a and b wait for it";
  Claim probe = this->MustClaim("w");
  EXPECT_EQ(depth(), 0) << "a claimed step is no longer waiting";
  ASSERT_TRUE(this->store_->CompleteStep(probe.lease, {}).ok());
  EXPECT_EQ(depth(), 2);
  ASSERT_TRUE(this->store_->PauseJob(id).ok());
  EXPECT_EQ(depth(), 0) << "a paused job's steps are not runnable";
  ASSERT_TRUE(this->store_->ResumeJob(id).ok());
  EXPECT_EQ(depth(), 2);

  JobId single = *this->store_->CreateJob(this->Single());
  EXPECT_EQ(depth(), 3);
  Claim c = this->MustClaim("w", 1000, single);
  StepFailure retry{StepEnd::kRetry, UnavailableError("busy"), this->clock_.NowMs() + 5000};
  ASSERT_TRUE(this->store_->FailStep(c.lease, retry).ok());
  EXPECT_EQ(depth(), 2) << "a step waiting for its retry time is not runnable yet";
  this->clock_.AdvanceMs(5000);
  EXPECT_EQ(depth(), 3);
  ASSERT_TRUE(this->store_->CancelJob(id).ok());
  EXPECT_EQ(depth(), 1);
}

TYPED_TEST_P(JobStoreContractTest, JobsVersionMovesWithEveryJobChangeAndOnlyThen) {
  auto version = [](JobStore& store) {
    auto v = store.JobsVersion();
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? *v : -1;
  };
  int64_t v0 = version(*this->store_);
  EXPECT_EQ(version(*this->store_), v0) << "reading does not move it";
  JobId id = *this->store_->CreateJob(this->Diamond());
  int64_t v1 = version(*this->store_);
  EXPECT_NE(v1, v0) << "created";
  ASSERT_TRUE(this->store_->GetJob(id).ok());
  ASSERT_TRUE(this->store_->ListJobs({}, {}).ok());
  EXPECT_EQ(version(*this->store_), v1) << "reads leave it";
  ASSERT_TRUE(this->store_->PauseJob(id).ok());
  int64_t v2 = version(*this->store_);
  EXPECT_NE(v2, v1) << "paused";
  auto other = this->Another();  // another process sees the same number
  EXPECT_EQ(version(*other), v2);
  ASSERT_TRUE(other->CancelJob(id).ok());
  EXPECT_NE(version(*this->store_), v2) << "a change made through another connection";
  int64_t v3 = version(*this->store_);
  ASSERT_TRUE(this->store_->DeleteJob(id).ok());
  EXPECT_NE(version(*this->store_), v3) << "deleted";
}

REGISTER_TYPED_TEST_SUITE_P(JobStoreContractTest, CreatedJobRoundTripsWithPendingSteps,
                            RejectsBadStepGraphs, IdempotencyKeyReturnsTheFirstJob,
                            UnknownJobIsNotFound, ClaimsFollowDependenciesAndCompleteTheJob,
                            OnlyJobRestrictsClaims, ExpiredLeaseMakesTheStepRunnableAgain,
                            HeartbeatRenewsTheLeaseAndRecordsProgress,
                            LostLeasesUseUpAttemptsAndFailTheJob,
                            ExpireLeaseHandsADeadOwnersStepOver, RetryWaitsForItsBackoffTime,
                            FailedStepFailsTheJobAndRetryRunsItAgain, RetryOfOneStepChecksItsState,
                            RetryOfARunningJobIsRejected,
                            CancelStopsPendingStepsAndTellsTheRunningOnes,
                            PauseInterruptsWithoutUsingAnAttemptAndResumeContinues,
                            ResumeOfACompletedJobIsRejected, ListsNewestFirstInPagesWithFilters,
                            CacheEntriesRoundTripAndAge, EventsTellTheJobsStoryInOrder,
                            AStepCanAddStepsBeforeAPendingOne, OnlyFinishedJobsCanBeDeleted,
                            ThreadsWithTheirOwnHandlesNeverClaimTheSameStep,
                            ListEventsAfterMergesEveryJobOldestFirst, CountJobsByStatePerWorkspace,
                            CountRunnableStepsIsTheQueueDepth,
                            JobsVersionMovesWithEveryJobChangeAndOnlyThen);

}  // namespace cutroom::jobs
