// `cutroom clip` through the job engine, end to end: a clip run killed (SIGKILL) while it renders
// resumes with `cutroom jobs resume`, does not run again the steps that had succeeded, and writes
// the same bytes as an uninterrupted run; a run with only another caption style re-runs plan,
// render[i] and package and takes everything else from the step cache. The test reads the job
// database directly (a second SQLite connection) to see which steps ran.
#include <gtest/gtest.h>
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

const std::vector<std::string> kEarlySteps = {"probe", "transcribe", "analyze", "select", "plan"};

std::string Cli(const std::string& home, const std::string& args) { return testing::CliWithHome(home, args); }
using testing::Spawn;
using testing::WaitExit;

std::vector<std::string> ClipArgs(const std::string& source, const std::string& out) {
  return {"clip",      source,  "-o",      out,       "--clips", "2",         "--min-s",
          "8",         "--max-s", "30",     "--size",  "180x320", "--threads", "1"};
}

std::string Join(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += " '" + a + "'";
  return s;
}

// One sample conversation and one uninterrupted reference run shared by the suite.
class ClipJobsE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto gen = testing::Run("'" + testing::CliPath() + "' sample --conversation -o '" + dir_->path() + "'");
    ASSERT_EQ(gen.exit_code, 0) << gen.output;
    ref_ = new testing::CommandResult(
        testing::Run(Cli(RefHome(), Join(ClipArgs(Source(), dir_->File("ref"))))));
  }
  static void TearDownTestSuite() {
    delete ref_;
    delete dir_;
  }
  void SetUp() override { ASSERT_EQ(ref_->exit_code, 0) << ref_->output; }

  static std::string Source() { return dir_->File("conversation.mp4"); }
  static std::string RefHome() { return dir_->File("ref_home"); }

  std::unique_ptr<jobs::sqlite::SqliteJobStore> Store(const std::string& home) {
    auto store = jobs::sqlite::SqliteJobStore::Open(home + "/cutroom.db", clock_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  jobs::Job GetJob(const std::string& home, jobs::JobId id) {
    auto job = Store(home)->GetJob(id);
    EXPECT_TRUE(job.ok()) << job.status().ToString();
    return job.ok() ? *job : jobs::Job{};
  }

  jobs::JobId NewestJob(const std::string& home) {
    auto page = Store(home)->ListJobs({}, {1, 0});
    EXPECT_TRUE(page.ok() && !page->jobs.empty());
    return page.ok() && !page->jobs.empty() ? page->jobs[0].id : 0;
  }

  // How many times each step was started (its function ran or the cache was consulted).
  int Starts(const std::string& home, jobs::JobId id, const std::string& step) {
    auto events = Store(home)->ListEvents(id, 0, 10000);
    EXPECT_TRUE(events.ok());
    int n = 0;
    for (const auto& e : *events) n += e.step == step && e.type == "step_started";
    return n;
  }

  static std::vector<const jobs::Step*> Renders(const jobs::Job& job) {
    std::vector<const jobs::Step*> out;
    for (const auto& s : job.steps) {
      if (s.name.rfind("render[", 0) == 0) out.push_back(&s);
    }
    return out;
  }

  // Polls until a render step of job `id` runs; false when the job ended or after 15 minutes
  // (transcribe and analyze take minutes under the sanitizers on a loaded 2-core machine).
  bool WaitUntilRendering(const std::string& home, jobs::JobId id) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(15);
    while (std::chrono::steady_clock::now() < deadline) {
      auto store = jobs::sqlite::SqliteJobStore::Open(home + "/cutroom.db", clock_);
      if (store.ok()) {
        auto job = (*store)->GetJob(id);
        if (job.ok()) {
          if (jobs::IsFinished(job->state)) return false;
          for (const auto* r : Renders(*job)) {
            if (r->state == StepState::kRunning) return true;
          }
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  static testing::TempDir* dir_;
  static testing::CommandResult* ref_;
  jobs::SystemClock clock_;
};

testing::TempDir* ClipJobsE2E::dir_ = nullptr;
testing::CommandResult* ClipJobsE2E::ref_ = nullptr;

TEST_F(ClipJobsE2E, AKilledClipRunResumesWithoutRedoingFinishedStepsAndGivesTheSameBytes) {
  const std::string home = dir_->File("kill_home");
  const std::string out = dir_->File("killed");
  pid_t pid = Spawn(home, ClipArgs(Source(), out), dir_->File("killed.log"));
  ASSERT_TRUE(WaitUntilRendering(home, 1)) << testing::ReadFile(dir_->File("killed.log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(150));  // into the encode
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  EXPECT_EQ(WaitExit(pid), -SIGKILL);

  jobs::Job crashed = GetJob(home, 1);
  ASSERT_EQ(crashed.state, JobState::kRunning) << "killed before the job could finish";
  for (const auto& name : kEarlySteps) {
    EXPECT_EQ(crashed.FindStep(name)->state, StepState::kSucceeded) << name;
  }
  std::vector<const jobs::Step*> renders = Renders(crashed);
  ASSERT_EQ(renders.size(), 2u) << "plan adds one render step per clip";
  std::vector<std::string> rendered_before;
  int unfinished = 0;
  for (const auto* r : renders) {
    if (r->state == StepState::kSucceeded) rendered_before.push_back(r->name);
    unfinished += r->state != StepState::kSucceeded;
  }
  EXPECT_GE(unfinished, 1) << "killed during rendering";
  EXPECT_NE(crashed.FindStep("package")->state, StepState::kSucceeded);
  EXPECT_FALSE(std::filesystem::exists(out + "/manifest.json"));

  auto resumed = testing::Run(Cli(home, "jobs resume 1"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  jobs::Job done = GetJob(home, 1);
  EXPECT_EQ(done.state, JobState::kCompleted);
  for (const auto& name : kEarlySteps) {
    EXPECT_EQ(Starts(home, 1, name), 1) << name << " had succeeded and must not run again";
    EXPECT_EQ(done.FindStep(name)->attempts, 1) << name;
  }
  for (const auto& name : rendered_before) {
    EXPECT_EQ(Starts(home, 1, name), 1) << name << " had succeeded and must not run again";
  }
  int render_starts = 0;
  for (const auto* r : Renders(done)) {
    EXPECT_EQ(r->state, StepState::kSucceeded) << r->name;
    render_starts += Starts(home, 1, r->name);
  }
  EXPECT_GT(render_starts, 2) << "the killed render ran again";
  EXPECT_EQ(Starts(home, 1, "package"), 1);

  // The JSON view shows the same attempt counts.
  auto show = testing::Run(Cli(home, "jobs show 1 --json"));
  ASSERT_EQ(show.exit_code, 0) << show.output;
  EXPECT_NE(show.output.find("\"state\":\"completed\""), std::string::npos) << show.output;

  for (const char* file : {"manifest.json", "clips/01.mp4", "clips/02.mp4", "clips/01.timeline.json",
                           "clips/02.timeline.json", "clips/01.srt", "exports/02.fcpxml", "transcript.json"}) {
    ASSERT_TRUE(std::filesystem::exists(out + "/" + file)) << file;
    EXPECT_TRUE(testing::ReadFile(out + "/" + file) == testing::ReadFile(dir_->File("ref/") + file))
        << file << " must be byte-identical to an uninterrupted run";
  }
}

TEST_F(ClipJobsE2E, ACaptionStyleChangeReRunsOnlyPlanRenderAndPackage) {
  const std::string home = RefHome();  // the reference run's cache
  const std::string out = dir_->File("karaoke");
  auto restyled = testing::Run(Cli(home, Join(ClipArgs(Source(), out)) + " --caption-style karaoke"));
  ASSERT_EQ(restyled.exit_code, 0) << restyled.output;
  jobs::JobId id = NewestJob(home);
  jobs::Job job = GetJob(home, id);
  ASSERT_EQ(job.state, JobState::kCompleted);
  for (const char* name : {"probe", "transcribe", "analyze", "select"}) {
    EXPECT_TRUE(job.FindStep(name)->cache_hit) << name << " does not read the caption style";
  }
  EXPECT_FALSE(job.FindStep("plan")->cache_hit) << "plan reads the caption style";
  auto renders = Renders(job);
  ASSERT_EQ(renders.size(), 2u);
  for (const auto* r : renders) EXPECT_FALSE(r->cache_hit) << r->name << " renders the new captions";
  EXPECT_FALSE(job.FindStep("package")->cache_hit);
  EXPECT_NE(testing::ReadFile(out + "/clips/01.mp4"), testing::ReadFile(dir_->File("ref/clips/01.mp4")));
  EXPECT_NE(testing::ReadFile(out + "/manifest.json").find("\"style\": \"karaoke\""), std::string::npos);

  // Unchanged options again: every step but package comes from the cache, same bytes.
  const std::string again_out = dir_->File("again");
  auto again = testing::Run(Cli(home, Join(ClipArgs(Source(), again_out))));
  ASSERT_EQ(again.exit_code, 0) << again.output;
  jobs::Job cached = GetJob(home, NewestJob(home));
  for (const auto& s : cached.steps) {
    if (s.name != "package") {
      EXPECT_TRUE(s.cache_hit) << s.name;
    }
  }
  EXPECT_NE(again.output.find("7 of 8 steps from the cache"), std::string::npos) << again.output;
  EXPECT_TRUE(testing::ReadFile(again_out + "/clips/02.mp4") == testing::ReadFile(dir_->File("ref/clips/02.mp4")));
  EXPECT_TRUE(testing::ReadFile(again_out + "/manifest.json") == testing::ReadFile(dir_->File("ref/manifest.json")));
}

}  // namespace
}  // namespace cutroom
