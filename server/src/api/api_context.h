// What every route of /api/v1 shares: the stores, the pipelines, the data directory, the clock,
// logging, metrics, live events and the server's options. Built once by the composition root
// (server/src/serve.cc) and borrowed by the handlers.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "api/event_hub.h"
#include "api/metrics.h"
#include "api/rate_limiter.h"
#include "api/router.h"
#include "auth/password.h"
#include "cutroom/cancel.h"
#include "cutroom/jobs/app_store.h"
#include "cutroom/jobs/clock.h"
#include "cutroom/jobs/data_dir.h"
#include "cutroom/jobs/job_store.h"
#include "cutroom/jobs/pipeline.h"
#include "cutroom/log.h"

namespace cutroom::server::api {

struct ApiOptions {
  int64_t upload_limit_bytes = 4LL << 30;
  int64_t json_limit_bytes = 1 << 20;
  int64_t session_ttl_ms = 14LL * 24 * 3600 * 1000;
  bool secure_cookies = false;  // add "Secure" to cookies (behind HTTPS)
  std::string web_dist;         // folder of the built web UI; "" = none
  RateLimit per_ip{50, 200};
  RateLimit per_token{30, 120};
  RateLimit login_per_ip{0.2, 10};  // failed logins
  auth::PasswordCost password_cost = auth::Interactive();
  std::string setup_token_hash;  // sha256 hex of the one-time setup token; "" = none
  std::vector<std::string> ingest_allowed_hosts;  // URL ingest: "host:port" exempt from SSRF checks
  int job_threads = 2;  // CPU budget of each job
};

struct ApiContext {
  jobs::JobStore& jobs;
  jobs::AppStore& app;
  const jobs::PipelineRegistry& pipelines;
  jobs::DataDir data;
  const jobs::Clock& clock;
  Logger& logger;
  Metrics& metrics;
  EventHub& events;
  ApiOptions options;
  // Gauges owned elsewhere (connections, busy workers), read on each /metrics scrape.
  std::function<std::vector<Metrics::Gauge>()> extra_gauges;
  // Cancelled when the server stops (background downloads give up).
  const CancelToken* stopping = nullptr;
  // Runs slow background work (URL downloads) off the HTTP threads.
  std::function<void(std::function<void()>)> run_background;

  int64_t NowMs() const { return clock.NowMs(); }
  // Records a user action in the audit log (failures are logged, not returned: the action
  // already happened).
  void Audit(const Call& call, std::string action, std::string target) const;
};

// Route tables, one function per resource.
void AddAuthRoutes(Router& router, ApiContext& ctx);
void AddWorkspaceRoutes(Router& router, ApiContext& ctx);
void AddUploadRoutes(Router& router, ApiContext& ctx);
void AddJobRoutes(Router& router, ApiContext& ctx);
void AddClipRoutes(Router& router, ApiContext& ctx);
void AddBrandRoutes(Router& router, ApiContext& ctx);
void AddSystemRoutes(Router& router, ApiContext& ctx);

}  // namespace cutroom::server::api
