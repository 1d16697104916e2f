#include "serve.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <unistd.h>

#include "api/api_context.h"
#include "api/api_handler.h"
#include "auth/password.h"
#include "auth/secrets.h"
#include "cutroom/executor.h"
#include "cutroom/jobs/artifact_store.h"
#include "cutroom/jobs/data_dir.h"
#include "cutroom/jobs/worker.h"
#include "http/http_server.h"
#include "pipelines/builtin_pipelines.h"
#include "store/sqlite/sqlite_app_store.h"
#include "store/sqlite/sqlite_job_store.h"

namespace cutroom::server {
namespace {

// Counts the executor's tasks in flight: each is one running step (busy workers in /metrics).
class CountingExecutor final : public Executor {
 public:
  CountingExecutor(Executor& inner, std::atomic<int>& busy) : inner_(inner), busy_(busy) {}
  void Submit(std::function<void()> task) override {
    inner_.Submit([this, task = std::move(task)] {
      busy_.fetch_add(1);
      task();
      busy_.fetch_sub(1);
    });
  }
  int Concurrency() const override { return inner_.Concurrency(); }

 private:
  Executor& inner_;
  std::atomic<int>& busy_;
};

Status EnsureOwner(jobs::AppStore& app, const ServeOptions& options, const auth::PasswordCost& cost,
                   const jobs::Clock& clock, api::ApiOptions& api_options, Logger& logger) {
  CR_ASSIGN_OR_RETURN(int64_t users, app.CountUsers());
  if (users > 0) return Status::Ok();
  if (!options.admin_email.empty()) {
    if (options.admin_password.empty()) return InvalidArgumentError("--admin-email needs --admin-password");
    jobs::User user;
    user.email = options.admin_email;
    for (char& c : user.email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (user.email.find('@') == std::string::npos) return InvalidArgumentError("--admin-email is not an e-mail address");
    user.name = user.email;
    user.created_at_ms = clock.NowMs();
    CR_ASSIGN_OR_RETURN(user.password_hash, auth::HashPassword(options.admin_password, cost));
    CR_ASSIGN_OR_RETURN(user.id, app.CreateUser(user));
    CR_RETURN_IF_ERROR(app.CreateWorkspace("Default", user.id, clock.NowMs()).status());
    logger.Info("owner account created", {{"email", user.email}});
    return Status::Ok();
  }
  std::string token = auth::RandomToken(24);
  api_options.setup_token_hash = auth::Sha256Hex(token);
  std::printf("no users yet: finish setup with the one-time token %s\n"
              "  (POST /api/v1/auth/setup {\"setup_token\",\"email\",\"password\"}, or restart with "
              "--admin-email and --admin-password)\n",
              token.c_str());
  std::fflush(stdout);
  return Status::Ok();
}

std::string FindWebDist(const std::string& given) {
  if (!given.empty()) return given;
#ifdef CUTROOM_WEB_DIST
  std::error_code ec;
  if (std::filesystem::is_regular_file(std::string(CUTROOM_WEB_DIST) + "/index.html", ec)) return CUTROOM_WEB_DIST;
#endif
  return "";
}

class ServerImpl final : public Server {
 public:
  explicit ServerImpl(Logger& logger) : logger_(logger) {}
  ~ServerImpl() override { Stop(); }

  Status Init(const ServeOptions& options);
  int port() const override { return http_->port(); }
  std::vector<RouteInfo> Routes() const override;
  void Stop() override;

 private:
  Logger& logger_;
  jobs::SystemClock clock_;
  jobs::DataDir data_;
  std::unique_ptr<jobs::JobStore> job_store_;
  std::unique_ptr<jobs::AppStore> app_store_;
  jobs::PipelineRegistry pipelines_;
  std::unique_ptr<jobs::ArtifactStore> artifacts_;
  api::Metrics metrics_;
  std::unique_ptr<api::EventHub> hub_;
  std::unique_ptr<ThreadPoolExecutor> background_;
  std::atomic<int> busy_{0};
  CancelToken stopping_;
  std::unique_ptr<api::ApiContext> ctx_;
  std::unique_ptr<api::ApiHandler> handler_;
  std::unique_ptr<http::HttpServer> http_;
  std::unique_ptr<ThreadPoolExecutor> step_pool_;
  std::unique_ptr<CountingExecutor> counted_;
  CancelToken stop_workers_;
  std::vector<std::unique_ptr<jobs::Worker>> workers_;
  std::vector<std::thread> worker_threads_;
  int worker_count_ = 0;
  bool stopped_ = false;
};

Status ServerImpl::Init(const ServeOptions& options) {
  CR_ASSIGN_OR_RETURN(data_, jobs::ResolveDataDir(options.data_dir));
  CR_ASSIGN_OR_RETURN(auto job_store, jobs::sqlite::SqliteJobStore::Open(data_.db_path(), clock_));
  job_store_ = std::move(job_store);
  CR_ASSIGN_OR_RETURN(auto app_store, jobs::sqlite::SqliteAppStore::Open(data_.db_path()));
  app_store_ = std::move(app_store);
  CR_RETURN_IF_ERROR(jobs::RegisterBuiltinPipelines(pipelines_));
  artifacts_ = std::make_unique<jobs::ArtifactStore>(data_.artifacts_dir());

  const int cores = std::max(1u, std::thread::hardware_concurrency());
  worker_count_ = std::clamp(options.workers, 1, 64);
  api::ApiOptions api_options;
  api_options.upload_limit_bytes = options.upload_limit_bytes;
  api_options.secure_cookies = options.secure_cookies;
  api_options.web_dist = FindWebDist(options.web_dist);
  api_options.ingest_allowed_hosts = options.ingest_allowed_hosts;
  api_options.password_cost = options.fast_password_hashing ? auth::ForTests() : auth::Interactive();
  api_options.job_threads = options.job_threads > 0 ? options.job_threads : std::max(1, cores / worker_count_);
  api_options.per_ip = {options.rate_per_ip, options.rate_per_ip * 4};
  api_options.per_token = {options.rate_per_user, options.rate_per_user * 4};
  CR_RETURN_IF_ERROR(EnsureOwner(*app_store_, options, api_options.password_cost, clock_, api_options, logger_));

  hub_ = std::make_unique<api::EventHub>(*job_store_, logger_, metrics_);
  hub_->Start();
  background_ = std::make_unique<ThreadPoolExecutor>(2);
  ctx_ = std::unique_ptr<api::ApiContext>(new api::ApiContext{*job_store_, *app_store_, pipelines_, data_, clock_,
                                                              logger_, metrics_, *hub_, api_options});
  ctx_->stopping = &stopping_;
  ctx_->run_background = [this](std::function<void()> fn) { background_->Submit(std::move(fn)); };
  ctx_->extra_gauges = [this] {
    std::vector<api::Metrics::Gauge> g;
    g.push_back({"cutroom_workers", "In-process workers.", {{"", double(worker_count_)}}});
    g.push_back({"cutroom_workers_busy", "In-process workers running a step now.", {{"", double(busy_.load())}}});
    if (http_) {
      g.push_back({"cutroom_http_connections", "Open HTTP connections.", {{"", double(http_->open_connections())}}});
      g.push_back({"cutroom_http_requests_in_flight", "Requests being handled.",
                   {{"", double(http_->requests_in_flight())}}});
    }
    return g;
  };
  handler_ = std::make_unique<api::ApiHandler>(*ctx_);

  http::ServerOptions http_options;
  http_options.host = options.host;
  http_options.port = options.port;
  http_options.io_threads = std::clamp(cores, 1, 4);
  http_options.handler_threads = std::clamp(cores * 2, 4, 16);
  CR_ASSIGN_OR_RETURN(http_, http::HttpServer::Start(http_options, *handler_));

  // Workers: each claims steps of any job; a step gets the job CPU budget.
  step_pool_ = std::make_unique<ThreadPoolExecutor>(worker_count_);
  counted_ = std::make_unique<CountingExecutor>(*step_pool_, busy_);
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  for (int i = 0; i < worker_count_; ++i) {
    jobs::WorkerOptions wo;
    wo.owner = std::string("serve:") + host + ":" + std::to_string(getpid()) + ":w" + std::to_string(i);
    wo.threads_per_step = api_options.job_threads;
    api::EventHub* hub = hub_.get();
    wo.on_progress = [hub](jobs::JobId job, const std::string& step, const jobs::StepProgress& p) {
      hub->PublishProgress(job, step, p.fraction, p.message);
    };
    workers_.push_back(std::make_unique<jobs::Worker>(*job_store_, pipelines_, *artifacts_, clock_, *counted_,
                                                      data_.tmp_dir(), &logger_, wo));
    jobs::Worker* w = workers_.back().get();
    worker_threads_.emplace_back([this, w] {
      Status s = w->Run(stop_workers_);
      if (!s.ok()) logger_.Error("worker stopped", {{"error", s.ToString()}});
    });
  }
  logger_.Info("serving", {{"port", std::to_string(http_->port())}, {"data", data_.root},
                           {"workers", std::to_string(worker_count_)}, {"web", api_options.web_dist}});
  return Status::Ok();
}

std::vector<RouteInfo> ServerImpl::Routes() const {
  std::vector<RouteInfo> out;
  for (const api::Route& r : handler_->router().routes()) {
    RouteInfo info{r.method, r.pattern, "", ""};
    info.access = r.access == api::Access::kPublic ? "public" : r.access == api::Access::kUser ? "user" : "workspace";
    if (r.access == api::Access::kWorkspaceRole) info.min_role = std::string(jobs::RoleName(r.min_role));
    out.push_back(std::move(info));
  }
  return out;
}

void ServerImpl::Stop() {
  if (stopped_) return;
  stopped_ = true;
  logger_.Info("stopping: finishing requests in flight, interrupting running steps");
  stopping_.Cancel();
  if (http_) http_->Stop(10'000);
  if (hub_) hub_->Stop();
  stop_workers_.Cancel();
  for (auto& t : worker_threads_) t.join();
  worker_threads_.clear();
  background_.reset();  // joins downloads (they see stopping_)
  logger_.Info("stopped");
}

}  // namespace

Result<std::unique_ptr<Server>> Server::Start(const ServeOptions& options, Logger& logger) {
  auto server = std::make_unique<ServerImpl>(logger);
  CR_RETURN_IF_ERROR(server->Init(options));
  return std::unique_ptr<Server>(std::move(server));
}

int RunServer(const ServeOptions& options, const CancelToken& stop, Logger& logger) {
  auto server = Server::Start(options, logger);
  if (!server.ok()) {
    logger.Error("cutroom serve cannot start", {{"error", server.status().ToString()}});
    return 1;
  }
  std::printf("listening on http://%s:%d\n", options.host.c_str(), (*server)->port());
  std::fflush(stdout);
  while (!stop.IsCancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  (*server)->Stop();
  return 0;
}

}  // namespace cutroom::server
