// /api/v1/workspaces/{ws}/jobs: create clip jobs (Idempotency-Key honoured), list, get, control
// (cancel, pause, resume, retry) and live events as server-sent events (resumable with
// Last-Event-ID). Handlers only validate and write rows; the workers do the media work.
#include <charconv>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "api/api_context.h"
#include "api/api_error.h"
#include "api/api_json.h"
#include "api/job_access.h"
#include "api/json_input.h"
#include "auth/secrets.h"
#include "pipelines/clip_pipeline.h"

namespace cutroom::server::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Brand defaults apply where the request leaves an option out.
std::string BrandDefault(const jobs::Brand* brand, const char* key) {
  if (brand == nullptr) return "";
  json settings = json::parse(brand->settings_json, nullptr, false);
  if (!settings.is_object() || !settings.contains(key) || !settings[key].is_string()) return "";
  return settings[key].get<std::string>();
}

// A brand's numeric default (clips, min_s, max_s), when it has one.
std::optional<double> BrandNumber(const jobs::Brand* brand, const char* key) {
  if (brand == nullptr) return std::nullopt;
  json settings = json::parse(brand->settings_json, nullptr, false);
  if (!settings.is_object() || !settings.contains(key) || !settings[key].is_number()) return std::nullopt;
  return settings[key].get<double>();
}

Result<http::Response> CreateJob(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body,
                                                     {"kind", "upload_id", "clips", "min_s", "max_s", "aspect",
                                                      "width", "height", "caption_style", "layout", "topic",
                                                      "brand_id"}));
  CR_ASSIGN_OR_RETURN(std::string kind, in.String("kind", 20));
  if (kind != "clip") return InvalidArgumentError("kind must be \"clip\" (compose jobs are not served yet)");
  std::string_view key = call.request.Header("idempotency-key");
  if (key.size() > 200) return InvalidArgumentError("Idempotency-Key is longer than 200 bytes");
  jobs::ClipJobRequest r;
  CR_ASSIGN_OR_RETURN(std::optional<int64_t> clips, in.OptInt("clips", 1, 50));
  CR_ASSIGN_OR_RETURN(std::optional<double> min_s, in.OptNumber("min_s", 1, 600));
  CR_ASSIGN_OR_RETURN(std::optional<double> max_s, in.OptNumber("max_s", 1, 600));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> aspect, in.OptString("aspect", 10));
  CR_ASSIGN_OR_RETURN(std::optional<int64_t> width, in.OptInt("width", 64, 4096));
  CR_ASSIGN_OR_RETURN(std::optional<int64_t> height, in.OptInt("height", 64, 4096));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> style, in.OptString("caption_style", 50));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> layout, in.OptString("layout", 20));
  CR_ASSIGN_OR_RETURN(auto topic, in.OptStrings("topic", 20, 100));
  if (width.has_value() != height.has_value()) return InvalidArgumentError("give both width and height, or neither");
  CR_ASSIGN_OR_RETURN(std::optional<int64_t> upload_id, in.OptInt("upload_id", 1, INT64_MAX));
  if (!upload_id) return InvalidArgumentError("upload_id is required");
  CR_ASSIGN_OR_RETURN(jobs::Upload upload, ctx.app.GetUpload(call.workspace_id, *upload_id));
  json state = json::parse(upload.media_json, nullptr, false);
  if (!state.is_object() || state.value("state", "") != "ready") {
    return FailedPreconditionError("upload " + std::to_string(upload.id) + " is not ready (" +
                                   (state.is_object() ? state.value("state", "unknown") : "unknown") + ")");
  }
  std::optional<jobs::Brand> brand;
  CR_ASSIGN_OR_RETURN(std::optional<int64_t> brand_id, in.OptInt("brand_id", 1, INT64_MAX));
  if (brand_id) {
    CR_ASSIGN_OR_RETURN(jobs::Brand b, ctx.app.GetBrand(call.workspace_id, *brand_id));
    brand = b;
  }
  r.input = upload.stored_path;
  const jobs::Brand* b = brand ? &*brand : nullptr;
  r.clips = static_cast<int>(clips.value_or(static_cast<int64_t>(BrandNumber(b, "clips").value_or(5))));
  r.min_s = min_s.value_or(BrandNumber(b, "min_s").value_or(15));
  r.max_s = max_s.value_or(BrandNumber(b, "max_s").value_or(std::max(90.0, r.min_s)));
  if (r.max_s < r.min_s) return InvalidArgumentError("max_s must be >= min_s");
  std::string brand_style = BrandDefault(brand ? &*brand : nullptr, "caption_style");
  r.aspect = aspect.value_or(BrandDefault(brand ? &*brand : nullptr, "aspect"));
  if (r.aspect.empty()) r.aspect = "9:16";
  r.width = static_cast<int>(width.value_or(0));
  r.height = static_cast<int>(height.value_or(0));
  r.caption_style = style.value_or(brand_style.empty() ? "highlight_word" : brand_style);
  r.layout = layout.value_or("auto");
  if (topic) r.topic = *topic;
  r.threads = ctx.options.job_threads;
  r.output_dir = ctx.data.root + "/outputs/" + std::to_string(call.workspace_id) + "/" + auth::RandomToken(12);
  CR_ASSIGN_OR_RETURN(jobs::NewJob job, jobs::MakeClipJob(ctx.pipelines, r));
  job.workspace_id = std::to_string(call.workspace_id);
  job.brand_id = brand ? std::to_string(brand->id) : "";
  job.options["upload_id"] = std::to_string(upload.id);
  if (!key.empty()) job.idempotency_key = "ws" + std::to_string(call.workspace_id) + ":" + std::string(key);
  std::string output = job.options["output"];
  CR_ASSIGN_OR_RETURN(jobs::JobId id, ctx.jobs.CreateJob(job));
  CR_ASSIGN_OR_RETURN(jobs::Job created, ctx.jobs.GetJob(id));
  bool replay = created.options["output"] != output;
  if (replay) {
    std::error_code ec;
    fs::remove_all(output, ec);  // the folder MakeClipJob made for the job that was not created
  } else {
    ctx.Audit(call, "job.create", "job:" + std::to_string(id));
  }
  http::Response response = JsonResponse(replay ? 200 : 201, JobJson(created).dump());
  response.headers.emplace_back("Location", "/api/v1/workspaces/" + std::to_string(call.workspace_id) + "/jobs/" +
                                                std::to_string(id));
  if (replay) response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

// Job lists are what every open dashboard polls. A page is rebuilt only when some job changed
// (JobStore::JobsVersion); otherwise all pollers share the text built last time.
class JobListCache {
 public:
  std::optional<std::string> Find(const std::string& key, int64_t version) {
    std::lock_guard lock(mu_);
    auto it = pages_.find(key);
    if (it == pages_.end() || it->second.first != version) return std::nullopt;
    return it->second.second;
  }
  void Put(const std::string& key, int64_t version, std::string body) {
    std::lock_guard lock(mu_);
    if (pages_.size() >= kMaxPages) pages_.clear();  // bounded: distinct queries are few
    pages_[key] = {version, std::move(body)};
  }

 private:
  static constexpr size_t kMaxPages = 512;
  std::mutex mu_;
  std::map<std::string, std::pair<int64_t, std::string>> pages_;
};

Result<http::Response> ListJobs(ApiContext& ctx, JobListCache& cache, Call& call) {
  jobs::JobFilter filter;
  filter.workspace_id = std::to_string(call.workspace_id);
  if (call.request.HasQuery("state")) {
    CR_ASSIGN_OR_RETURN(jobs::JobState state, jobs::ParseJobState(call.request.Query("state")));
    filter.state = state;
  }
  filter.kind = std::string(call.request.Query("kind"));
  jobs::PageRequest page;
  CR_ASSIGN_OR_RETURN(int64_t limit, call.QueryInt("limit", 50, 1, 200));
  CR_ASSIGN_OR_RETURN(page.after_id, call.QueryInt("after", 0, 0, INT64_MAX));
  page.limit = static_cast<int>(limit);
  std::string key = filter.workspace_id + "|" + (filter.state ? std::string(jobs::JobStateName(*filter.state)) : "") +
                    "|" + filter.kind + "|" + std::to_string(page.limit) + "|" + std::to_string(page.after_id);
  CR_ASSIGN_OR_RETURN(int64_t version, ctx.jobs.JobsVersion());
  if (std::optional<std::string> cached = cache.Find(key, version)) return JsonResponse(200, std::move(*cached));
  CR_ASSIGN_OR_RETURN(jobs::JobPage result, ctx.jobs.ListJobs(filter, page));
  std::string body = "{\"items\":[";
  for (size_t i = 0; i < result.jobs.size(); ++i) {
    if (i > 0) body += ',';
    AppendJobListItem(result.jobs[i], body);
  }
  body += "],\"next_after\":" + (result.next_after_id == 0 ? std::string("null") : std::to_string(result.next_after_id)) + "}";
  // Keyed by the version read before listing: a change during the listing makes the next
  // request rebuild, never serves a stale page as current.
  cache.Put(key, version, body);
  return JsonResponse(200, std::move(body));
}

Result<http::Response> GetJob(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(jobs::Job job, JobOfWorkspace(ctx, call));
  return JsonResponse(200, JobJson(job).dump());
}

template <Status (jobs::JobStore::*kAction)(jobs::JobId)>
Result<http::Response> Control(ApiContext& ctx, Call& call, const char* action) {
  CR_ASSIGN_OR_RETURN(jobs::Job job, JobOfWorkspace(ctx, call));
  CR_RETURN_IF_ERROR((ctx.jobs.*kAction)(job.id));
  ctx.Audit(call, std::string("job.") + action, "job:" + std::to_string(job.id));
  CR_ASSIGN_OR_RETURN(jobs::Job updated, ctx.jobs.GetJob(job.id));
  return JsonResponse(200, JobJson(updated).dump());
}

Result<http::Response> Retry(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(jobs::Job job, JobOfWorkspace(ctx, call));
  CR_ASSIGN_OR_RETURN(JsonInput in, JsonInput::Parse(call.request.body, {"step"}, /*empty_ok=*/true));
  CR_ASSIGN_OR_RETURN(std::optional<std::string> step, in.OptString("step", 100));
  CR_RETURN_IF_ERROR(ctx.jobs.RetryJob(job.id, step));
  ctx.Audit(call, "job.retry", "job:" + std::to_string(job.id));
  CR_ASSIGN_OR_RETURN(jobs::Job updated, ctx.jobs.GetJob(job.id));
  return JsonResponse(200, JobJson(updated).dump());
}

Result<http::Response> Events(ApiContext& ctx, Call& call) {
  CR_ASSIGN_OR_RETURN(jobs::Job job, JobOfWorkspace(ctx, call));
  std::string_view last = call.request.Header("last-event-id");
  if (last.empty()) last = call.request.Query("last_event_id");
  int64_t after = 0;
  if (!last.empty()) {
    auto [end, ec] = std::from_chars(last.data(), last.data() + last.size(), after);
    if (ec != std::errc() || end != last.data() + last.size() || after < 0) {
      return InvalidArgumentError("Last-Event-ID must be an event id");
    }
  }
  http::Response r;
  r.status = 200;
  r.headers = {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}};
  EventHub* hub = &ctx.events;
  Logger* logger = &ctx.logger;
  jobs::JobId id = job.id;
  r.on_stream = [hub, logger, id, after](std::shared_ptr<http::EventStream> stream) {
    stream->Send("retry: 2000\n\n");
    Status s = hub->Subscribe(id, after, stream);
    if (!s.ok()) {
      logger->Warn("event stream failed", {{"job", std::to_string(id)}, {"error", s.ToString()}});
      stream->Close();
    }
  };
  return r;
}

}  // namespace

Result<jobs::Job> JobOfWorkspace(ApiContext& ctx, const Call& call) {
  CR_ASSIGN_OR_RETURN(int64_t id, call.IdParam("id"));
  auto job = ctx.jobs.GetJob(id);
  if (!job.ok() && job.status().code() == StatusCode::kNotFound) return NotFoundError("job " + std::to_string(id) + " not found");
  CR_RETURN_IF_ERROR(job.status());
  if (job->workspace_id != std::to_string(call.workspace_id)) return NotFoundError("job " + std::to_string(id) + " not found");
  return std::move(*job);
}

void AddJobRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  using jobs::Role;
  auto add = [&](const char* method, const char* pattern, Role role, RouteFunction fn) {
    router.Add({method, pattern, "", Access::kWorkspaceRole, role, std::move(fn)});
  };
  add("POST", "/api/v1/workspaces/{ws}/jobs", Role::kEditor, [c](Call& call) { return CreateJob(*c, call); });
  auto cache = std::make_shared<JobListCache>();
  add("GET", "/api/v1/workspaces/{ws}/jobs", Role::kViewer,
      [c, cache](Call& call) { return ListJobs(*c, *cache, call); });
  add("GET", "/api/v1/workspaces/{ws}/jobs/{id}", Role::kViewer, [c](Call& call) { return GetJob(*c, call); });
  add("GET", "/api/v1/workspaces/{ws}/jobs/{id}/events", Role::kViewer, [c](Call& call) { return Events(*c, call); });
  add("POST", "/api/v1/workspaces/{ws}/jobs/{id}/cancel", Role::kEditor,
      [c](Call& call) { return Control<&jobs::JobStore::CancelJob>(*c, call, "cancel"); });
  add("POST", "/api/v1/workspaces/{ws}/jobs/{id}/pause", Role::kEditor,
      [c](Call& call) { return Control<&jobs::JobStore::PauseJob>(*c, call, "pause"); });
  add("POST", "/api/v1/workspaces/{ws}/jobs/{id}/resume", Role::kEditor,
      [c](Call& call) { return Control<&jobs::JobStore::ResumeJob>(*c, call, "resume"); });
  add("POST", "/api/v1/workspaces/{ws}/jobs/{id}/retry", Role::kEditor, [c](Call& call) { return Retry(*c, call); });
}

}  // namespace cutroom::server::api
