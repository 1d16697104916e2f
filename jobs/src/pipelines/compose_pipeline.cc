#include "pipelines/compose_pipeline.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "compose/compose_job.h"
#include "compose/compose_style.h"
#include "compose/script.h"
#include "cutroom/file_util.h"
#include "pipelines/step_env.h"
#include "sha256.h"

namespace cutroom::jobs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int BudgetThreads(const StepContext& ctx) {
  std::string v = ctx.Option("threads");
  return v.empty() ? 1 : std::max(1, std::atoi(v.c_str()));
}

// A file named by the script or the style (a missing file fingerprints as missing; the step
// itself then fails naming it).
std::string NamedFileFingerprint(const std::string& path) {
  if (path.empty()) return "";
  Result<std::string> fingerprint = FileFingerprint(path);
  return fingerprint.ok() ? *fingerprint : path + "\tmissing\n";
}

std::string Resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(base_dir) / path).lexically_normal().string();
}

// Every file the script and the style name, resolved as the planner resolves them.
std::vector<std::string> NamedFiles(const compose::Script& script, const compose::ComposeStyle& style,
                                    const std::string& script_dir) {
  std::vector<std::string> files;
  for (const auto& v : script.visuals) {
    if (v.kind == compose::VisualKind::kImage || v.kind == compose::VisualKind::kBroll) {
      files.push_back(Resolve(script_dir, v.body));
    }
  }
  files.push_back(Resolve(script_dir, script.music_path));
  for (const std::string* f : {&style.logo, &style.intro, &style.outro, &style.music, &style.look.font_file}) {
    files.push_back(*f);
  }
  for (const auto& look : style.scenes) files.push_back(look.font_file);
  return files;
}

struct Loaded {
  std::string script_text;
  std::string style_text;
  compose::Script script;
  compose::ComposeStyle style;
};

Result<Loaded> LoadInputs(const StepContext& ctx) {
  Loaded l;
  CR_ASSIGN_OR_RETURN(l.script_text, ReadSmallFile(ctx.Input("script"), 8 << 20));
  CR_ASSIGN_OR_RETURN(l.style_text, ReadSmallFile(ctx.Input("style"), 1 << 20));
  CR_ASSIGN_OR_RETURN(l.script, compose::LoadScript(ctx.Input("script")));
  CR_ASSIGN_OR_RETURN(l.style, compose::LoadComposeStyle(ctx.Input("style")));
  return l;
}

// Narration depends on the words and on the voice and pacing only (job options, so that a run
// into another folder with another look shares it).
Result<std::string> NarrateFingerprint(StepContext& ctx) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(ctx.Input("script"), 8 << 20));
  return Sha256Hex(text);
}

Result<std::string> RenderFingerprint(StepContext& ctx) {
  CR_ASSIGN_OR_RETURN(Loaded l, LoadInputs(ctx));
  std::string key = Sha256Hex(l.script_text) + "\n" + Sha256Hex(l.style_text) + "\n";
  std::string script_dir = fs::path(ctx.Input("script")).parent_path().string();
  for (const auto& f : NamedFiles(l.script, l.style, script_dir)) key += NamedFileFingerprint(f);
  return key;
}

Status NarrateStep(StepContext& ctx) {
  compose::ComposeStyle style;
  style.voice = ctx.Option("voice");
  style.sentence_gap_s = std::strtod(ctx.Option("sentence_gap_s").c_str(), nullptr);
  style.paragraph_pause_s = std::strtod(ctx.Option("paragraph_pause_s").c_str(), nullptr);
  style.max_duration_s = std::strtod(ctx.Option("max_duration_s").c_str(), nullptr);
  return compose::NarrateScript(ctx.Input("script"), style, ctx.OutputPath("narration.wav"),
                                ctx.OutputPath("narration.json"), EnvFor(ctx, 1));
}

Status RenderStep(StepContext& ctx) {
  CR_ASSIGN_OR_RETURN(compose::ComposeStyle style, compose::LoadComposeStyle(ctx.Input("style")));
  CR_ASSIGN_OR_RETURN(std::string wav, ctx.InputArtifact("narrate", "narration.wav"));
  CR_ASSIGN_OR_RETURN(std::string narration, ctx.InputArtifact("narrate", "narration.json"));
  std::string assets = (fs::path(ctx.temp_dir()) / "assets").string();
  std::string timeline = ctx.OutputPath("timeline.json");
  ctx.ReportProgress(0.0, "planning scenes");
  CR_RETURN_IF_ERROR(compose::PlanComposition(ctx.Input("script"), style, wav, narration, assets,
                                              timeline, EnvFor(ctx, 1)));
  return clip::RenderClipFile(timeline, ctx.OutputPath("video.mp4"), EnvFor(ctx, BudgetThreads(ctx)));
}

Status PackageStep(StepContext& ctx) {
  std::string output = ctx.Option("output");
  if (output.empty()) return InvalidArgumentError("the job has no output folder");
  CR_ASSIGN_OR_RETURN(compose::ComposeStyle style, compose::LoadComposeStyle(ctx.Input("style")));
  CR_ASSIGN_OR_RETURN(std::string wav, ctx.InputArtifact("narrate", "narration.wav"));
  CR_ASSIGN_OR_RETURN(std::string narration, ctx.InputArtifact("narrate", "narration.json"));
  CR_ASSIGN_OR_RETURN(std::string video, ctx.InputArtifact("render", "video.mp4"));
  // The packaged Timeline points at DIR/assets and DIR/narration.wav, so DIR renders again alone.
  std::string assets = (fs::path(output) / "assets").string();
  std::error_code ec;
  fs::create_directories(assets, ec);
  if (ec) return PermissionDeniedError("cannot create " + assets + ": " + ec.message());
  std::string wav_copy = (fs::path(assets) / "narration.wav").string();
  CR_RETURN_IF_ERROR(CopyFileAtomically(wav, wav_copy));
  std::string timeline = (fs::path(ctx.temp_dir()) / "timeline.json").string();
  CR_RETURN_IF_ERROR(compose::PlanComposition(ctx.Input("script"), style, wav_copy, narration,
                                              assets, timeline, EnvFor(ctx, 1)));
  CR_ASSIGN_OR_RETURN(compose::ComposeResult result,
                      compose::PackageComposition(ctx.Input("script"), style, timeline, narration,
                                                  video, output, EnvFor(ctx, 1)));
  json r = {{"output_dir", result.output_dir},
            {"video", result.video},
            {"duration_s", result.duration_s},
            {"warnings", result.warnings}};
  return WriteFileAtomically(ctx.OutputPath("result.json"), r.dump(2) + "\n");
}

}  // namespace

Status RegisterComposePipeline(PipelineRegistry& registry) {
  PipelineDef def;
  def.kind = "compose";

  StepDef narrate;
  narrate.name = "narrate";
  narrate.inputs_read = {"script"};
  narrate.options_read = {"voice", "sentence_gap_s", "paragraph_pause_s", "max_duration_s"};
  narrate.fingerprint = NarrateFingerprint;
  narrate.run = NarrateStep;

  StepDef render;
  render.name = "render";
  render.deps = {"narrate"};
  render.inputs_read = {"script", "style"};
  render.options_read = {"threads"};
  render.fingerprint = RenderFingerprint;
  render.min_free_bytes = 64 << 20;
  render.run = RenderStep;

  StepDef package;
  package.name = "package";
  package.deps = {"narrate", "render"};
  package.inputs_read = {"script", "style"};
  package.options_read = {"output"};
  package.cache = CachePolicy::kNever;
  package.run = PackageStep;

  def.steps = {std::move(narrate), std::move(render), std::move(package)};
  return registry.Add(std::move(def));
}

Result<NewJob> MakeComposeJob(const PipelineRegistry& registry, const ComposeJobRequest& r) {
  std::error_code ec;
  if (!fs::is_regular_file(r.script_path, ec)) return NotFoundError(r.script_path + ": no such file");
  if (!fs::is_regular_file(r.style_path, ec)) return NotFoundError(r.style_path + ": no such file");
  std::string script_path = fs::absolute(r.script_path, ec).lexically_normal().string();
  std::string style_path = fs::absolute(r.style_path, ec).lexically_normal().string();
  std::string output = fs::absolute(r.output_dir, ec).lexically_normal().string();
  if (r.threads < 1 || r.threads > 64) return InvalidArgumentError("--threads must be 1..64");
  CR_ASSIGN_OR_RETURN(compose::Script script, compose::LoadScript(script_path));
  CR_ASSIGN_OR_RETURN(compose::ComposeStyle style, compose::LoadComposeStyle(style_path));
  std::string script_dir = fs::path(script_path).parent_path().string();
  for (const auto& f : NamedFiles(script, style, script_dir)) {
    if (!f.empty() && !fs::exists(f, ec)) {
      // Images named by a prompt rather than a file are the planner's to explain.
      bool prompt_like = fs::path(f).extension().empty() && f.find(' ') != std::string::npos;
      if (!prompt_like) return NotFoundError(f + ": no such file (named by the script or the style)");
    }
  }
  NewJob job;
  job.kind = "compose";
  job.inputs = {{"script", script_path}, {"style", style_path}};
  job.options = {{"output", output},
                 {"threads", std::to_string(r.threads)},
                 {"voice", style.voice},
                 {"sentence_gap_s", FormatDouble(style.sentence_gap_s)},
                 {"paragraph_pause_s", FormatDouble(style.paragraph_pause_s)},
                 {"max_duration_s", FormatDouble(style.max_duration_s)}};
  fs::create_directories(output, ec);
  if (ec) return PermissionDeniedError("cannot create " + output + ": " + ec.message());
  CR_ASSIGN_OR_RETURN(job.steps, registry.InitialSteps("compose"));
  return job;
}

}  // namespace cutroom::jobs
