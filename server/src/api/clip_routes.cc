// /api/v1/workspaces/{ws}/clips: the clips of completed clip jobs (read from each job's
// manifest.json), their files (video with Range, thumbnail, captions, exports, Timeline), edits
// (title and description; caption style and layout as a re-render job) and reviews.
// A clip's id is "<job id>-<clip number>".
#include <charconv>
#include <filesystem>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/api_json.h"
#include "api/file_response.h"
#include "api/json_input.h"
#include "auth/secrets.h"
#include "cutroom/file_util.h"
#include "pipelines/render_pipeline.h"
#include "timeline/timeline_json.h"
#include "timeline/trim.h"

namespace cutroom::server::api {
namespace {

using nlohmann::json;
using timeline::Layout;
using timeline::Segment;
using timeline::Timeline;

constexpr const char* kRejectReasons[] = {"bad_hook", "cut_mid_thought", "wrong_speaker_framed", "caption_errors",
                                          "boring", "off_brand", "audio_problem", "duplicate", "other"};

struct ClipRef {
  jobs::Job job;
  int index = 0;
  std::string id;      // "12-3"
  std::string folder;  // the job's output folder
  json entry;          // the manifest's clip entry
};

Result<json> ReadManifest(const std::string& folder) {
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(folder + "/manifest.json"));
  json manifest = json::parse(text, nullptr, false);
  if (!manifest.is_object() || !manifest.contains("clips") || !manifest["clips"].is_array()) {
    return DataLossError("the job's manifest.json is damaged");
  }
  return manifest;
}

Result<ClipRef> FindClip(ApiContext& ctx, const Call& call) {
  const std::string& id = call.Param("clip");
  size_t dash = id.find('-');
  int64_t job_id = 0;
  int index = 0;
  bool ok = dash != std::string::npos;
  if (ok) {
    auto a = std::from_chars(id.data(), id.data() + dash, job_id);
    auto b = std::from_chars(id.data() + dash + 1, id.data() + id.size(), index);
    ok = a.ec == std::errc() && a.ptr == id.data() + dash && b.ec == std::errc() && b.ptr == id.data() + id.size() &&
         job_id > 0 && index > 0;
  }
  if (!ok) return InvalidArgumentError("a clip id looks like \"12-3\" (job 12, clip 3)");
  auto job = ctx.jobs.GetJob(job_id);
  if (!job.ok() || job->workspace_id != std::to_string(call.workspace_id) || job->kind != "clip") {
    if (!job.ok() && job.status().code() != StatusCode::kNotFound) return job.status();
    return NotFoundError("clip " + id + " not found");
  }
  if (job->state != jobs::JobState::kCompleted && job->state != jobs::JobState::kReview) {
    return NotFoundError("clip " + id + " not found (job " + std::to_string(job_id) + " is " +
                         std::string(jobs::JobStateName(job->state)) + ")");
  }
  ClipRef ref;
  ref.folder = job->options["output"];
  ref.job = std::move(*job);
  ref.index = index;
  ref.id = id;
  CR_ASSIGN_OR_RETURN(json manifest, ReadManifest(ref.folder));
  for (const json& c : manifest["clips"]) {
    if (c.value("index", 0) == index) {
      ref.entry = c;
      return ref;
    }
  }
  return NotFoundError("clip " + id + " not found");
}

// A file named by the manifest, inside the job's folder only.
Result<std::string> ClipFile(const ClipRef& clip, const json& relative) {
  if (!relative.is_string()) return NotFoundError("the clip has no such file");
  std::string rel = relative.get<std::string>();
  if (rel.empty() || rel[0] == '/' || rel.find("..") != std::string::npos) return NotFoundError("bad file name");
  return clip.folder + "/" + rel;
}

Result<json> ClipJson(ApiContext& ctx, const ClipRef& clip, int64_t ws) {
  json out = clip.entry;
  out.erase("file");
  out.erase("timeline");
  out.erase("thumbnail");
  out.erase("exports");
  out["id"] = clip.id;
  out["job_id"] = clip.job.id;
  std::string base = "/api/v1/workspaces/" + std::to_string(ws) + "/clips/" + clip.id;
  out["urls"] = {{"video", base + "/video"},           {"thumbnail", base + "/thumbnail"},
                 {"srt", base + "/captions/srt"},      {"vtt", base + "/captions/vtt"},
                 {"ass", base + "/captions/ass"},      {"fcpxml", base + "/exports/fcpxml"},
                 {"edl", base + "/exports/edl"},       {"otio", base + "/exports/otio"},
                 {"timeline", base + "/timeline"}};
  CR_ASSIGN_OR_RETURN(std::optional<jobs::ClipEdit> edit, ctx.app.GetClipEdit(ws, clip.id));
  if (edit) {
    if (!edit->title.empty()) out["title"] = edit->title;
    if (!edit->description.empty()) out["description"] = edit->description;
    if (edit->render_job_id != 0) {
      auto job = ctx.jobs.GetJobState(edit->render_job_id);
      out["render_job"] = {{"id", edit->render_job_id},
                           {"state", job.ok() ? std::string(jobs::JobStateName(*job)) : "unknown"}};
    }
  }
  CR_ASSIGN_OR_RETURN(std::vector<jobs::Review> reviews, ctx.app.ListReviews(ws, clip.id));
  out["review"] = reviews.empty() ? json(nullptr) : ReviewJson(reviews.back());
  return out;
}

Result<http::Response> ListClips(ApiContext& ctx, Call& call) {
  jobs::JobFilter filter;
  filter.workspace_id = std::to_string(call.workspace_id);
  filter.kind = "clip";
  filter.state = jobs::JobState::kCompleted;
  CR_ASSIGN_OR_RETURN(int64_t only_job, call.QueryInt("job", 0, 0, INT64_MAX));
  jobs::PageRequest page;
  page.limit = 20;
  CR_ASSIGN_OR_RETURN(page.after_id, call.QueryInt("after_job", 0, 0, INT64_MAX));
  jobs::JobPage jobs_page;
  if (only_job != 0) {
    // One job: looked up directly (a clip job of this workspace that has finished), not paged.
    auto job = ctx.jobs.GetJob(only_job);
    if (job.ok() && job->workspace_id == filter.workspace_id && job->kind == "clip" &&
        (job->state == jobs::JobState::kCompleted || job->state == jobs::JobState::kReview)) {
      job->steps.clear();
      jobs_page.jobs.push_back(std::move(*job));
    } else if (!job.ok() && job.status().code() != StatusCode::kNotFound) {
      return job.status();
    }
  } else {
    CR_ASSIGN_OR_RETURN(jobs_page, ctx.jobs.ListJobs(filter, page));
  }
  json items = json::array();
  for (const jobs::Job& job : jobs_page.jobs) {
    auto manifest = ReadManifest(job.options.count("output") ? job.options.at("output") : "");
    if (!manifest.ok()) continue;
    for (const json& c : (*manifest)["clips"]) {
      ClipRef ref{job, c.value("index", 0), std::to_string(job.id) + "-" + std::to_string(c.value("index", 0)),
                  job.options.at("output"), c};
      CR_ASSIGN_OR_RETURN(json item, ClipJson(ctx, ref, call.workspace_id));
      items.push_back(std::move(item));
    }
  }
  json body = {{"items", items}};
  body["next_after_job"] = jobs_page.next_after_id == 0 ? json(nullptr) : json(jobs_page.next_after_id);
  return JsonResponse(200, body.dump());
}

Result<http::Response> GetClip(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(ClipRef clip, FindClip(ctx, call));
  CR_ASSIGN_OR_RETURN(json body, ClipJson(ctx, clip, call.workspace_id));
  return JsonResponse(200, body.dump());
}

Result<http::Response> Video(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(ClipRef clip, FindClip(ctx, call));
  CR_ASSIGN_OR_RETURN(std::string path, ClipFile(clip, clip.entry["file"]));
  CR_ASSIGN_OR_RETURN(std::optional<jobs::ClipEdit> edit, ctx.app.GetClipEdit(call.workspace_id, clip.id));
  if (edit && edit->render_job_id != 0) {
    auto job = ctx.jobs.GetJob(edit->render_job_id);
    if (job.ok() && job->state == jobs::JobState::kCompleted) path = job->options["output"];
  }
  bool download = call.request.Query("download") == "1";
  return FileResponse(path, call.request.Header("range"), download ? clip.id + ".mp4" : "");
}

Result<http::Response> Thumbnail(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(ClipRef clip, FindClip(ctx, call));
  CR_ASSIGN_OR_RETURN(std::string path, ClipFile(clip, clip.entry["thumbnail"]));
  return FileResponse(path, call.request.Header("range"));
}

Result<http::Response> Captions(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(ClipRef clip, FindClip(ctx, call));
  const std::string& format = call.Param("format");
  if (format != "srt" && format != "vtt" && format != "ass") return NotFoundError("captions are srt, vtt or ass");
  CR_ASSIGN_OR_RETURN(std::string path, ClipFile(clip, clip.entry["captions"][format]));
  return FileResponse(path, call.request.Header("range"), clip.id + "." + format);
}

Result<http::Response> Export(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(ClipRef clip, FindClip(ctx, call));
  const std::string& format = call.Param("format");
  if (format != "fcpxml" && format != "edl" && format != "otio") return NotFoundError("exports are fcpxml, edl or otio");
  CR_ASSIGN_OR_RETURN(std::string path, ClipFile(clip, clip.entry["exports"][format]));
  return FileResponse(path, call.request.Header("range"), clip.id + "." + format);
}

Result<http::Response> TimelineFile(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(ClipRef clip, FindClip(ctx, call));
  CR_ASSIGN_OR_RETURN(std::string path, ClipFile(clip, clip.entry["timeline"]));
  CR_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
  // The Timeline names source files by server path; clients get it without them.
  json timeline = json::parse(text, nullptr, false);
  if (timeline.is_object() && timeline.contains("sources")) {
    for (json& s : timeline["sources"]) s.erase("path");
  }
  return JsonResponse(200, timeline.dump());
}

// What a re-render changes in the clip's Timeline.
struct RenderEdit {
  std::optional<std::string> caption_style;
  std::optional<std::string> layout;
  double trim_start_s = 0;  // output seconds cut off the start
  double trim_end_s = 0;    // and off the end
  bool any() const { return caption_style || layout || trim_start_s > 0 || trim_end_s > 0; }
};

// The clip's Timeline with the edit applied, rendered by a new job (never re-analysed). Edits
// accumulate: the base is the Timeline of the previous re-render when there is one.
Result<jobs::JobId> StartRerender(ApiContext& ctx, const Call& call, const ClipRef& clip, const RenderEdit& edit,
                                  const std::optional<jobs::ClipEdit>& previous) {
  CR_ASSIGN_OR_RETURN(std::string path, ClipFile(clip, clip.entry["timeline"]));
  if (previous && previous->render_job_id != 0) {
    auto job = ctx.jobs.GetJob(previous->render_job_id);
    if (job.ok() && job->inputs.count("timeline")) path = job->inputs.at("timeline");
  }
  CR_ASSIGN_OR_RETURN(Timeline tl, timeline::LoadTimelineFile(path));  // source paths made absolute
  if (edit.caption_style && tl.captions) tl.captions->style = *edit.caption_style;
  if (edit.layout) {
    Layout layout = Layout::kInvalid;
    for (Layout l : {Layout::kFill, Layout::kFitBlur, Layout::kSplit}) {
      if (timeline::LayoutName(l) == *edit.layout) layout = l;
    }
    if (layout == Layout::kInvalid) return InvalidArgumentError("layout must be fill, fit_blur or split");
    for (Segment& seg : tl.segments) {
      if (layout == Layout::kSplit && seg.crop_secondary.empty()) {
        return InvalidArgumentError("layout split needs two subjects; this clip has one in some shots");
      }
      seg.layout = layout;
    }
  }
  if (edit.trim_start_s > 0 || edit.trim_end_s > 0) {
    CR_ASSIGN_OR_RETURN(tl, timeline::TrimTimeline(tl, MediaTime::FromSecondsApprox(edit.trim_start_s),
                                                         MediaTime::FromSecondsApprox(edit.trim_end_s)));
  }
  std::string stem = clip.folder + "/edits/" + std::to_string(clip.index) + "." + auth::RandomToken(6);
  std::error_code ec;
  std::filesystem::create_directories(clip.folder + "/edits", ec);
  CR_RETURN_IF_ERROR(WriteFileAtomically(stem + ".timeline.json", timeline::TimelineToJson(tl)));
  jobs::RenderJobRequest r;
  r.timeline_path = stem + ".timeline.json";
  r.output_path = stem + ".mp4";
  r.caption_style = edit.caption_style.value_or("");
  r.threads = ctx.options.job_threads;
  CR_ASSIGN_OR_RETURN(jobs::NewJob job, jobs::MakeRenderJob(ctx.pipelines, r));
  job.workspace_id = std::to_string(call.workspace_id);
  job.brand_id = clip.job.brand_id;
  return ctx.jobs.CreateJob(job);
}

Result<http::Response> PatchClip(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(ClipRef clip, FindClip(ctx, call));
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"title", "description", "caption_style",
                                                                          "layout", "trim_start_s", "trim_end_s"}));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> title, in.OptString("title", 200));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> description, in.OptString("description", 5000));
  RenderEdit render;
  CR_ASSIGN_OR_RETURN(render.caption_style, in.OptString("caption_style", 50));
  CR_ASSIGN_OR_RETURN(render.layout, in.OptString("layout", 20));
  CR_ASSIGN_OR_RETURN(std::optional<double> trim_start, in.OptNumber("trim_start_s", 0, 3600));
  CR_ASSIGN_OR_RETURN(std::optional<double> trim_end, in.OptNumber("trim_end_s", 0, 3600));
  render.trim_start_s = trim_start.value_or(0);
  render.trim_end_s = trim_end.value_or(0);
  CR_ASSIGN_OR_RETURN(std::optional<jobs::ClipEdit> existing, ctx.app.GetClipEdit(call.workspace_id, clip.id));
  jobs::ClipEdit edit = existing.value_or(jobs::ClipEdit{call.workspace_id, clip.id});
  if (title) edit.title = *title;
  if (description) edit.description = *description;
  if (render.any()) {
    CR_ASSIGN_OR_RETURN(edit.render_job_id, StartRerender(ctx, call, clip, render, existing));
  }
  edit.updated_at_ms = ctx.NowMs();
  CR_RETURN_IF_ERROR(ctx.app.PutClipEdit(edit));
  ctx.Audit(call, "clip.edit", "clip:" + clip.id);
  CR_ASSIGN_OR_RETURN(json body, ClipJson(ctx, clip, call.workspace_id));
  return JsonResponse(200, body.dump());
}

Result<http::Response> AddReview(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(ClipRef clip, FindClip(ctx, call));
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"decision", "reason", "comment"}));
  CR_ASSIGN_OR_RETURN(std::string decision, in.String("decision", 20));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> reason, in.OptString("reason", 40));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> comment, in.OptString("comment", 5000));
  if (decision != "approve" && decision != "reject") return InvalidArgumentError("decision must be approve or reject");
  if (decision == "reject") {
    bool known = false;
    for (const char* r : kRejectReasons) known = known || (reason && *reason == r);
    if (!known) {
      return InvalidArgumentError("a rejection needs a reason: bad_hook, cut_mid_thought, wrong_speaker_framed, "
                                  "caption_errors, boring, off_brand, audio_problem, duplicate or other");
    }
  } else if (reason) {
    return InvalidArgumentError("an approval takes no reason; use comment");
  }
  jobs::Review review;
  review.workspace_id = call.workspace_id;
  review.clip_id = clip.id;
  review.user_id = call.principal.user.id;
  review.decision = decision;
  review.reason = reason.value_or("");
  review.comment = comment.value_or("");
  review.created_at_ms = ctx.NowMs();
  CR_ASSIGN_OR_RETURN(review.id, ctx.app.AddReview(review));
  ctx.Audit(call, "clip." + decision, "clip:" + clip.id);
  return JsonResponse(201, ReviewJson(review).dump());
}

Result<http::Response> ListReviews(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(ClipRef clip, FindClip(ctx, call));
  CR_ASSIGN_OR_RETURN(std::vector<jobs::Review> reviews, ctx.app.ListReviews(call.workspace_id, clip.id));
  json items = json::array();
  for (const jobs::Review& r : reviews) items.push_back(ReviewJson(r));
  return JsonResponse(200, json{{"items", items}}.dump());
}

}  // namespace

void AddClipRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  using jobs::Role;
  auto add = [&](const char* method, const char* pattern, Role role, Result<http::Response> (*fn)(ApiContext&, Call&)) {
    router.Add({method, pattern, "", Access::kWorkspaceRole, role, [c, fn](Call& call) { return fn(*c, call); }});
  };
  add("GET", "/api/v1/workspaces/{ws}/clips", Role::kViewer, ListClips);
  add("GET", "/api/v1/workspaces/{ws}/clips/{clip}", Role::kViewer, GetClip);
  add("PATCH", "/api/v1/workspaces/{ws}/clips/{clip}", Role::kEditor, PatchClip);
  add("GET", "/api/v1/workspaces/{ws}/clips/{clip}/video", Role::kViewer, Video);
  add("GET", "/api/v1/workspaces/{ws}/clips/{clip}/thumbnail", Role::kViewer, Thumbnail);
  add("GET", "/api/v1/workspaces/{ws}/clips/{clip}/captions/{format}", Role::kViewer, Captions);
  add("GET", "/api/v1/workspaces/{ws}/clips/{clip}/exports/{format}", Role::kViewer, Export);
  add("GET", "/api/v1/workspaces/{ws}/clips/{clip}/timeline", Role::kViewer, TimelineFile);
  add("POST", "/api/v1/workspaces/{ws}/clips/{clip}/reviews", Role::kEditor, AddReview);
  add("GET", "/api/v1/workspaces/{ws}/clips/{clip}/reviews", Role::kViewer, ListReviews);
}

}  // namespace cutroom::server::api
