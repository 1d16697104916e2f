// End-to-end tests of the job engine through the `cutroom` binary, run as a user runs it: a
// killed `cutroom job render` resumes, caption-style changes re-run only what reads them, cancel
// from another process stops FFmpeg work quickly, and bad requests get clear errors. The test
// reads the job database directly (a second SQLite connection) to see which steps ran.
#include <gtest/gtest.h>

#include <cstdio>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "cutroom/jobs/clock.h"
#include "store/sqlite/sqlite_job_store.h"
#include "test_support.h"

namespace cutroom {
namespace {

using jobs::JobState;
using jobs::StepState;
using testing::TempDir;

// A short talk-like fixture: moving test pattern + tone; `seconds` long.
std::string MakeSource(const TempDir& dir, int seconds) {
  std::string src = dir.File("src.mp4");
  EXPECT_TRUE(testing::Ffmpeg("-f lavfi -i testsrc2=size=640x360:rate=25 -f lavfi -i sine=f=330:r=44100 -t " +
                              std::to_string(seconds) + " -c:v libx264 -preset ultrafast -c:a aac '" + src + "'"));
  return src;
}

// A Timeline that plays `src` (`seconds` long) `repeats` times: long renders without a long source.
std::string WriteTimeline(const TempDir& dir, const std::string& src, int seconds, int repeats = 1) {
  std::string path = dir.File("t.json");
  std::string segments;
  for (int i = 0; i < repeats; ++i) {
    if (i > 0) segments += ",";
    segments += R"({"source":"src","in":"0","out":")" + std::to_string(seconds) + R"("})";
  }
  testing::WriteFile(path, R"({"version":1,"output":{"width":360,"height":640,"fps":"25"},)"
                           R"("sources":[{"id":"src","path":")" + src + R"("}],)"
                           R"("segments":[)" + segments + R"(],)"
                           R"("captions":{"style":"highlight_word","words":[)"
                           R"({"text":"Hello","start":"0.2","end":"0.8"},{"text":"world.","start":"0.8","end":"1.6"}]}})");
  return path;
}

std::string Cli(const std::string& home, const std::string& args) { return testing::CliWithHome(home, args); }
using testing::Spawn;
using testing::WaitExit;

class JobsE2E : public ::testing::Test {
 protected:
  std::string Home() const { return dir_.File("home"); }

  std::unique_ptr<jobs::sqlite::SqliteJobStore> Store() {
    auto store = jobs::sqlite::SqliteJobStore::Open(Home() + "/cutroom.db", clock_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  jobs::Job GetJob(jobs::JobId id) {
    auto job = Store()->GetJob(id);
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    return job.ok() ? *job : jobs::Job{};
  }

  // How many times each step was started (its function ran or the cache was consulted).
  int Starts(jobs::JobId id, const std::string& step) {
    auto events = Store()->ListEvents(id, 0, 1000);
    int n = 0;
    for (const auto& e : *events) n += e.step == step && e.type == "step_started";
    return n;
  }

  // Polls until job 1's render step runs and has made progress; false after 30 s.
  bool WaitUntilRendering(jobs::JobId id) {
    for (int i = 0; i < 1500; ++i) {
      auto store = jobs::sqlite::SqliteJobStore::Open(Home() + "/cutroom.db", clock_);
      if (store.ok()) {
        auto job = (*store)->GetJob(id);
        if (job.ok()) {
          const jobs::Step* render = job->FindStep("render");
          if (render != nullptr && render->state == StepState::kRunning && render->progress > 0.05) return true;
          if (render != nullptr && render->state == StepState::kSucceeded) return false;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  TempDir dir_;
  jobs::SystemClock clock_;
};

TEST_F(JobsE2E, AKilledRenderResumesWithoutRedoingFinishedStepsAndGivesTheSameBytes) {
  std::string src = MakeSource(dir_, 10);
  std::string timeline = WriteTimeline(dir_, src, 10, 4);
  // The reference: an uninterrupted run in another data directory.
  auto ref = testing::Run(Cli(dir_.File("ref_home"), "job render '" + timeline + "' -o '" +
                                                         dir_.File("ref.mp4") + "' --threads 1"));
  ASSERT_EQ(ref.exit_code, 0) << ref.output;

  pid_t pid = Spawn(Home(), {"job", "render", timeline, "-o", dir_.File("out.mp4"), "--threads", "1"},
                    dir_.File("killed.log"));
  ASSERT_TRUE(WaitUntilRendering(1)) << testing::ReadFile(dir_.File("killed.log"));
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  EXPECT_EQ(WaitExit(pid), -SIGKILL);
  jobs::Job crashed = GetJob(1);
  EXPECT_EQ(crashed.state, JobState::kRunning);
  EXPECT_EQ(crashed.FindStep("probe")->state, StepState::kSucceeded);
  EXPECT_EQ(crashed.FindStep("render")->state, StepState::kRunning) << "held by the dead process";
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out.mp4")));

  auto resumed = testing::Run(Cli(Home(), "jobs resume 1"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  jobs::Job done = GetJob(1);
  EXPECT_EQ(done.state, JobState::kCompleted);
  EXPECT_EQ(Starts(1, "probe"), 1) << "probe had succeeded and must not run again";
  EXPECT_EQ(Starts(1, "render"), 2);
  EXPECT_EQ(Starts(1, "package"), 1);
  EXPECT_EQ(done.FindStep("render")->attempts, 2);
  EXPECT_EQ(testing::ReadFile(dir_.File("out.mp4")), testing::ReadFile(dir_.File("ref.mp4")))
      << "the resumed output must be byte-identical to an uninterrupted run";
  EXPECT_TRUE(std::filesystem::exists(dir_.File("out.manifest.json")));
}

TEST_F(JobsE2E, ACaptionStyleChangeReRunsOnlyRenderAndPackage) {
  std::string src = MakeSource(dir_, 2);
  std::string timeline = WriteTimeline(dir_, src, 2);
  auto run = [&](const std::string& out, const std::string& extra) {
    return testing::Run(Cli(Home(), "job render '" + timeline + "' -o '" + dir_.File(out) + "' --threads 1" + extra));
  };
  auto first = run("a.mp4", "");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  auto restyled = run("b.mp4", " --caption-style karaoke");
  ASSERT_EQ(restyled.exit_code, 0) << restyled.output;
  jobs::Job job = GetJob(2);
  EXPECT_TRUE(job.FindStep("probe")->cache_hit) << "probe does not read the caption style";
  EXPECT_FALSE(job.FindStep("render")->cache_hit) << "render reads it";
  EXPECT_FALSE(job.FindStep("package")->cache_hit);
  EXPECT_NE(testing::ReadFile(dir_.File("a.mp4")), testing::ReadFile(dir_.File("b.mp4")));
  // Unchanged: nothing but the package copy runs, and the bytes are the first run's.
  auto again = run("c.mp4", "");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  job = GetJob(3);
  EXPECT_TRUE(job.FindStep("probe")->cache_hit);
  EXPECT_TRUE(job.FindStep("render")->cache_hit);
  EXPECT_EQ(testing::ReadFile(dir_.File("c.mp4")), testing::ReadFile(dir_.File("a.mp4")));
  EXPECT_NE(again.output.find("2 of 3 steps from the cache"), std::string::npos) << again.output;
}

// The render would take minutes (5 minutes of output on one thread); the cancel must stop it
// at once. The bound is loose on purpose (a loaded CI machine is slow): what it proves is that
// FFmpeg work stops at the cancel instead of running to the end. The latency is printed.
TEST_F(JobsE2E, CancelFromAnotherProcessStopsTheRender) {
  std::string src = MakeSource(dir_, 10);
  std::string timeline = WriteTimeline(dir_, src, 10, 30);
  pid_t pid = Spawn(Home(), {"job", "render", timeline, "-o", dir_.File("out.mp4"), "--threads", "1"},
                    dir_.File("render.log"));
  ASSERT_TRUE(WaitUntilRendering(1)) << testing::ReadFile(dir_.File("render.log"));
  auto cancel = testing::Run(Cli(Home(), "jobs cancel 1 --json"));
  ASSERT_EQ(cancel.exit_code, 0) << cancel.output;
  EXPECT_EQ(WaitExit(pid), 1);
  EXPECT_NE(testing::ReadFile(dir_.File("render.log")).find("was cancelled"), std::string::npos);
  jobs::Job job = GetJob(1);
  EXPECT_EQ(job.state, JobState::kCancelled);
  const jobs::Step* render = job.FindStep("render");
  EXPECT_EQ(render->state, StepState::kCancelled);
  // The store's own clock: from the cancel request to the step's recorded stop.
  const int64_t latency_ms = render->finished_at_ms - job.finished_at_ms;
  std::printf("[ measured ] cancel to stop: %lld ms\n", static_cast<long long>(latency_ms));
  EXPECT_LT(latency_ms, 15000) << "the render did not stop at the cancel";
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out.mp4")));
  auto second = testing::Run(Cli(Home(), "jobs cancel 1"));
  EXPECT_EQ(second.exit_code, 1);
  EXPECT_NE(second.output.find("already cancelled"), std::string::npos) << second.output;
}

TEST_F(JobsE2E, CtrlCPausesAndResumeFinishes) {
  std::string src = MakeSource(dir_, 10);
  // A minute of output on one thread: long enough that the signal lands mid-render on a fast machine.
  std::string timeline = WriteTimeline(dir_, src, 10, 6);
  pid_t pid = Spawn(Home(), {"job", "render", timeline, "-o", dir_.File("out.mp4"), "--threads", "1"},
                    dir_.File("render.log"));
  ASSERT_TRUE(WaitUntilRendering(1)) << testing::ReadFile(dir_.File("render.log"));
  ASSERT_EQ(kill(pid, SIGINT), 0);
  EXPECT_EQ(WaitExit(pid), 1);
  EXPECT_NE(testing::ReadFile(dir_.File("render.log")).find("cutroom jobs resume 1"), std::string::npos);
  jobs::Job paused = GetJob(1);
  EXPECT_EQ(paused.state, JobState::kPaused);
  EXPECT_EQ(paused.FindStep("render")->state, StepState::kPending);
  EXPECT_EQ(paused.FindStep("render")->attempts, 0);
  auto resumed = testing::Run(Cli(Home(), "jobs resume 1 --json"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_NE(resumed.output.find("\"state\":\"completed\""), std::string::npos) << resumed.output;
  EXPECT_TRUE(std::filesystem::exists(dir_.File("out.mp4")));
}

TEST_F(JobsE2E, BadRequestsGetClearErrors) {
  auto unknown = testing::Run(Cli(Home(), "jobs show 42"));
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.output.find("no job with id 42"), std::string::npos) << unknown.output;
  EXPECT_EQ(testing::Run(Cli(Home(), "jobs retry 42")).exit_code, 1);
  EXPECT_EQ(testing::Run(Cli(Home(), "jobs frobnicate 1")).exit_code, 2);
  EXPECT_EQ(testing::Run(Cli(Home(), "jobs show abc")).exit_code, 2);
  auto missing = testing::Run(Cli(Home(), "job render '" + dir_.File("nope.json") + "' -o '" + dir_.File("o.mp4") + "'"));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("nope.json"), std::string::npos) << missing.output;

  // A job that a live process (this test) is running.
  {
    auto store = jobs::sqlite::SqliteJobStore::Open(Home() + "/cutroom.db", clock_);
    ASSERT_TRUE(store.ok());
    jobs::NewJob job;
    job.kind = "render";
    job.steps = {{"probe", {}}};
    ASSERT_TRUE((*store)->CreateJob(job).ok());
    char host[256] = {};
    gethostname(host, sizeof(host) - 1);
    std::string owner = std::string("cli:") + host + ":" + std::to_string(getpid()) + ":w0";
    auto claim = (*store)->ClaimStep({owner, 60'000, 0});
    ASSERT_TRUE(claim.ok() && claim->has_value());
  }
  auto retry = testing::Run(Cli(Home(), "jobs retry 1"));
  EXPECT_EQ(retry.exit_code, 1);
  EXPECT_NE(retry.output.find("job 1 is running; only failed or cancelled jobs can be retried"), std::string::npos)
      << retry.output;
  auto resume_live = testing::Run(Cli(Home(), "jobs resume 1"));
  EXPECT_EQ(resume_live.exit_code, 1);
  EXPECT_NE(resume_live.output.find("is being run by cli:"), std::string::npos) << resume_live.output;

  std::string src = MakeSource(dir_, 2);
  std::string timeline = WriteTimeline(dir_, src, 2);
  auto done = testing::Run(Cli(Home(), "job render '" + timeline + "' -o '" + dir_.File("o.mp4") + "'"));
  ASSERT_EQ(done.exit_code, 0) << done.output;
  auto resume_done = testing::Run(Cli(Home(), "jobs resume 2"));
  EXPECT_EQ(resume_done.exit_code, 1);
  EXPECT_NE(resume_done.output.find("job 2 is already completed"), std::string::npos) << resume_done.output;
  auto bad_style = testing::Run(Cli(Home(), "job render '" + timeline + "' -o '" + dir_.File("p.mp4") +
                                                "' --caption-style comic_sans"));
  EXPECT_EQ(bad_style.exit_code, 1);
  EXPECT_NE(bad_style.output.find("unknown caption style 'comic_sans'"), std::string::npos) << bad_style.output;
}

TEST_F(JobsE2E, ListAndGcWorkOnTheDataDirectory) {
  std::string src = MakeSource(dir_, 2);
  std::string timeline = WriteTimeline(dir_, src, 2);
  ASSERT_EQ(testing::Run(Cli(Home(), "job render '" + timeline + "' -o '" + dir_.File("o.mp4") + "'")).exit_code, 0);
  auto list = testing::Run(Cli(Home(), "jobs list --json"));
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("\"id\":1"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("\"next_after_id\":null"), std::string::npos) << list.output;
  ASSERT_EQ(testing::Run(Cli(Home(), "jobs delete 1")).exit_code, 0);
  auto gc = testing::Run(Cli(Home(), "gc --older-than 0 --json"));
  ASSERT_EQ(gc.exit_code, 0) << gc.output;
  EXPECT_NE(gc.output.find("\"cache_entries_removed\":2"), std::string::npos) << gc.output;
  EXPECT_NE(gc.output.find("\"artifacts_removed\":3"), std::string::npos) << gc.output;
  EXPECT_NE(gc.output.find("\"artifacts_kept\":0"), std::string::npos) << gc.output;
  // With the cache gone, the same render runs every step again.
  ASSERT_EQ(testing::Run(Cli(Home(), "job render '" + timeline + "' -o '" + dir_.File("o.mp4") + "'")).exit_code, 0);
  EXPECT_FALSE(GetJob(2).FindStep("probe")->cache_hit);
}

}  // namespace
}  // namespace cutroom
