// `cutroom job render`, `cutroom jobs ...` and `cutroom gc`: the local job engine from the shell.
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <set>

#include "cli_common.h"
#include "commands.h"
#include "cutroom/jobs/job_json.h"
#include "local_jobs.h"
#include "pipelines/render_pipeline.h"

namespace cutroom::cli {
namespace {

constexpr char kJobUsage[] = R"(usage: cutroom job render TIMELINE.json -o OUT.mp4 [options]

Renders a Timeline as a job of the local job engine: steps probe -> render -> package, each
cached and resumable. If the process is killed, `cutroom jobs resume ID` continues at the first
step that has no result; running it again with only another --caption-style re-renders without
re-probing. Ctrl-C pauses the job. Writes OUT.mp4 and OUT's folder/<stem>.manifest.json.

  -o, --output FILE      the MP4 to write (required)
  --caption-style NAME   replace the Timeline's caption style
  --threads N            CPU budget for decoding and encoding (1..64)
  --json                 print the finished job as JSON on stdout
  --data DIR             data directory (default $CUTROOM_HOME or ~/.local/share/cutroom)
  --log-format FORMAT    text (default) or json lines on stderr
  --verbose              also show FFmpeg's own messages
)";

constexpr char kJobsUsage[] = R"(usage: cutroom jobs COMMAND [ARGS] [--json] [--data DIR]

Jobs of the local job engine ($CUTROOM_HOME, default ~/.local/share/cutroom).

  list [--state S] [--kind K] [--limit N] [--after ID]   newest first; --after pages on
  show ID                      the job and its steps (state, attempts, time, cache, errors)
  cancel ID                    cancel; running work stops within a second
  pause ID                     stop claiming steps; running ones are interrupted
  resume ID [--detach]         continue a paused or interrupted job (runs it here)
  retry ID [--step S] [--detach]   run a failed or cancelled job (or one step) again (here)
  delete ID                    forget a finished job (`cutroom gc` then frees its files)

  --detach   only change the job's state; leave running it to another process
  --json     machine-readable output on stdout
)";

constexpr char kGcUsage[] = R"(usage: cutroom gc [--older-than DAYS] [--json] [--data DIR]

Frees space in the data directory: drops step-cache entries not used for DAYS (default 30),
then removes stored artifacts that no job and no cache entry refers to, and temporary folders
left by killed processes.
)";

std::string FormatTime(int64_t ms) {
  if (ms <= 0) return "-";
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm {};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

Result<jobs::JobId> ParseJobId(const std::string& text) {
  char* end = nullptr;
  long long id = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || id <= 0) return InvalidArgumentError("bad job id '" + text + "'");
  return static_cast<jobs::JobId>(id);
}

void PrintJobText(const jobs::Job& job) {
  std::printf("job %lld  %s  %s  created %s  cpu %.1f s\n", static_cast<long long>(job.id),
              job.kind.c_str(), std::string(jobs::JobStateName(job.state)).c_str(),
              FormatTime(job.created_at_ms).c_str(), job.cpu_seconds);
  for (const auto& [k, v] : job.inputs) std::printf("  input  %s = %s\n", k.c_str(), v.c_str());
  for (const auto& [k, v] : job.options) std::printf("  option %s = %s\n", k.c_str(), v.c_str());
  if (!job.error_message.empty()) std::printf("  error: %s\n", job.error_message.c_str());
  if (job.steps.empty()) return;
  std::printf("  %-12s %-10s %-8s %9s  %s\n", "STEP", "STATE", "ATTEMPTS", "TIME", "NOTE");
  for (const auto& s : job.steps) {
    std::string note = s.cache_hit ? "from cache" : "";
    if (s.state == jobs::StepState::kRunning) {
      note = std::to_string(static_cast<int>(s.progress * 100)) + "% " + s.progress_message;
    }
    if (!s.error_message.empty() && s.state != jobs::StepState::kSucceeded) note = s.error_message;
    std::string attempts = std::to_string(s.attempts) + "/" + std::to_string(s.max_attempts);
    std::printf("  %-12s %-10s %-8s %8.1fs  %s\n", s.name.c_str(),
                std::string(jobs::StepStateName(s.state)).c_str(), attempts.c_str(),
                static_cast<double>(s.duration_ms) / 1000.0, note.c_str());
  }
}

// Common options of the jobs commands.
struct Common {
  ParsedArgs args;
  bool json = false;
  std::unique_ptr<LocalJobs> local;
  std::unique_ptr<Logger> logger;
};

Result<Common> Prepare(int argc, char** argv, const std::vector<std::string>& flags,
                       const std::vector<std::string>& options) {
  std::vector<std::string> all_flags = flags, all_options = options;
  all_flags.insert(all_flags.end(), {"--json", "--help", "-h", "--verbose"});
  all_options.insert(all_options.end(), {"--data", "--log-format"});
  Common c;
  CR_ASSIGN_OR_RETURN(c.args, ParseArgs(argc, argv, all_flags, all_options));
  c.json = c.args.Has("--json");
  CR_ASSIGN_OR_RETURN(LogFormat format, ParseLogFormat(c.args.Get("--log-format")));
  c.logger = std::make_unique<Logger>(stderr, format);
  return c;
}

Status OpenStore(Common& c) {
  CR_ASSIGN_OR_RETURN(c.local, OpenLocalJobs(c.args.Get("--data")));
  return Status::Ok();
}

int PrintJob(Common& c, jobs::JobId id, const std::string& command) {
  auto job = c.local->store->GetJob(id);
  if (!job.ok()) return Fail(command, job.status().message());
  if (c.json) {
    std::printf("%s\n", jobs::JobToJson(*job).c_str());
  } else {
    PrintJobText(*job);
  }
  return kExitOk;
}

int JobsControl(Common& c, const std::string& sub, jobs::JobId id) {
  std::string command = "jobs " + sub;
  jobs::JobStore& store = *c.local->store;
  Status s;
  bool run = !c.args.Has("--detach");
  if (sub == "cancel") {
    s = store.CancelJob(id);
    run = false;
  } else if (sub == "pause") {
    s = store.PauseJob(id);
    run = false;
  } else if (sub == "delete") {
    s = store.DeleteJob(id);
    if (s.ok()) {
      if (c.json) std::printf("{\"deleted\":%lld}\n", static_cast<long long>(id));
      return kExitOk;
    }
  } else if (sub == "retry") {
    std::optional<std::string> step;
    if (c.args.Has("--step")) step = c.args.Get("--step");
    s = store.RetryJob(id, step);
  } else if (sub == "resume") {
    auto state = store.GetJobState(id);
    if (!state.ok()) return Fail(command, state.status().message());
    switch (*state) {
      case jobs::JobState::kPaused: s = store.ResumeJob(id); break;
      case jobs::JobState::kQueued: break;
      case jobs::JobState::kRunning: s = ReleaseDeadLocalLeases(store, id); break;
      case jobs::JobState::kCompleted:
        s = FailedPreconditionError("job " + std::to_string(id) + " is already completed; nothing to resume");
        break;
      default: s = store.ResumeJob(id);  // failed/cancelled: the store explains to use retry
    }
  }
  if (!s.ok()) return Fail(command, s.message());
  if (run) return RunJobLocally(*c.local, id, c.json, *c.logger, command);
  return PrintJob(c, id, command);
}

}  // namespace

int RunJob(int argc, char** argv) {
  if (argc < 1 || std::string(argv[0]) == "--help" || std::string(argv[0]) == "-h") {
    std::fputs(kJobUsage, argc < 1 ? stderr : stdout);
    return argc < 1 ? kExitUsage : kExitOk;
  }
  if (std::string(argv[0]) != "render") {
    return Fail("job", "unknown job kind '" + std::string(argv[0]) + "' (render)", kExitUsage);
  }
  auto c = Prepare(argc - 1, argv + 1, {}, {"-o", "--output", "--threads", "--caption-style"});
  if (!c.ok()) return Fail("job render", c.status().message(), kExitUsage);
  if (c->args.Has("--help") || c->args.Has("-h")) {
    std::fputs(kJobUsage, stdout);
    return kExitOk;
  }
  if (c->args.positional.size() != 1) return Fail("job render", "expected one TIMELINE.json", kExitUsage);
  jobs::RenderJobRequest request;
  request.timeline_path = c->args.positional[0];
  request.output_path = c->args.Get("-o", c->args.Get("--output"));
  if (request.output_path.empty()) return Fail("job render", "missing -o OUT.mp4", kExitUsage);
  request.caption_style = c->args.Get("--caption-style");
  if (c->args.Has("--threads")) {
    request.threads = std::atoi(c->args.Get("--threads").c_str());
    if (request.threads < 1 || request.threads > 64) {
      return Fail("job render", "--threads must be 1..64", kExitUsage);
    }
  }
  ConfigureLibraryLogging(c->args.Has("--verbose"));
  Status opened = OpenStore(*c);
  if (!opened.ok()) return Fail("job render", opened.message());
  auto job = jobs::MakeRenderJob(c->local->pipelines, request);
  if (!job.ok()) return Fail("job render", job.status().message());
  auto id = c->local->store->CreateJob(*job);
  if (!id.ok()) return Fail("job render", id.status().message());
  if (!c->json) std::fprintf(stderr, "job %lld created\n", static_cast<long long>(*id));
  return RunJobLocally(*c->local, *id, c->json, *c->logger, "job render");
}

int RunJobs(int argc, char** argv) {
  if (argc < 1 || std::string(argv[0]) == "--help" || std::string(argv[0]) == "-h") {
    std::fputs(kJobsUsage, argc < 1 ? stderr : stdout);
    return argc < 1 ? kExitUsage : kExitOk;
  }
  std::string sub = argv[0];
  static const std::set<std::string> kSubs = {"list", "show", "cancel", "pause", "resume", "retry", "delete"};
  if (kSubs.count(sub) == 0) return Fail("jobs", "unknown command '" + sub + "'\n" + kJobsUsage, kExitUsage);
  std::string command = "jobs " + sub;
  auto c = Prepare(argc - 1, argv + 1, {"--detach"},
                   {"--state", "--kind", "--limit", "--after", "--step"});
  if (!c.ok()) return Fail(command, c.status().message(), kExitUsage);
  if (c->args.Has("--help") || c->args.Has("-h")) {
    std::fputs(kJobsUsage, stdout);
    return kExitOk;
  }
  if (sub == "list") {
    if (!c->args.positional.empty()) return Fail(command, "takes no arguments", kExitUsage);
    jobs::JobFilter filter;
    if (c->args.Has("--state")) {
      auto state = jobs::ParseJobState(c->args.Get("--state"));
      if (!state.ok()) return Fail(command, state.status().message(), kExitUsage);
      filter.state = *state;
    }
    filter.kind = c->args.Get("--kind");
    jobs::PageRequest page;
    page.limit = std::atoi(c->args.Get("--limit", "50").c_str());
    page.after_id = std::atoll(c->args.Get("--after", "0").c_str());
    Status opened = OpenStore(*c);
    if (!opened.ok()) return Fail(command, opened.message());
    auto result = c->local->store->ListJobs(filter, page);
    if (!result.ok()) return Fail(command, result.status().message(), kExitUsage);
    if (c->json) {
      std::printf("%s\n", jobs::JobPageToJson(*result).c_str());
      return kExitOk;
    }
    std::printf("%-6s %-8s %-10s %-19s %8s\n", "ID", "KIND", "STATE", "CREATED", "CPU");
    for (const auto& j : result->jobs) {
      std::printf("%-6lld %-8s %-10s %-19s %7.1fs\n", static_cast<long long>(j.id), j.kind.c_str(),
                  std::string(jobs::JobStateName(j.state)).c_str(), FormatTime(j.created_at_ms).c_str(),
                  j.cpu_seconds);
    }
    if (result->next_after_id != 0) {
      std::printf("more: cutroom jobs list --after %lld\n", static_cast<long long>(result->next_after_id));
    }
    return kExitOk;
  }
  if (c->args.positional.size() != 1) return Fail(command, "expected one job ID", kExitUsage);
  auto id = ParseJobId(c->args.positional[0]);
  if (!id.ok()) return Fail(command, id.status().message(), kExitUsage);
  Status opened = OpenStore(*c);
  if (!opened.ok()) return Fail(command, opened.message());
  if (sub == "show") return PrintJob(*c, *id, command);
  return JobsControl(*c, sub, *id);
}

int RunGc(int argc, char** argv) {
  auto c = Prepare(argc, argv, {}, {"--older-than"});
  if (!c.ok()) return Fail("gc", c.status().message(), kExitUsage);
  if (c->args.Has("--help") || c->args.Has("-h")) {
    std::fputs(kGcUsage, stdout);
    return kExitOk;
  }
  double days = std::atof(c->args.Get("--older-than", "30").c_str());
  if (days < 0 || !c->args.positional.empty()) return Fail("gc", "--older-than takes DAYS >= 0", kExitUsage);
  Status opened = OpenStore(*c);
  if (!opened.ok()) return Fail("gc", opened.message());
  LocalJobs& local = *c->local;
  int64_t older_ms = static_cast<int64_t>(days * 86'400'000.0);
  auto dropped = local.store->DeleteCacheEntriesUnusedSince(local.clock.NowMs() - older_ms);
  if (!dropped.ok()) return Fail("gc", dropped.status().message());
  auto refs = local.store->ReferencedArtifacts();
  if (!refs.ok()) return Fail("gc", refs.status().message());
  // A step may have stored an artifact and not yet recorded it: spare files younger than an hour
  // (or than --older-than, when that is shorter).
  int64_t min_age_ms = std::min<int64_t>(older_ms, 3'600'000);
  auto report = local.artifacts->RemoveUnreferenced(std::set<std::string>(refs->begin(), refs->end()), min_age_ms);
  if (!report.ok()) return Fail("gc", report.status().message());
  // Temporary folders of attempts that were killed (a live attempt's folder is younger).
  int temps = 0;
  std::error_code ec;
  auto now = std::filesystem::file_time_type::clock::now();
  for (const auto& entry : std::filesystem::directory_iterator(local.data.tmp_dir(), ec)) {
    if (now - entry.last_write_time(ec) < std::chrono::hours(24)) continue;
    temps += std::filesystem::remove_all(entry.path(), ec) > 0;
  }
  if (c->json) {
    std::printf("{\"cache_entries_removed\":%d,\"artifacts_removed\":%d,\"bytes_removed\":%lld,"
                "\"artifacts_kept\":%d,\"temp_folders_removed\":%d}\n",
                *dropped, report->files_removed, static_cast<long long>(report->bytes_removed),
                report->files_kept, temps);
  } else {
    std::printf("removed %d cache entries, %d artifacts (%.1f MB), %d temporary folders; kept %d artifacts\n",
                *dropped, report->files_removed, static_cast<double>(report->bytes_removed) / 1e6, temps,
                report->files_kept);
  }
  return kExitOk;
}

}  // namespace cutroom::cli
