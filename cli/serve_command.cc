// `cutroom serve`: the REST API, the web UI and in-process workers on one SQLite data directory
// (server/src/serve.h). SIGTERM or Ctrl-C stops it gracefully.
#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "serve.h"

namespace cutroom::cli {
namespace {

constexpr char kUsage[] = R"(usage: cutroom serve [options]

Serves the REST API (/api/v1, see api/openapi.yaml), the web UI, /healthz, /readyz and
/metrics, and runs jobs with in-process workers. The first start creates the owner account from
--admin-email and --admin-password (or CUTROOM_ADMIN_PASSWORD), or prints a one-time setup token.
SIGTERM or Ctrl-C: stop accepting, finish requests in flight, leave running jobs resumable.

  --listen HOST:PORT      address to listen on (default 127.0.0.1:8080; port 0 = any free port)
  --data DIR              data directory (default $CUTROOM_HOME or ~/.local/share/cutroom)
  --workers N             jobs run side by side (default 1)
  --job-threads N         CPU budget of each job (default: cores / workers)
  --admin-email EMAIL     first start: the owner's e-mail
  --admin-password PASS   first start: the owner's password (or CUTROOM_ADMIN_PASSWORD)
  --web DIR               the built web UI (default: web/dist of the source tree, when built)
  --upload-limit BYTES    largest upload, e.g. 4G (default), 500M
  --allow-fetch HOST:PORT let URL ingest fetch this private address (repeatable with commas)
  --rate-per-ip N         requests per second per client address (default 50, burst 4x; 0 = off)
  --rate-per-user N       requests per second per signed-in account (default 30, burst 4x; 0 = off)
  --secure-cookies        mark session cookies Secure (serving behind HTTPS)
  --log-format FORMAT     json (default) or text
)";

std::atomic<CancelToken*> g_serve_stop{nullptr};

void OnStop(int) {
  if (CancelToken* t = g_serve_stop.load()) t->Cancel();
}

Result<int64_t> ParseBytes(const std::string& text) {
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  std::string_view unit(end, text.data() + text.size() - end);
  int64_t scale = unit.empty() ? 1 : unit == "K" ? 1LL << 10 : unit == "M" ? 1LL << 20 : unit == "G" ? 1LL << 30 : 0;
  if (ec != std::errc() || n <= 0 || scale == 0 || n > (INT64_MAX / scale)) {
    return InvalidArgumentError("--upload-limit must be a size like 4G, 500M or 1048576");
  }
  return n * scale;
}

}  // namespace

int RunServe(int argc, char** argv) {
  auto args = ParseArgs(argc, argv, {"--help", "-h", "--secure-cookies", "--insecure-fast-password-hashing"},
                        {"--listen", "--data", "--workers", "--job-threads", "--admin-email", "--admin-password",
                         "--web", "--upload-limit", "--allow-fetch", "--rate-per-ip", "--rate-per-user", "--log-format"});
  if (!args.ok()) return Fail("serve", args.status().message() + "\n" + kUsage, kExitUsage);
  if (args->Has("--help") || args->Has("-h")) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  if (!args->positional.empty()) return Fail("serve", "takes no positional arguments\n" + std::string(kUsage), kExitUsage);
  server::ServeOptions options;
  std::string listen = args->Get("--listen", "127.0.0.1:8080");
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return Fail("serve", "--listen must be HOST:PORT", kExitUsage);
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  std::string port = listen.substr(colon + 1);
  auto [pend, pec] = std::from_chars(port.data(), port.data() + port.size(), options.port);
  if (pec != std::errc() || pend != port.data() + port.size() || options.port < 0 || options.port > 65535) {
    return Fail("serve", "--listen port must be 0..65535", kExitUsage);
  }
  auto int_option = [&](const char* name, int fallback, int min, int max) -> Result<int> {
    if (!args->Has(name)) return fallback;
    std::string v = args->Get(name);
    int n = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || end != v.data() + v.size() || n < min || n > max) {
      return InvalidArgumentError(std::string(name) + " must be " + std::to_string(min) + ".." + std::to_string(max));
    }
    return n;
  };
  auto workers = int_option("--workers", 1, 1, 64);
  auto job_threads = int_option("--job-threads", 0, 1, 64);
  auto rate = int_option("--rate-per-ip", 50, 0, 1'000'000);
  auto rate_user = int_option("--rate-per-user", 30, 0, 1'000'000);
  for (const auto* r : {&workers, &job_threads, &rate, &rate_user}) {
    if (!r->ok()) return Fail("serve", r->status().message(), kExitUsage);
  }
  options.workers = *workers;
  options.job_threads = *job_threads;
  options.rate_per_ip = *rate;
  options.rate_per_user = *rate_user;
  options.data_dir = args->Get("--data");
  options.admin_email = args->Get("--admin-email");
  options.admin_password = args->Get("--admin-password");
  if (options.admin_password.empty()) {
    if (const char* env = std::getenv("CUTROOM_ADMIN_PASSWORD")) options.admin_password = env;
  }
  options.web_dist = args->Get("--web");
  options.secure_cookies = args->Has("--secure-cookies");
  options.fast_password_hashing = args->Has("--insecure-fast-password-hashing");
  if (args->Has("--upload-limit")) {
    auto bytes = ParseBytes(args->Get("--upload-limit"));
    if (!bytes.ok()) return Fail("serve", bytes.status().message(), kExitUsage);
    options.upload_limit_bytes = *bytes;
  }
  std::string allow = args->Get("--allow-fetch");
  for (size_t i = 0; i < allow.size();) {
    size_t j = allow.find(',', i);
    if (j == std::string::npos) j = allow.size();
    if (j > i) options.ingest_allowed_hosts.push_back(allow.substr(i, j - i));
    i = j + 1;
  }
  auto format = ParseLogFormat(args->Get("--log-format", "json"));
  if (!format.ok()) return Fail("serve", format.status().message(), kExitUsage);
  Logger logger(stderr, *format);
  ConfigureLibraryLogging(false);

  CancelToken stop;
  g_serve_stop.store(&stop);
  std::signal(SIGINT, OnStop);
  std::signal(SIGTERM, OnStop);
  std::signal(SIGPIPE, SIG_IGN);
  int code = server::RunServer(options, stop, logger);
  g_serve_stop.store(nullptr);
  return code;
}

}  // namespace cutroom::cli
