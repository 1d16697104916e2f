// `cutroom serve`: the composition root of the server. Opens the data directory's stores, makes
// the owner account on first start, starts the in-process workers, the live-event hub and the
// HTTP server, and on stop shuts them down so that running jobs stay resumable.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cutroom/cancel.h"
#include "cutroom/status.h"
#include "cutroom/log.h"

namespace cutroom::server {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;          // 0: any free port
  std::string data_dir;     // "" = $CUTROOM_HOME or the default
  int workers = 1;          // in-process workers (jobs run side by side)
  int job_threads = 0;      // CPU budget per job; 0 = cores / workers
  std::string admin_email;  // first start: the owner account
  std::string admin_password;
  std::string web_dist;     // the built web UI; "" = look for web/dist beside the program's source
  bool secure_cookies = false;
  int64_t upload_limit_bytes = 4LL << 30;
  std::vector<std::string> ingest_allowed_hosts;
  bool fast_password_hashing = false;  // tests only: minimum argon2id cost
  double rate_per_ip = 50;             // requests per second per address (burst 4x)
  double rate_per_user = 30;
};

struct RouteInfo {
  std::string method;
  std::string pattern;  // "/api/v1/workspaces/{ws}/jobs/{id}"
  std::string access;   // "public", "user", "workspace"
  std::string min_role;  // workspace routes: "viewer", "editor", "admin", "owner"
};

// A running server: stores, workers, event hub and HTTP listener. Tests run it in-process on
// port 0; `cutroom serve` runs it through RunServer.
class Server {
 public:
  // Starts everything; errors name what failed (port taken, data directory unusable). `logger`
  // is borrowed and must outlive the server.
  static Result<std::unique_ptr<Server>> Start(const ServeOptions& options, Logger& logger);
  virtual ~Server() = default;  // Stop()

  virtual int port() const = 0;
  virtual std::vector<RouteInfo> Routes() const = 0;
  // Stops accepting, finishes requests in flight (up to 10 s), interrupts running steps (they go
  // back to pending, resumable) and joins every thread. Idempotent.
  virtual void Stop() = 0;
};

// Runs until `stop` is cancelled (the CLI cancels it on SIGTERM/SIGINT): stops accepting, lets
// requests in flight finish, interrupts running steps (they go back to pending) and returns 0.
// Prints "listening on http://HOST:PORT" on stdout once requests are accepted. Returns 1 with a
// logged error when it cannot start (port taken, data directory unusable).
int RunServer(const ServeOptions& options, const CancelToken& stop, Logger& logger);

}  // namespace cutroom::server
