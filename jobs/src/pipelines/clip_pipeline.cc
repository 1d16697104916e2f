#include "pipelines/clip_pipeline.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "captions/caption_styles.h"
#include "clip/clip_job.h"
#include "clip/clip_planner.h"
#include "cutroom/file_util.h"
#include "pipelines/step_env.h"
#include "sha256.h"

namespace cutroom::jobs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int IntOption(const StepContext& ctx, const std::string& name, int fallback) {
  std::string v = ctx.Option(name);
  return v.empty() ? fallback : std::atoi(v.c_str());
}

double DoubleOption(const StepContext& ctx, const std::string& name, double fallback) {
  std::string v = ctx.Option(name);
  return v.empty() ? fallback : std::strtod(v.c_str(), nullptr);
}

std::string TimelineName(int i) { return "timeline_" + std::to_string(i) + ".json"; }
std::string RenderName(int i) { return "render[" + std::to_string(i) + "]"; }

Result<int> PlannedClips(const std::string& plan_json_path) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(plan_json_path));
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.contains("clips") || !doc["clips"].is_number_integer()) {
    return DataLossError("plan.json: no clip count");
  }
  int n = doc["clips"].get<int>();
  if (n < 0 || n > 50) return DataLossError("plan.json: bad clip count");
  return n;
}

Result<timeline::Layout> ParseLayout(const std::string& text) {
  if (text.empty() || text == "auto") return timeline::Layout::kInvalid;
  if (text == "fill") return timeline::Layout::kFill;
  if (text == "fit_blur") return timeline::Layout::kFitBlur;
  if (text == "split") return timeline::Layout::kSplit;
  return InvalidArgumentError("layout must be auto, fill, fit_blur or split");
}

Result<std::pair<int, int>> ParseSize(const std::string& text) {
  int w = 0, h = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 16 || h < 16 || w > 8192 ||
      h > 8192 || w % 2 != 0 || h % 2 != 0) {
    return InvalidArgumentError("size must be WxH with even numbers from 16 to 8192");
  }
  return std::make_pair(w, h);
}

Status CheckCaptionStyle(const std::string& style) {
  auto names = captions::StyleNames();
  if (std::find(names.begin(), names.end(), style) != names.end()) return Status::Ok();
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  return InvalidArgumentError("unknown caption style '" + style + "' (" + list + ")");
}

// The job's whole CPU budget. Analysis and recognition results depend on their executor's
// concurrency (face detection keeps that many samples in flight, and the tracker's predictions
// steer the next scans), so they read it as an option: it is part of their cache key, and a
// resumed job analyses exactly as the first run did. transcribe and analyze may overlap; each
// gets the budget, as in the sequential in-process path, so both match `cutroom analyze` and
// `cutroom transcribe` with the same --threads.
int BudgetThreads(const StepContext& ctx) { return std::max(1, IntOption(ctx, "threads", 1)); }

// --- steps ---------------------------------------------------------------------------------

Result<std::string> SourceFingerprint(StepContext& ctx) { return FileFingerprint(ctx.Input("source")); }

Status ProbeStep(StepContext& ctx) {
  return clip::ProbeSource(ctx.Input("source"), ctx.OutputPath("probe.json"), EnvFor(ctx, ctx.threads()));
}

Result<std::string> SubtitlesFingerprint(StepContext& ctx) {
  std::string subtitles = ctx.Option("subtitles");
  if (subtitles.empty()) return std::string();
  return FileFingerprint(subtitles);
}

Status TranscribeStep(StepContext& ctx) {
  CR_ASSIGN_OR_RETURN(std::string probe, ctx.InputArtifact("probe", "probe.json"));
  // The source itself is covered by probe.json's hash (it holds the probe of this file version).
  return clip::TranscribeSource(ctx.Input("source"), probe, ctx.Option("subtitles"),
                                ctx.OutputPath("transcript.json"), EnvFor(ctx, BudgetThreads(ctx)));
}

Status AnalyzeStep(StepContext& ctx) {
  CR_ASSIGN_OR_RETURN(std::string probe, ctx.InputArtifact("probe", "probe.json"));
  (void)probe;  // read for its hash (in the cache key): the source that was probed
  return clip::AnalyzeSource(ctx.Input("source"), ctx.OutputPath("analysis.json"),
                             EnvFor(ctx, BudgetThreads(ctx)));
}

Result<std::string> WeightsFingerprint(StepContext& ctx) {
  std::string weights = ctx.Option("weights");
  if (weights.empty()) return std::string();
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(weights, 1 << 20));
  return Sha256Hex(text);
}

Status SelectStep(StepContext& ctx) {
  clip::ClipSelectOptions o;
  o.clips = IntOption(ctx, "clips", 5);
  o.min_s = DoubleOption(ctx, "min_s", 15);
  o.max_s = DoubleOption(ctx, "max_s", 90);
  std::istringstream topic(ctx.Option("topic"));
  for (std::string w; topic >> w;) o.topic.push_back(w);
  o.weights_path = ctx.Option("weights");
  CR_ASSIGN_OR_RETURN(std::string transcript, ctx.InputArtifact("transcribe", "transcript.json"));
  CR_ASSIGN_OR_RETURN(std::string analysis, ctx.InputArtifact("analyze", "analysis.json"));
  return clip::SelectClipsFrom(transcript, analysis, o, ctx.OutputPath("selection.json"));
}

Status PlanStep(StepContext& ctx) {
  clip::PlanOptions po;
  std::string aspect = ctx.Option("aspect");
  CR_ASSIGN_OR_RETURN(auto size, clip::OutputSizeForAspect(aspect.empty() ? "9:16" : aspect));
  if (std::string s = ctx.Option("size"); !s.empty()) {
    CR_ASSIGN_OR_RETURN(size, ParseSize(s));
  }
  po.output_width = size.first;
  po.output_height = size.second;
  std::string style = ctx.Option("caption_style");
  po.caption_style = style.empty() ? "highlight_word" : style;
  CR_ASSIGN_OR_RETURN(po.layout, ParseLayout(ctx.Option("layout")));
  CR_ASSIGN_OR_RETURN(std::string selection, ctx.InputArtifact("select", "selection.json"));
  CR_ASSIGN_OR_RETURN(std::string transcript, ctx.InputArtifact("transcribe", "transcript.json"));
  CR_ASSIGN_OR_RETURN(std::string analysis, ctx.InputArtifact("analyze", "analysis.json"));
  ctx.ReportProgress(0.0, "planning framing and captions");
  CR_ASSIGN_OR_RETURN(int n, clip::PlanClipsFrom(selection, transcript, analysis, ctx.Input("source"), po,
                                                 [&ctx](int i) { return ctx.OutputPath(TimelineName(i)); }));
  json plan = {{"clips", n}};
  return WriteFileAtomically(ctx.OutputPath("plan.json"), plan.dump() + "\n");
}

Result<std::vector<StepSuccess::Added>> PlanExpand(StepContext&, const std::map<std::string, std::string>& outputs) {
  auto it = outputs.find("plan.json");
  if (it == outputs.end()) return DataLossError("plan has no plan.json");
  CR_ASSIGN_OR_RETURN(int n, PlannedClips(it->second));
  std::vector<StepSuccess::Added> added;
  for (int i = 0; i < n; ++i) added.push_back({{RenderName(i), {"plan"}}, {"package"}});
  return added;
}

// Each render gets an equal share of the budget; a function of the job's options only, so the
// bytes (x264 output depends on its thread count) do not depend on who runs it.
int RenderThreads(const StepContext& ctx) {
  int threads = std::max(1, IntOption(ctx, "threads", 1));
  int parallel = std::max(1, IntOption(ctx, "parallel", 1));
  return std::max(1, threads / parallel);
}

Status RenderStep(StepContext& ctx) {
  CR_ASSIGN_OR_RETURN(std::string tl, ctx.InputArtifact("plan", TimelineName(ctx.index())));
  return clip::RenderClipFile(tl, ctx.OutputPath("clip.mp4"), EnvFor(ctx, RenderThreads(ctx)));
}

Status PackageStep(StepContext& ctx) {
  std::string output = ctx.Option("output");
  if (output.empty()) return InvalidArgumentError("the job has no output folder");
  clip::PackageFiles f;
  f.output_dir = output;
  f.source_path = ctx.Input("source");
  CR_ASSIGN_OR_RETURN(f.probe_json, ctx.InputArtifact("probe", "probe.json"));
  CR_ASSIGN_OR_RETURN(f.analysis_json, ctx.InputArtifact("analyze", "analysis.json"));
  CR_ASSIGN_OR_RETURN(f.transcript_json, ctx.InputArtifact("transcribe", "transcript.json"));
  CR_ASSIGN_OR_RETURN(f.selection_json, ctx.InputArtifact("select", "selection.json"));
  CR_ASSIGN_OR_RETURN(std::string plan, ctx.InputArtifact("plan", "plan.json"));
  CR_ASSIGN_OR_RETURN(int n, PlannedClips(plan));
  for (int i = 0; i < n; ++i) {
    CR_ASSIGN_OR_RETURN(std::string tl, ctx.InputArtifact("plan", TimelineName(i)));
    CR_ASSIGN_OR_RETURN(std::string mp4, ctx.InputArtifact(RenderName(i), "clip.mp4"));
    f.timelines.push_back(tl);
    f.mp4s.push_back(mp4);
  }
  CR_ASSIGN_OR_RETURN(clip::ClipJobResult result, clip::PackageClipFiles(f, EnvFor(ctx, 1)));
  CR_ASSIGN_OR_RETURN(std::string manifest, ReadSmallFile(result.manifest_path));
  return WriteFileAtomically(ctx.OutputPath("manifest.json"), manifest);
}

}  // namespace

Status RegisterClipPipeline(PipelineRegistry& registry) {
  PipelineDef def;
  def.kind = "clip";

  StepDef probe;
  probe.name = "probe";
  probe.inputs_read = {"source"};
  probe.fingerprint = SourceFingerprint;
  probe.run = ProbeStep;

  StepDef transcribe;
  transcribe.name = "transcribe";
  // 2: recognizer pruning caps (a word here and there differs from version 1).
  transcribe.version = 2;
  transcribe.deps = {"probe"};
  transcribe.inputs_read = {"source"};
  transcribe.options_read = {"subtitles", "threads"};
  transcribe.fingerprint = SubtitlesFingerprint;
  transcribe.run = TranscribeStep;

  StepDef analyze;
  analyze.name = "analyze";
  // 2: a note when the source is cut short; audio read with an initialised channel layout.
  analyze.version = 2;
  analyze.deps = {"probe"};
  analyze.inputs_read = {"source"};
  analyze.options_read = {"threads"};
  analyze.run = AnalyzeStep;

  StepDef select;
  select.name = "select";
  // 2: repeated passages chosen once, unpunctuated questions, answers whose question is cut off.
  select.version = 2;
  select.deps = {"transcribe", "analyze"};
  select.options_read = {"clips", "min_s", "max_s", "topic", "weights"};
  select.fingerprint = WeightsFingerprint;
  select.run = SelectStep;

  StepDef plan;
  plan.name = "plan";
  plan.deps = {"select", "transcribe", "analyze"};
  plan.inputs_read = {"source"};
  plan.options_read = {"aspect", "size", "layout", "caption_style"};
  plan.run = PlanStep;
  plan.expand = PlanExpand;

  StepDef render;
  render.name = "render[]";
  render.inputs_read = {"source"};
  render.options_read = {"threads", "parallel"};
  render.artifacts_read = {"plan/timeline_{i}.json"};
  render.fingerprint = SourceFingerprint;
  render.min_free_bytes = 64 << 20;
  render.run = RenderStep;

  StepDef package;
  package.name = "package";
  package.deps = {"probe", "transcribe", "analyze", "select", "plan"};
  package.inputs_read = {"source"};
  package.options_read = {"output"};
  package.cache = CachePolicy::kNever;
  package.run = PackageStep;

  def.steps = {std::move(probe),  std::move(transcribe), std::move(analyze), std::move(select),
               std::move(plan),   std::move(render),     std::move(package)};
  return registry.Add(std::move(def));
}

Result<NewJob> MakeClipJob(const PipelineRegistry& registry, const ClipJobRequest& r) {
  std::error_code ec;
  if (!fs::is_regular_file(r.input, ec)) return NotFoundError(r.input + ": no such file");
  std::string input = fs::absolute(r.input, ec).lexically_normal().string();
  std::string output = fs::absolute(r.output_dir, ec).lexically_normal().string();
  if (r.clips < 1 || r.clips > 50) return InvalidArgumentError("--clips must be 1..50");
  if (!(r.min_s > 0) || r.max_s < r.min_s) {
    return InvalidArgumentError("clip length range is invalid: --min-s must be > 0 and <= --max-s");
  }
  CR_RETURN_IF_ERROR(clip::OutputSizeForAspect(r.aspect).status());
  CR_RETURN_IF_ERROR(ParseLayout(r.layout).status());
  CR_RETURN_IF_ERROR(CheckCaptionStyle(r.caption_style));
  if (r.threads < 1 || r.threads > 64) return InvalidArgumentError("--threads must be 1..64");
  NewJob job;
  job.kind = "clip";
  job.inputs = {{"source", input}};
  job.options = {{"output", output},
                 {"clips", std::to_string(r.clips)},
                 {"min_s", FormatDouble(r.min_s)},
                 {"max_s", FormatDouble(r.max_s)},
                 {"aspect", r.aspect},
                 {"caption_style", r.caption_style},
                 {"layout", r.layout.empty() ? "auto" : r.layout},
                 {"threads", std::to_string(r.threads)}};
  if (r.width > 0 && r.height > 0) {
    std::string size = std::to_string(r.width) + "x" + std::to_string(r.height);
    CR_RETURN_IF_ERROR(ParseSize(size).status());
    job.options["size"] = size;
  }
  std::string topic;
  for (const auto& w : r.topic) topic += (topic.empty() ? "" : " ") + w;
  if (!topic.empty()) job.options["topic"] = topic;
  if (!r.subtitles_path.empty()) {
    if (!fs::is_regular_file(r.subtitles_path, ec)) return NotFoundError(r.subtitles_path + ": no such file");
    job.options["subtitles"] = fs::absolute(r.subtitles_path, ec).lexically_normal().string();
  }
  if (!r.weights_path.empty()) {
    if (!fs::is_regular_file(r.weights_path, ec)) return NotFoundError(r.weights_path + ": no such file");
    job.options["weights"] = fs::absolute(r.weights_path, ec).lexically_normal().string();
  }
  // One step at a time, each with the whole budget: two 1080x1920 renders side by side hold two
  // sets of x264 frame buffers (~145 MB each) and took the job to 542 MB, over the 500 MB budget;
  // one render with 2 threads peaks at ~314 MB for ~9% more CPU (docs/benchmarks.md, Clip).
  job.options["parallel"] = "1";
  fs::create_directories(output, ec);
  if (ec) return PermissionDeniedError("cannot create " + output + ": " + ec.message());
  CR_ASSIGN_OR_RETURN(job.steps, registry.InitialSteps("clip"));
  return job;
}

}  // namespace cutroom::jobs
