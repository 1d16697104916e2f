// `cutroom compose`: a tagged script, an ad template or a topic to a narrated video. The script
// (written, filled from a template, or written by the configured LLM) and style.json land in the
// output folder first; then a `compose` job of the local job engine (jobs/src/pipelines/
// compose_pipeline.h) narrates, plans, renders and packages it, resumable like `cutroom clip`.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli_common.h"
#include "commands.h"
#include "compose/ad_template.h"
#include "compose/compose_job.h"
#include "compose/compose_style.h"
#include "compose/script.h"
#include "cutroom/file_util.h"
#include "local_jobs.h"
#include "pipelines/compose_pipeline.h"
#include "topic_writer.h"

namespace cutroom::cli {
namespace {

namespace fs = std::filesystem;

constexpr char kUsage[] = R"(usage: cutroom compose SCRIPT [-o DIR] [options]
       cutroom compose --template NAME --product TEXT --cta TEXT [--image FILE]... [options]
       cutroom compose --topic "TEXT" [--length S] [options]

Turns a tagged script ([title] [narration] [slide] [image] [broll] [music] ...; docs/compose.md),
an ad template (bold, energetic, luxury, minimal, or a template .json) or a topic (written by the
LLM configured with CUTROOM_LLM_URL) into a narrated video:
DIR/video.mp4, thumbnail.jpg, metadata.json (title, tags, chapters), video.srt, video.vtt,
timeline.json (+ assets/), script.txt or the tag files under script/, style.json.

  -o, --output DIR        output folder (default: the script's name + "_video", or "compose_video")
  --aspect A              9:16 (default), 16:9, 1:1, 4:5
  --size WxH              exact output size instead (even numbers), e.g. 720x1280 for previews
  --voice NAME            slt (default), rms, awb, kal (flite), or espeak:LANG (espeak-ng)
  --brand FILE            brand kit JSON: font, colors, caption_style, logo, intro, outro, music
  --style FILE            a full style.json to start from (docs/compose.md)
  --music FILE            background music (ducked under the narration)
  --caption-style NAME    highlight_word (default), karaoke, pop_in, bounce, boxed_word, minimal
  --no-captions           no burned-in captions
  --logo FILE             a logo/watermark picture (PNG with alpha), top right
  --intro FILE, --outro FILE   video clips played before / after
  --max-duration S        refuse narration longer than this (default 900)
  --check                 parse the script, write its tag files and statistics, render nothing
  Templates: --product TEXT, --cta TEXT, --feature TEXT (up to 3), --image FILE (up to 4)
  Topics:    --length S   the length to ask for (default 60)
  --threads N             CPU budget (default: the number of cores)
  --data DIR              job data directory (default $CUTROOM_HOME or ~/.local/share/cutroom)
  --log-format FORMAT     text (default) or json
  --verbose               also show FFmpeg's own messages
)";

// Speaking rates for the estimate before narration exists. Measured on 58 words of continuous
// speech: flite slt 206, rms 183, awb 203, kal 192; espeak-ng en 201 words per minute. Sentence
// by sentence each voice adds its own lead-in and tail, so the estimate takes a little less.
double WordsPerMinute(const std::string& voice) {
  return voice.rfind("espeak:", 0) == 0 ? 195.0 : 185.0;
}

Result<double> PositiveSeconds(const std::string& name, const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0' || !(v > 0) || v > 24 * 3600) {
    return InvalidArgumentError(name + " must be a positive number of seconds");
  }
  return v;
}

struct Plan {
  std::string script_path;  // the script the job reads
  compose::ComposeStyle style;
  std::string output_dir;
};

// The style from --style, --aspect/--size and --brand, in that order.
Result<compose::ComposeStyle> BaseStyleFromArgs(const ParsedArgs& args) {
  compose::ComposeStyle style;
  if (args.Has("--style")) {
    CR_ASSIGN_OR_RETURN(style, compose::LoadComposeStyle(args.Get("--style")));
  }
  if (args.Has("--aspect") || !args.Has("--style")) {
    CR_RETURN_IF_ERROR(compose::ApplyAspect(args.Get("--aspect", "9:16"), style));
  }
  if (args.Has("--size")) {
    int w = 0, h = 0;
    char tail = 0;
    if (std::sscanf(args.Get("--size").c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 16 ||
        h < 16 || w > 8192 || h > 8192 || w % 2 || h % 2) {
      return InvalidArgumentError("--size must be WxH with even numbers from 16 to 8192");
    }
    style.width = w;
    style.height = h;
  }
  if (args.Has("--brand")) CR_RETURN_IF_ERROR(compose::ApplyBrandFile(args.Get("--brand"), style));
  return style;
}

// The single-value flags, applied last so that they win over a template's choices too.
Status ApplyFlags(const ParsedArgs& args, compose::ComposeStyle& style) {
  auto file = [&](const char* flag, std::string& field) -> Status {
    if (!args.Has(flag)) return Status::Ok();
    std::error_code ec;
    std::string path = args.Get(flag);
    if (!fs::is_regular_file(path, ec)) return NotFoundError(std::string(flag) + " " + path + ": no such file");
    field = fs::absolute(path, ec).lexically_normal().string();
    return Status::Ok();
  };
  CR_RETURN_IF_ERROR(file("--music", style.music));
  CR_RETURN_IF_ERROR(file("--logo", style.logo));
  CR_RETURN_IF_ERROR(file("--intro", style.intro));
  CR_RETURN_IF_ERROR(file("--outro", style.outro));
  if (args.Has("--voice")) style.voice = args.Get("--voice");
  if (args.Has("--caption-style")) style.caption_style = args.Get("--caption-style");
  if (args.Has("--no-captions")) style.captions = false;
  if (args.Has("--max-duration")) {
    CR_ASSIGN_OR_RETURN(style.max_duration_s, PositiveSeconds("--max-duration", args.Get("--max-duration")));
  }
  // Checked as a whole, the way the job will read it back.
  return compose::ParseComposeStyle(compose::ComposeStyleToJson(style), ".").status();
}

Result<Plan> PlanFromArgs(const ParsedArgs& args, Logger& logger) {
  int modes = static_cast<int>(!args.positional.empty()) + args.Has("--template") + args.Has("--topic");
  if (modes != 1 || args.positional.size() > 1) {
    return InvalidArgumentError("give one SCRIPT, or --template NAME, or --topic \"TEXT\"");
  }
  Plan plan;
  CR_ASSIGN_OR_RETURN(plan.style, BaseStyleFromArgs(args));
  std::error_code ec;
  if (!args.positional.empty()) {
    plan.script_path = fs::absolute(args.positional[0], ec).lexically_normal().string();
    std::string stem = fs::path(plan.script_path).stem().string();
    plan.output_dir = args.Get("-o", args.Get("--output", stem + "_video"));
    CR_RETURN_IF_ERROR(ApplyFlags(args, plan.style));
    return plan;
  }
  plan.output_dir = args.Get("-o", args.Get("--output", "compose_video"));
  fs::create_directories(plan.output_dir, ec);
  if (ec) return PermissionDeniedError("cannot create " + plan.output_dir + ": " + ec.message());
  plan.script_path = fs::absolute(fs::path(plan.output_dir) / "script.txt", ec).lexically_normal().string();
  std::string script;
  if (args.Has("--template")) {
    CR_ASSIGN_OR_RETURN(compose::AdTemplate tmpl, compose::LoadAdTemplate(args.Get("--template")));
    compose::AdInputs in;
    in.product = args.Get("--product");
    in.cta = args.Get("--cta");
    in.features = args.GetAll("--feature");
    for (const auto& image : args.GetAll("--image")) {
      in.images.push_back(fs::absolute(image, ec).lexically_normal().string());
    }
    CR_ASSIGN_OR_RETURN(compose::FilledAd ad, compose::FillAdTemplate(tmpl, in, plan.style));
    script = std::move(ad.script);
    plan.style = std::move(ad.style);
  } else {
    CR_ASSIGN_OR_RETURN(integrations::ChatConfig chat, integrations::ChatConfigFromEnv());
    integrations::TopicOptions topic;
    if (args.Has("--length")) {
      CR_ASSIGN_OR_RETURN(topic.target_s, PositiveSeconds("--length", args.Get("--length")));
    }
    logger.Info("asking the language model for a script",
                {{"model", chat.model}, {"prompt", integrations::TopicPromptVersion()}});
    CR_ASSIGN_OR_RETURN(script, integrations::WriteScriptForTopic(chat, args.Get("--topic"), topic));
  }
  CR_RETURN_IF_ERROR(ApplyFlags(args, plan.style));
  CR_RETURN_IF_ERROR(WriteFileAtomically(plan.script_path, script));
  return plan;
}

}  // namespace

int RunCompose(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, {"--help", "-h", "--verbose", "--check", "--no-captions"},
                        {"-o", "--output", "--aspect", "--size", "--voice", "--brand", "--style", "--music",
                         "--caption-style", "--logo", "--intro", "--outro", "--max-duration",
                         "--template", "--product", "--cta", "--feature", "--image", "--topic",
                         "--length", "--threads", "--data", "--log-format"});
  if (!args.ok()) return Fail("compose", args.status().message(), kExitUsage);
  if (args->Has("--help") || args->Has("-h")) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  auto format = ParseLogFormat(args->Get("--log-format"));
  if (!format.ok()) return Fail("compose", format.status().message(), kExitUsage);
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (args->Has("--threads")) {
    threads = std::atoi(args->Get("--threads").c_str());
    if (threads < 1 || threads > 64) return Fail("compose", "--threads must be 1..64", kExitUsage);
  }
  ConfigureLibraryLogging(args->Has("--verbose"));
  Logger logger(stderr, *format);

  auto plan = PlanFromArgs(*args, logger);
  if (!plan.ok()) {
    bool usage = plan.status().code() == StatusCode::kInvalidArgument &&
                 plan.status().message().rfind("give one SCRIPT", 0) == 0;
    return Fail("compose", plan.status().message(), usage ? kExitUsage : kExitFailure);
  }
  auto script = compose::LoadScript(plan->script_path);
  if (!script.ok()) return Fail("compose", script.status().message());
  compose::ScriptStats stats = compose::MeasureScript(*script, WordsPerMinute(plan->style.voice),
                                                      plan->style.paragraph_pause_s);
  char estimate[32];
  std::snprintf(estimate, sizeof(estimate), "%.1f", stats.estimated_duration_s);
  logger.Info("script", {{"words", std::to_string(stats.words)},
                         {"characters", std::to_string(stats.characters)},
                         {"sentences", std::to_string(stats.sentences)},
                         {"visuals", std::to_string(script->visuals.size())},
                         {"estimated_s", estimate}});
  if (Status s = compose::CheckDurationLimit(stats, plan->style.max_duration_s); !s.ok()) {
    return Fail("compose", plan->script_path + ": " + s.message() + " (raise --max-duration)");
  }
  std::error_code ec;
  fs::create_directories(plan->output_dir, ec);
  if (ec) return Fail("compose", "cannot create " + plan->output_dir + ": " + ec.message());
  std::string tags_dir = (fs::path(plan->output_dir) / "script").string();
  if (Status s = compose::WriteTagFiles(*script, tags_dir); !s.ok()) return Fail("compose", s.message());
  std::string style_path = (fs::path(plan->output_dir) / "style.json").string();
  if (Status s = WriteFileAtomically(style_path, compose::ComposeStyleToJson(plan->style)); !s.ok()) {
    return Fail("compose", s.message());
  }
  if (args->Has("--check")) {
    logger.Info("checked; nothing rendered", {{"tags", tags_dir}, {"style", style_path}});
    return kExitOk;
  }

  auto local = OpenLocalJobs(args->Get("--data"));
  if (!local.ok()) return Fail("compose", local.status().message());
  jobs::ComposeJobRequest request{plan->script_path, style_path, plan->output_dir, threads};
  auto job = jobs::MakeComposeJob((*local)->pipelines, request);
  if (!job.ok()) return Fail("compose", job.status().message());
  auto id = (*local)->store->CreateJob(*job);
  if (!id.ok()) return Fail("compose", id.status().message());
  std::fprintf(stderr, "job %lld created\n", static_cast<long long>(*id));
  int code = RunJobLocally(**local, *id, /*json=*/false, logger, "compose");
  if (code != kExitOk) return code;
  std::string video = (fs::path(job->options.at("output")) / "video.mp4").string();
  logger.Info("video written", {{"video", video},
                                {"metadata", (fs::path(job->options.at("output")) / "metadata.json").string()}});
  return kExitOk;
}

}  // namespace cutroom::cli
