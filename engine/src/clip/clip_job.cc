#include "clip/clip_job.h"

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>

#include "analysis/analyzer.h"
#include "clip/clip_package.h"
#include "clip/clip_planner.h"
#include "cutroom/file_util.h"
#include "media/probe.h"
#include "render/renderer.h"
#include "select/clip_selector.h"
#include "speech/transcribe.h"
#include "timeline/timeline_json.h"

namespace cutroom::clip {
namespace {

std::string Numbered(int index, const std::string& ext) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%02d%s", index, ext.c_str());
  return buf;
}

// Runs `tasks` on the executor and waits for all; returns the first error.
Status RunAll(Executor& executor, std::vector<std::function<Status()>> tasks) {
  std::mutex mu;
  std::condition_variable done;
  size_t remaining = tasks.size();
  Status first_error;
  for (auto& task : tasks) {
    executor.Submit([&, task = std::move(task)] {
      Status s = task();
      std::lock_guard<std::mutex> lock(mu);
      if (!s.ok() && first_error.ok()) first_error = s;
      if (--remaining == 0) done.notify_all();
    });
  }
  std::unique_lock<std::mutex> lock(mu);
  done.wait(lock, [&] { return remaining == 0; });
  return first_error;
}

}  // namespace

Result<ClipJobResult> RunClipJob(const ClipJobOptions& o, Executor& executor) {
  auto report = [&](double p, const std::string& m) {
    if (o.progress) o.progress(p, m);
  };
  auto cancelled = [&] { return o.cancel != nullptr && o.cancel->IsCancelled(); };
  if (o.clips < 1 || o.clips > 50) return InvalidArgumentError("--clips must be 1..50");
  if (!(o.min_s > 0) || o.max_s < o.min_s) {
    return InvalidArgumentError("clip length range is invalid: --min-s must be > 0 and <= --max-s");
  }
  CR_ASSIGN_OR_RETURN(auto size, OutputSizeForAspect(o.aspect));
  if (o.width > 0 && o.height > 0) size = {o.width, o.height};
  select::SelectOptions so;
  so.clips = o.clips;
  so.min_duration = MediaTime::FromSecondsApprox(o.min_s);
  so.max_duration = MediaTime::FromSecondsApprox(o.max_s);
  so.topic = o.topic;
  if (!o.weights_path.empty()) {
    CR_ASSIGN_OR_RETURN(std::string json, ReadSmallFile(o.weights_path, 1 << 20));
    auto weights = select::ScoringWeights::FromJson(json);
    if (!weights.ok()) return weights.status().WithContext(o.weights_path);
    so.weights = *weights;
  }

  report(0.0, "probing");
  CR_ASSIGN_OR_RETURN(MediaInfo info, media::ProbeFile(o.input, o.cancel));
  if (info.video() == nullptr) return FailedPreconditionError(o.input + ": has no video stream to clip");
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(o.output_dir) / "clips", ec);
  std::filesystem::create_directories(std::filesystem::path(o.output_dir) / "exports", ec);
  if (ec) return PermissionDeniedError("cannot create " + o.output_dir + ": " + ec.message());
  const std::filesystem::path dir(o.output_dir);
  ClipJobResult result;

  report(0.02, "analysing scenes, faces and audio");
  analysis::AnalyzeOptions ao;
  ao.executor = &executor;
  ao.cancel = o.cancel;
  ao.progress = [&](double p, const std::string& m) { report(0.02 + 0.3 * p, m); };
  CR_ASSIGN_OR_RETURN(analysis::Analysis an, analysis::AnalyzeFile(o.input, ao));
  for (const auto& note : an.notes) result.warnings.push_back(note);
  CR_RETURN_IF_ERROR(WriteFileAtomically((dir / "analysis.json").string(), analysis::AnalysisToJson(an)));
  if (cancelled()) return CancelledError("clip job cancelled");

  report(0.32, "transcribing");
  speech::Transcript transcript;
  transcript.source = speech::TranscriptSource::kBuiltinAsr;
  if (info.audio() != nullptr) {
    speech::TranscribeOptions to;
    to.subtitles_path = o.subtitles_path;
    to.executor = &executor;
    to.cancel = o.cancel;
    CR_ASSIGN_OR_RETURN(transcript, speech::TranscribeFile(o.input, to));
  } else {
    result.warnings.push_back("the source has no audio: clips are chosen from visual signals only");
  }
  for (const auto& w : transcript.warnings) result.warnings.push_back(w);
  CR_RETURN_IF_ERROR(WriteFileAtomically((dir / "transcript.json").string(),
                                         speech::TranscriptToJson(transcript)));
  if (cancelled()) return CancelledError("clip job cancelled");

  report(0.45, "selecting clips");
  CR_ASSIGN_OR_RETURN(select::Selection selection,
                      select::SelectClips(transcript, SummarizeSignals(an), so));
  for (const auto& w : selection.warnings) result.warnings.push_back(w);
  if (selection.clips.empty()) return NotFoundError(o.input + ": no clip could be made from this source");

  report(0.5, "planning framing and captions");
  PlanOptions po;
  po.output_width = size.first;
  po.output_height = size.second;
  po.caption_style = o.caption_style;
  po.layout = o.layout;
  const std::string source_abs = std::filesystem::absolute(o.input).string();
  std::vector<timeline::Timeline> timelines;
  for (size_t i = 0; i < selection.clips.size(); ++i) {
    CR_ASSIGN_OR_RETURN(timeline::Timeline tl, PlanClipTimeline(selection.clips[i], transcript, an,
                                                                source_abs, po));
    CR_RETURN_IF_ERROR(WriteFileAtomically(
        (dir / "clips" / Numbered(static_cast<int>(i + 1), ".timeline.json")).string(),
        timeline::TimelineToJson(tl)));
    timelines.push_back(std::move(tl));
  }

  // Renders in parallel: as many at once as the budget allows, the budget split between them.
  const int parallel = std::max(1, std::min<int>(o.threads, static_cast<int>(timelines.size())));
  const int threads_each = std::max(1, o.threads / parallel);
  std::mutex progress_mu;
  std::vector<double> done(timelines.size(), 0.0);
  std::vector<std::function<Status()>> renders;
  for (size_t i = 0; i < timelines.size(); ++i) {
    renders.push_back([&, i]() -> Status {
      render::RenderOptions ro;
      ro.threads = threads_each;
      ro.cancel = o.cancel;
      ro.logger = o.logger;
      ro.progress = [&, i](double p, const std::string&) {
        std::lock_guard<std::mutex> lock(progress_mu);
        done[i] = p;
        double sum = 0;
        for (double d : done) sum += d;
        report(0.5 + 0.4 * sum / done.size(), "rendering clips");
      };
      std::string out = (dir / "clips" / Numbered(static_cast<int>(i + 1), ".mp4")).string();
      auto stats = render::RenderTimeline(timelines[i], out, ro);
      return stats.ok() ? Status::Ok() : stats.status().WithContext("clip " + std::to_string(i + 1));
    });
  }
  // Run the renders on their own small pool sized to `parallel` on top of the caller's executor
  // would oversubscribe; the caller's executor has exactly the budget, so use it directly.
  CR_RETURN_IF_ERROR(RunAll(executor, std::move(renders)));
  if (cancelled()) return CancelledError("clip job cancelled");

  report(0.9, "packaging");
  PackageInput pkg;
  pkg.output_dir = o.output_dir;
  pkg.source_path = source_abs;
  pkg.source_info = info;
  pkg.analysis = &an;
  pkg.selection = &selection;
  pkg.timelines = &timelines;
  pkg.warnings = result.warnings;
  CR_ASSIGN_OR_RETURN(result.manifest_path, PackageClips(pkg));
  result.clips = static_cast<int>(timelines.size());
  report(1.0, "done");
  return result;
}

}  // namespace cutroom::clip
