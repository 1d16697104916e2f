#include "pipelines/render_pipeline.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "captions/caption_styles.h"
#include "cutroom/file_util.h"
#include "media/probe.h"
#include "render/renderer.h"
#include "sha256.h"
#include "timeline/timeline_json.h"
#include "timeline/validate.h"

namespace cutroom::jobs {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// What identifies a source's content without reading it all: path, size and modification time
// (like make and ninja). One line per source, in Timeline order.
Result<std::string> SourcesFingerprint(const timeline::Timeline& tl) {
  std::string out;
  for (const auto& src : tl.sources) {
    struct stat st {};
    if (stat(src.path.c_str(), &st) != 0) {
      return NotFoundError("source '" + src.id + "' (" + src.path + "): " + std::strerror(errno));
    }
    int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
    out += src.id + "\t" + src.path + "\t" + std::to_string(st.st_size) + "\t" +
           std::to_string(mtime_ns) + "\n";
  }
  return out;
}

Result<timeline::Timeline> LoadJobTimeline(const StepContext& ctx) {
  std::string path = ctx.Input("timeline");
  auto tl = timeline::LoadTimelineFile(path);
  if (!tl.ok()) {
    // The file was fine when the job was made: it changed or went away since. Not transient.
    return InvalidArgumentError("timeline " + path + ": " + tl.status().message());
  }
  return tl;
}

Status ProbeStep(StepContext& ctx) {
  CR_ASSIGN_OR_RETURN(timeline::Timeline tl, LoadJobTimeline(ctx));
  CR_ASSIGN_OR_RETURN(std::string fingerprint, SourcesFingerprint(tl));
  json sources = json::array();
  for (size_t i = 0; i < tl.sources.size(); ++i) {
    const auto& src = tl.sources[i];
    ctx.ReportProgress(static_cast<double>(i) / static_cast<double>(tl.sources.size()), "probing " + src.id);
    auto info = media::ProbeFile(src.path, &ctx.cancel());
    if (!info.ok()) return info.status().WithContext("source '" + src.id + "'");
    sources.push_back({{"id", src.id}, {"path", src.path}, {"info", json::parse(media::MediaInfoToJson(*info))}});
  }
  json doc = {{"fingerprint", fingerprint}, {"sources", sources}};
  return WriteFileAtomically(ctx.OutputPath("probe.json"), doc.dump(2) + "\n");
}

Result<std::string> ProbeFingerprint(StepContext& ctx) {
  CR_ASSIGN_OR_RETURN(timeline::Timeline tl, LoadJobTimeline(ctx));
  return SourcesFingerprint(tl);
}

Result<std::string> RenderFingerprint(StepContext& ctx) {
  CR_ASSIGN_OR_RETURN(timeline::Timeline tl, LoadJobTimeline(ctx));
  return Sha256Hex(timeline::TimelineToJson(tl));
}

Status CheckCaptionStyle(const timeline::Timeline& tl, const std::string& style) {
  if (style.empty()) return Status::Ok();
  auto names = captions::StyleNames();
  if (std::find(names.begin(), names.end(), style) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    return InvalidArgumentError("unknown caption style '" + style + "' (" + list + ")");
  }
  if (!tl.captions) return InvalidArgumentError("caption style given but the timeline has no captions");
  return Status::Ok();
}

Status RenderStep(StepContext& ctx) {
  CR_ASSIGN_OR_RETURN(timeline::Timeline tl, LoadJobTimeline(ctx));
  std::string style = ctx.Option("caption_style");
  CR_RETURN_IF_ERROR(CheckCaptionStyle(tl, style));
  if (!style.empty()) tl.captions->style = style;
  // The sources must still be the ones probed: else the cached probe would lie.
  CR_ASSIGN_OR_RETURN(std::string probe_path, ctx.InputArtifact("probe", "probe.json"));
  CR_ASSIGN_OR_RETURN(std::string probe_text, ReadSmallFile(probe_path));
  CR_ASSIGN_OR_RETURN(std::string now_fingerprint, SourcesFingerprint(tl));
  try {
    if (json::parse(probe_text).at("fingerprint").get<std::string>() != now_fingerprint) {
      return FailedPreconditionError(
          "source files changed since they were probed; run the command again to start a new job");
    }
  } catch (const json::exception& e) {
    return DataLossError(std::string("probe.json: ") + e.what());
  }
  int threads = ctx.threads();
  std::string threads_option = ctx.Option("threads");
  if (!threads_option.empty()) threads = std::atoi(threads_option.c_str());
  render::RenderOptions options;
  options.threads = threads;
  options.cancel = &ctx.cancel();
  options.logger = ctx.logger();
  options.progress = [&ctx](double p, const std::string& m) { ctx.ReportProgress(p, m); };
  auto stats = render::RenderTimeline(tl, ctx.OutputPath("render.mp4"), options);
  return stats.status();
}

Status PackageStep(StepContext& ctx) {
  std::string output = ctx.Option("output");
  if (output.empty()) return InvalidArgumentError("the job has no output path");
  CR_ASSIGN_OR_RETURN(std::string mp4, ctx.InputArtifact("render", "render.mp4"));
  const ArtifactRef* ref = ctx.job().FindStep("render")->FindOutput("render.mp4");
  // Copied beside the output, then renamed: the output appears whole or not at all.
  CR_RETURN_IF_ERROR(CopyFileAtomically(mp4, output));
  json manifest = {{"kind", "render"},
                   {"job_id", ctx.job().id},
                   {"timeline", ctx.Input("timeline")},
                   {"caption_style", ctx.Option("caption_style")},
                   {"output", {{"file", output}, {"bytes", ref->size_bytes}, {"sha256", ref->sha256}}}};
  std::string text = manifest.dump(2) + "\n";
  CR_RETURN_IF_ERROR(WriteFileAtomically(ctx.OutputPath("manifest.json"), text));
  return WriteFileAtomically(ManifestPathFor(output), text);
}

}  // namespace

std::string ManifestPathFor(const std::string& output_path) {
  fs::path p(output_path);
  return (p.parent_path() / (p.stem().string() + ".manifest.json")).string();
}

Status RegisterRenderPipeline(PipelineRegistry& registry) {
  PipelineDef def;
  def.kind = "render";

  StepDef probe;
  probe.name = "probe";
  probe.inputs_read = {"timeline"};
  probe.fingerprint = ProbeFingerprint;
  probe.run = ProbeStep;

  StepDef render;
  render.name = "render";
  render.deps = {"probe"};
  render.inputs_read = {"timeline"};
  render.options_read = {"caption_style", "threads"};
  render.min_free_bytes = 64 << 20;
  render.fingerprint = RenderFingerprint;
  render.run = RenderStep;

  StepDef package;
  package.name = "package";
  package.deps = {"render"};
  package.inputs_read = {"timeline"};
  package.options_read = {"output", "caption_style"};
  package.cache = CachePolicy::kNever;
  package.run = PackageStep;

  def.steps = {std::move(probe), std::move(render), std::move(package)};
  return registry.Add(std::move(def));
}

Result<NewJob> MakeRenderJob(const PipelineRegistry& registry, const RenderJobRequest& request) {
  std::error_code ec;
  std::string timeline_path = fs::absolute(request.timeline_path, ec).lexically_normal().string();
  std::string output = fs::absolute(request.output_path, ec).lexically_normal().string();
  CR_ASSIGN_OR_RETURN(timeline::Timeline tl, timeline::LoadTimelineFile(timeline_path));
  CR_RETURN_IF_ERROR(CheckCaptionStyle(tl, request.caption_style));
  if (!request.caption_style.empty()) tl.captions->style = request.caption_style;
  CR_RETURN_IF_ERROR(timeline::ValidateStructure(tl, captions::StyleNames()).WithContext(timeline_path));
  fs::path parent = fs::path(output).parent_path();
  if (!fs::is_directory(parent, ec)) {
    return NotFoundError("output folder " + parent.string() + " does not exist");
  }
  if (fs::is_directory(output, ec)) return InvalidArgumentError("output " + output + " is a folder");
  for (const auto& src : tl.sources) {
    if (fs::exists(output, ec) && fs::equivalent(src.path, output, ec)) {
      return InvalidArgumentError("output " + output + " is source '" + src.id + "' of the timeline");
    }
  }
  if (request.threads < 0 || request.threads > 64) return InvalidArgumentError("threads must be 0..64");
  NewJob job;
  job.kind = "render";
  job.inputs = {{"timeline", timeline_path}};
  job.options = {{"output", output}};
  if (!request.caption_style.empty()) job.options["caption_style"] = request.caption_style;
  if (request.threads > 0) job.options["threads"] = std::to_string(request.threads);
  CR_ASSIGN_OR_RETURN(job.steps, registry.InitialSteps("render"));
  return job;
}

}  // namespace cutroom::jobs
