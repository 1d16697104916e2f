// /healthz (the process answers), /readyz (it can do work: database writable, disk space,
// encoders present) and /metrics (Prometheus text format).
#include <nlohmann/json.hpp>

#include "api/api_context.h"
#include "api/api_error.h"
#include "media/media_writer.h"

namespace cutroom::server::api {
namespace {

using nlohmann::json;

constexpr int64_t kMinFreeBytes = 1LL << 30;

Result<http::Response> Healthz(ApiContext&, Call&) { return JsonResponse(200, R"({"status":"ok"})"); }

Result<http::Response> Readyz(ApiContext& ctx, Call&) {
  json checks = json::object();
  bool ready = true;
  auto record = [&](const char* name, const Status& s) {
    checks[name] = s.ok() ? json("ok") : json(s.message());
    ready = ready && s.ok();
  };
  // A write that changes nothing (no cache entry was used before time 0) still takes the
  // database's write lock: it proves the database is writable, not just readable.
  record("database", ctx.jobs.DeleteCacheEntriesUnusedSince(0).status());
  record("disk", jobs::CheckFreeSpace(ctx.data.root, kMinFreeBytes, "the data directory"));
  record("encoders", media::CheckEncodersAvailable());
  return JsonResponse(ready ? 200 : 503, json{{"status", ready ? "ready" : "not_ready"}, {"checks", checks}}.dump());
}

Result<http::Response> MetricsText(ApiContext& ctx, Call&) {
  std::vector<Metrics::Gauge> gauges;
  CR_ASSIGN_OR_RETURN(auto by_state, ctx.jobs.CountJobsByState(""));
  Metrics::Gauge jobs_gauge{"cutroom_jobs", "Jobs by state.", {}};
  for (jobs::JobState s : {jobs::JobState::kQueued, jobs::JobState::kRunning, jobs::JobState::kPaused,
                           jobs::JobState::kReview, jobs::JobState::kPublishing, jobs::JobState::kCompleted,
                           jobs::JobState::kFailed, jobs::JobState::kCancelled}) {
    auto it = by_state.find(s);
    jobs_gauge.samples.emplace_back("state=\"" + std::string(jobs::JobStateName(s)) + "\"",
                                    it == by_state.end() ? 0.0 : static_cast<double>(it->second));
  }
  gauges.push_back(std::move(jobs_gauge));
  CR_ASSIGN_OR_RETURN(int64_t runnable, ctx.jobs.CountRunnableSteps());
  gauges.push_back({"cutroom_queue_depth", "Steps ready to run, waiting for a worker.", {{"", double(runnable)}}});
  gauges.push_back({"cutroom_event_streams", "Open job event streams.", {{"", double(ctx.events.subscribers())}}});
  if (ctx.extra_gauges) {
    for (auto& g : ctx.extra_gauges()) gauges.push_back(std::move(g));
  }
  http::Response r;
  r.status = 200;
  r.headers.emplace_back("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.body = ctx.metrics.Render(gauges);
  return r;
}

}  // namespace

void AddSystemRoutes(Router& router, ApiContext& ctx) {
  ApiContext* c = &ctx;
  auto add = [&](const char* pattern, Result<http::Response> (*fn)(ApiContext&, Call&)) {
    router.Add({"GET", pattern, "", Access::kPublic, jobs::Role::kInvalid, [c, fn](Call& call) { return fn(*c, call); }});
  };
  add("/healthz", Healthz);
  add("/readyz", Readyz);
  add("/metrics", MetricsText);
}

}  // namespace cutroom::server::api
