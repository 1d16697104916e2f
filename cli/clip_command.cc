// `cutroom clip`: creates a `clip` job in the local job store and runs it in this process
// through the job engine (jobs/src/pipelines/clip_pipeline.h), so that a killed or paused run
// resumes with `cutroom jobs resume ID` and a re-styled run re-uses the cached steps.
#include <algorithm>
#include <cstdio>
#include <sstream>
#include <thread>

#include "cli_common.h"
#include "clip/clip_job.h"
#include "commands.h"
#include "local_jobs.h"
#include "pipelines/clip_pipeline.h"

namespace cutroom::cli {
namespace {

constexpr char kUsage[] = R"(usage: cutroom clip INPUT [-o DIR] [options]

Turns a long video into scored, reframed, captioned shorts with editor exports:
DIR/manifest.json, DIR/clips/NN.mp4 (+ .srt .vtt .ass .jpg .timeline.json),
DIR/exports/NN.fcpxml .edl .otio, DIR/transcript.json, DIR/analysis.json.

Runs as a job of the local job engine (steps probe, transcribe, analyze, select, plan,
render[i], package; each cached). Ctrl-C pauses it; `cutroom jobs resume ID` finishes a paused
or killed run. Running again with only another --caption-style re-runs plan, render, package.

  -o, --output DIR        output folder (default: INPUT's name + "_clips")
  --clips N               how many clips (default 5)
  --min-s S, --max-s S    clip length range in seconds (default 15..90)
  --aspect A              9:16 (default), 1:1, 4:5, 16:9 (1080 px on the short side)
  --size WxH              exact output size instead (even numbers), e.g. 720x1280
  --caption-style NAME    highlight_word (default), karaoke, pop_in, bounce, boxed_word, minimal
  --layout L              auto (default), fill, fit_blur, split
  --topic "words"         prefer clips about these words
  --subtitles FILE        use these subtitles as the transcript (aligned to the audio)
  --weights FILE          scoring weights JSON (default: the shipped weights)
  --threads N             CPU budget (default: the number of cores)
  --data DIR              job data directory (default $CUTROOM_HOME or ~/.local/share/cutroom)
  --log-format FORMAT     text (default) or json
  --verbose               also show FFmpeg's own messages
)";

Result<double> ParseSeconds(const std::string& name, const std::string& text) {
  try {
    size_t used = 0;
    double v = std::stod(text, &used);
    if (used == text.size() && v > 0 && v < 24 * 3600) return v;
  } catch (...) {
  }
  return InvalidArgumentError(name + " must be a positive number of seconds");
}

}  // namespace

int RunClip(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, {"--help", "-h", "--verbose"},
                        {"-o", "--output", "--clips", "--min-s", "--max-s", "--aspect",
                         "--caption-style", "--layout", "--size", "--topic", "--subtitles", "--weights",
                         "--threads", "--log-format", "--data"});
  if (!args.ok()) return Fail("clip", args.status().message(), kExitUsage);
  if (args->Has("--help") || args->Has("-h")) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (args->positional.size() != 1) return Fail("clip", "expected one INPUT", kExitUsage);
  auto format = ParseLogFormat(args->Get("--log-format"));
  if (!format.ok()) return Fail("clip", format.status().message(), kExitUsage);

  jobs::ClipJobRequest o;
  o.input = args->positional[0];
  o.output_dir = args->Get("-o", args->Get("--output", o.input + "_clips"));
  try {
    if (args->Has("--clips")) o.clips = std::stoi(args->Get("--clips"));
    o.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    if (args->Has("--threads")) o.threads = std::stoi(args->Get("--threads"));
  } catch (...) {
    return Fail("clip", "--clips and --threads take whole numbers", kExitUsage);
  }
  if (o.clips < 1 || o.clips > 50) return Fail("clip", "--clips must be 1..50", kExitUsage);
  if (o.threads < 1 || o.threads > 64) return Fail("clip", "--threads must be 1..64", kExitUsage);
  for (const char* name : {"--min-s", "--max-s"}) {
    if (!args->Has(name)) continue;
    auto v = ParseSeconds(name, args->Get(name));
    if (!v.ok()) return Fail("clip", v.status().message(), kExitUsage);
    (std::string(name) == "--min-s" ? o.min_s : o.max_s) = *v;
  }
  if (o.min_s > o.max_s) return Fail("clip", "--min-s must not exceed --max-s", kExitUsage);
  o.aspect = args->Get("--aspect", "9:16");
  if (args->Has("--size")) {
    int w = 0, h = 0;
    char tail = 0;
    if (std::sscanf(args->Get("--size").c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 16 ||
        h < 16 || w > 8192 || h > 8192 || w % 2 || h % 2) {
      return Fail("clip", "--size must be WxH with even numbers from 16 to 8192", kExitUsage);
    }
    o.width = w;
    o.height = h;
  }
  o.caption_style = args->Get("--caption-style", "highlight_word");
  o.layout = args->Get("--layout", "auto");
  if (o.layout != "auto" && o.layout != "fill" && o.layout != "fit_blur" && o.layout != "split") {
    return Fail("clip", "--layout must be auto, fill, fit_blur or split", kExitUsage);
  }
  std::istringstream topic(args->Get("--topic"));
  for (std::string w; topic >> w;) o.topic.push_back(w);
  o.subtitles_path = args->Get("--subtitles");
  o.weights_path = args->Get("--weights");

  ConfigureLibraryLogging(args->Has("--verbose"));
  Logger logger(stderr, *format);
  auto local = OpenLocalJobs(args->Get("--data"));
  if (!local.ok()) return Fail("clip", local.status().message());
  auto job = jobs::MakeClipJob((*local)->pipelines, o);
  if (!job.ok()) return Fail("clip", job.status().message());
  auto id = (*local)->store->CreateJob(*job);
  if (!id.ok()) return Fail("clip", id.status().message());
  std::fprintf(stderr, "job %lld created\n", static_cast<long long>(*id));
  int code = RunJobLocally(**local, *id, /*json=*/false, logger, "clip");
  if (code != kExitOk) return code;
  auto result = clip::ReadPackageResult(job->options.at("output"));
  if (!result.ok()) return Fail("clip", result.status().message());
  for (const auto& w : result->warnings) logger.Warn(w, {{"command", "clip"}});
  logger.Info("clips written", {{"clips", std::to_string(result->clips)},
                                {"manifest", result->manifest_path}});
  return kExitOk;
}

}  // namespace cutroom::cli
