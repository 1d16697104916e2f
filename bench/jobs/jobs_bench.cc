// bench/jobs: the job engine's own costs on SQLite, with steps that do nothing.
//   1. scheduling overhead per step: claim + lease + run + record, per no-op step, with and
//      without the step cache (key computation, lookup, insert);
//   2. listing 10,000 jobs page by page (50 per page), newest first, with and without a filter.
// Targets (issue 6): <= 5 ms per step, <= 50 ms per page. Wall and CPU time are both reported
// (these machines are shared and noisy; CPU time is the steadier number).
//
// usage: jobs_bench [--jobs 200] [--steps 5] [--list-jobs 10000] [--dir DIR]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "cutroom/executor.h"
#include "cutroom/jobs/artifact_store.h"
#include "cutroom/jobs/clock.h"
#include "cutroom/jobs/pipeline.h"
#include "cutroom/jobs/worker.h"
#include "store/sqlite/sqlite_job_store.h"

namespace cutroom::jobs {
namespace {

double CpuSeconds() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int Arg(int argc, char** argv, const std::string& name, int fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (name == argv[i]) return std::atoi(argv[i + 1]);
  }
  return fallback;
}

std::string StrArg(int argc, char** argv, const std::string& name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (name == argv[i]) return argv[i + 1];
  }
  return fallback;
}

// A chain of `steps` no-op steps; `cached` ones write a tiny output and use the step cache.
PipelineDef NoopPipeline(const std::string& kind, int steps, bool cached) {
  PipelineDef def;
  def.kind = kind;
  for (int i = 0; i < steps; ++i) {
    StepDef s;
    s.name = "s" + std::to_string(i);
    if (i > 0) s.deps = {"s" + std::to_string(i - 1)};
    s.options_read = {"n"};
    s.cache = cached ? CachePolicy::kCache : CachePolicy::kNever;
    s.run = [cached](StepContext& ctx) -> Status {
      if (!cached) return Status::Ok();
      std::FILE* f = std::fopen(ctx.OutputPath("out.txt").c_str(), "w");
      if (f == nullptr) return InternalError("cannot write");
      std::fputs(ctx.Option("n").c_str(), f);
      std::fclose(f);
      return Status::Ok();
    };
    def.steps.push_back(std::move(s));
  }
  return def;
}

int RunSchedulingBench(const std::string& dir, int jobs, int steps, bool cached) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir + "/tmp");
  SystemClock clock;
  auto store = sqlite::SqliteJobStore::Open(dir + "/cutroom.db", clock);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  PipelineRegistry registry;
  std::string kind = cached ? "noop_cached" : "noop";
  if (!registry.Add(NoopPipeline(kind, steps, cached)).ok()) return 1;
  ArtifactStore artifacts(dir + "/artifacts");
  for (int j = 0; j < jobs; ++j) {
    NewJob job;
    job.kind = kind;
    job.options = {{"n", std::to_string(j)}};  // distinct keys: every step misses the cache
    job.steps = *registry.InitialSteps(kind);
    if (!(*store)->CreateJob(job).ok()) return 1;
  }
  ThreadPoolExecutor executor(1);
  WorkerOptions options;
  options.owner = "bench:w0";
  options.idle_poll_ms = 1;
  Worker worker(**store, registry, artifacts, clock, executor, dir + "/tmp", nullptr, options);
  double wall0 = Now(), cpu0 = CpuSeconds();
  CancelToken stop;
  for (int j = 1; j <= jobs; ++j) {
    auto state = worker.RunJob(j, stop);
    if (!state.ok() || *state != JobState::kCompleted) {
      std::fprintf(stderr, "job %d did not complete\n", j);
      return 1;
    }
  }
  double wall = Now() - wall0, cpu = CpuSeconds() - cpu0;
  int total = jobs * steps;
  std::printf("scheduling %-8s %5d steps: %.3f ms/step wall, %.3f ms/step cpu (target <= 5 ms)\n",
              cached ? "cached" : "uncached", total, wall * 1000 / total, cpu * 1000 / total);
  return 0;
}

int RunListingBench(const std::string& dir, int count) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  SystemClock clock;
  auto store = sqlite::SqliteJobStore::Open(dir + "/cutroom.db", clock);
  if (!store.ok()) return 1;
  double t0 = Now();
  for (int i = 0; i < count; ++i) {
    NewJob job;
    job.kind = i % 3 == 0 ? "clip" : "render";
    job.inputs = {{"timeline", "/data/talks/episode-" + std::to_string(i) + ".json"}};
    job.options = {{"output", "/data/out/" + std::to_string(i) + ".mp4"}, {"caption_style", "karaoke"}};
    job.steps = {{"probe", {}}, {"render", {"probe"}}, {"package", {"render"}}};
    if (!(*store)->CreateJob(job).ok()) return 1;
  }
  std::printf("created %d jobs in %.1f s (%.2f ms/job)\n", count, Now() - t0, (Now() - t0) * 1000 / count);
  auto paginate = [&](const JobFilter& filter, const char* label) {
    std::vector<double> ms;
    PageRequest page{50, 0};
    double cpu0 = CpuSeconds();
    size_t seen = 0;
    do {
      double p0 = Now();
      auto r = (*store)->ListJobs(filter, page);
      ms.push_back((Now() - p0) * 1000);
      if (!r.ok()) return;
      seen += r->jobs.size();
      page.after_id = r->next_after_id;
    } while (page.after_id != 0);
    double cpu = CpuSeconds() - cpu0;
    std::sort(ms.begin(), ms.end());
    double sum = 0;
    for (double m : ms) sum += m;
    std::printf("list %-14s %5zu jobs, %4zu pages of 50: mean %.2f ms, p50 %.2f, max %.2f ms/page, "
                "cpu %.2f ms/page (target <= 50 ms)\n",
                label, seen, ms.size(), sum / static_cast<double>(ms.size()), ms[ms.size() / 2],
                ms.back(), cpu * 1000 / static_cast<double>(ms.size()));
  };
  paginate({}, "all");
  paginate({std::nullopt, "clip", ""}, "kind=clip");
  paginate({JobState::kQueued, "render", ""}, "queued+render");
  return 0;
}

}  // namespace
}  // namespace cutroom::jobs

int main(int argc, char** argv) {
  std::string dir = cutroom::jobs::StrArg(argc, argv, "--dir", std::filesystem::temp_directory_path().string() + "/cutroom-jobs-bench");
  int jobs = cutroom::jobs::Arg(argc, argv, "--jobs", 200);
  int steps = cutroom::jobs::Arg(argc, argv, "--steps", 5);
  int list_jobs = cutroom::jobs::Arg(argc, argv, "--list-jobs", 10000);
  int rc = cutroom::jobs::RunSchedulingBench(dir + "/sched", jobs, steps, false);
  if (rc == 0) rc = cutroom::jobs::RunSchedulingBench(dir + "/sched_cached", jobs, steps, true);
  if (rc == 0) rc = cutroom::jobs::RunListingBench(dir + "/list", list_jobs);
  std::filesystem::remove_all(dir);
  return rc;
}
