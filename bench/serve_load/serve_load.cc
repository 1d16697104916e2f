// bench/serve_load: a single-threaded epoll load client for `cutroom serve` (POSIX sockets only).
//   1. opens `--streams` server-sent event streams (GET --stream-path with the bearer token),
//      checks each answers 200, then keeps reading and discarding whatever they send;
//   2. runs `--clients` keep-alive connections, each sending the next GET --path as soon as the
//      previous response is fully read (Content-Length), for --warmup + --seconds seconds;
//      latency = steady_clock from the first byte written to the last byte read, kept for the
//      requests sent after the warm-up that finished inside the measured window.
// Errors: a non-200 status, a connection closed or failing mid-request, a request slower than
// --timeout-ms (default 5000), a connect failure; stream_errors: a stream refused or failing to
// open, or closed before the end. Both are counted over warm-up and measurement.
// Prints one JSON line with the figures, and the client's own CPU seconds over the measured
// window (getrusage), so a reader can tell how much of the machine the client itself took; with
// --server-pid, also the server's CPU seconds over the same window (/proc/PID/stat), -1 if unknown.
//
// usage: serve_load --port P [--host 127.0.0.1] [--token T[,T2,...]] [--no-read-auth]
//                   [--path /api/v1/workspaces/1/jobs] [--clients 200]
//                   [--streams 500] [--stream-path /api/v1/workspaces/1/jobs/1/events]
//                   [--seconds 20] [--warmup 2] [--timeout-ms 5000] [--label NAME]
//                   [--server-pid PID]
// With several comma-separated tokens, client i and stream i use token i mod count (the server
// rate-limits per user). --no-read-auth sends the reads without the Authorization header (for a
// public baseline route such as /healthz); the streams always carry it.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double CpuSeconds() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// utime + stime of another process, in seconds (/proc/PID/stat fields 14 and 15); -1 if unknown.
double ProcessCpuSeconds(int pid) {
  if (pid <= 0) return -1;
  std::FILE* f = std::fopen(("/proc/" + std::to_string(pid) + "/stat").c_str(), "r");
  if (f == nullptr) return -1;
  char buf[2048];
  size_t n = std::fread(buf, 1, sizeof(buf) - 1, f);
  std::fclose(f);
  buf[n] = 0;
  const char* p = std::strrchr(buf, ')');  // the command name may hold spaces
  if (p == nullptr) return -1;
  unsigned long long utime = 0, stime = 0;
  // After ") ": state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
  if (std::sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2) return -1;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::vector<std::string> tokens;
  bool read_auth = true;
  std::string path = "/api/v1/workspaces/1/jobs";
  int clients = 200;
  int streams = 500;
  std::string stream_path = "/api/v1/workspaces/1/jobs/1/events";
  double seconds = 20;
  double warmup = 2;
  int timeout_ms = 5000;
  std::string label = "load";
  int server_pid = 0;  // > 0: report that process's CPU seconds over the measured window
};

void Usage() {
  std::fprintf(stderr,
               "usage: serve_load --port P [--host H] [--token T[,T2,...]] [--no-read-auth] [--path P]\n"
               "                  [--clients N] [--streams N] [--stream-path P] [--seconds S]\n"
               "                  [--warmup S] [--timeout-ms MS] [--label NAME] [--server-pid PID]\n");
}

bool ParseOptions(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--no-read-auth") {
      o.read_auth = false;
      continue;
    }
    if (a == "--help" || a == "-h") return false;
    if (i + 1 >= argc) {
      std::fprintf(stderr, "serve_load: %s needs a value\n", a.c_str());
      return false;
    }
    std::string v = argv[++i];
    if (a == "--port") {
      o.port = std::atoi(v.c_str());
    } else if (a == "--host") {
      o.host = v;
    } else if (a == "--token") {
      o.tokens.clear();
      for (size_t p = 0; p <= v.size();) {
        size_t q = v.find(',', p);
        if (q == std::string::npos) q = v.size();
        if (q > p) o.tokens.push_back(v.substr(p, q - p));
        p = q + 1;
      }
    } else if (a == "--path") {
      o.path = v;
    } else if (a == "--clients") {
      o.clients = std::atoi(v.c_str());
    } else if (a == "--streams") {
      o.streams = std::atoi(v.c_str());
    } else if (a == "--stream-path") {
      o.stream_path = v;
    } else if (a == "--seconds") {
      o.seconds = std::atof(v.c_str());
    } else if (a == "--warmup") {
      o.warmup = std::atof(v.c_str());
    } else if (a == "--timeout-ms") {
      o.timeout_ms = std::atoi(v.c_str());
    } else if (a == "--label") {
      o.label = v;
    } else if (a == "--server-pid") {
      o.server_pid = std::atoi(v.c_str());
    } else {
      std::fprintf(stderr, "serve_load: unknown option %s\n", a.c_str());
      return false;
    }
  }
  if (o.port <= 0 || o.port > 65535) {
    std::fprintf(stderr, "serve_load: --port is required (1..65535)\n");
    return false;
  }
  if (o.clients < 0 || o.streams < 0 || o.seconds <= 0 || o.warmup < 0 || o.timeout_ms <= 0) {
    std::fprintf(stderr, "serve_load: bad --clients/--streams/--seconds/--warmup/--timeout-ms\n");
    return false;
  }
  return true;
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

// Case-insensitive search for a header `name` (lowercase, with the colon) in a response head;
// returns its trimmed value or "" when absent.
std::string_view HeaderValue(std::string_view head, std::string_view name) {
  size_t line = head.find("\r\n");
  while (line != std::string_view::npos && line + 2 < head.size()) {
    size_t start = line + 2;
    size_t end = head.find("\r\n", start);
    if (end == std::string_view::npos) end = head.size();
    std::string_view l = head.substr(start, end - start);
    if (l.size() >= name.size()) {
      bool match = true;
      for (size_t i = 0; i < name.size() && match; ++i) {
        char c = l[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        match = c == name[i];
      }
      if (match) {
        std::string_view v = l.substr(name.size());
        while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
        while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
        return v;
      }
    }
    line = end;
  }
  return {};
}

int StatusOf(std::string_view head) {
  // "HTTP/1.1 200 OK"
  if (head.size() < 12 || head.substr(0, 5) != "HTTP/") return -1;
  size_t sp = head.find(' ');
  if (sp == std::string_view::npos || sp + 4 > head.size()) return -1;
  return std::atoi(std::string(head.substr(sp + 1, 3)).c_str());
}

enum class Kind { kClient, kStream };
enum class State { kIdle, kConnecting, kSending, kReadingHead, kReadingBody, kStreaming, kClosed };

struct Conn {
  Kind kind = Kind::kClient;
  int index = 0;
  int fd = -1;
  State state = State::kIdle;
  std::string request;  // the whole request, sent each time
  size_t sent = 0;
  std::string head;     // response head being collected
  int64_t body_left = 0;
  int status = 0;
  bool server_closes = false;  // "Connection: close" on the current response
  Clock::time_point started;   // first byte of the current request written (or connect begun)
  bool wants_out = false;      // EPOLLOUT registered
  Clock::time_point retry_at;  // a client whose connect failed: when to try again
};

// After a failed connect a client waits this long before the next try (no busy loop against a
// server that refuses connections).
constexpr auto kConnectRetryDelay = std::chrono::milliseconds(100);

enum ErrorKind { kErrStatus, kErrClosed, kErrTimeout, kErrConnect, kErrKinds };
const char* const kErrorNames[kErrKinds] = {"status", "closed", "timeout", "connect"};

class Load {
 public:
  explicit Load(const Options& o) : o_(o) {}

  int Run();

 private:
  std::string MakeRequest(const std::string& path, const std::string& token, bool stream) const {
    std::string r = "GET " + path + " HTTP/1.1\r\nHost: " + o_.host + ":" + std::to_string(o_.port) + "\r\n";
    if (!token.empty()) r += "Authorization: Bearer " + token + "\r\n";
    r += stream ? "Accept: text/event-stream\r\n" : "Accept: application/json\r\n";
    r += "\r\n";
    return r;
  }
  const std::string& TokenFor(int i) const {
    static const std::string kNone;
    return o_.tokens.empty() ? kNone : o_.tokens[static_cast<size_t>(i) % o_.tokens.size()];
  }

  bool Connect(Conn& c);
  void CloseFd(Conn& c);
  void SetOut(Conn& c, bool on);
  void StartRequest(Conn& c);
  void OnEvent(Conn& c, uint32_t events);
  void OnConnected(Conn& c);
  void Flush(Conn& c);
  void Read(Conn& c);
  void OnHead(Conn& c, std::string_view rest);
  void FinishResponse(Conn& c);
  void ClientError(Conn& c, ErrorKind kind);
  void StreamError(Conn& c);
  void CheckTimeouts(Clock::time_point now);
  void Poll(int timeout_ms);

  const Options& o_;
  sockaddr_in addr_{};
  int ep_ = -1;
  std::vector<std::unique_ptr<Conn>> conns_;
  bool clients_running_ = false;
  Clock::time_point measure_start_{}, measure_end_{};
  bool measuring_ = false;

  // Results.
  std::vector<double> latencies_ms_;
  int64_t requests_ = 0;  // 200 responses sent in the window, done inside it
  int64_t responses_all_ = 0;
  int64_t responses_in_window_ = 0;  // any status, sent in the window, done inside it
  int64_t body_bytes_ = 0;
  int64_t errors_[kErrKinds] = {};
  std::map<int, int64_t> statuses_;  // non-200 statuses seen
  int64_t stream_errors_ = 0;
  int streams_ok_ = 0;
  int streams_pending_ = 0;
  double stream_open_s_ = 0;
};

bool Load::Connect(Conn& c) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  c.fd = fd;
  c.started = Clock::now();
  c.head.clear();
  c.sent = 0;
  int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr_), sizeof(addr_));
  if (rc < 0 && errno != EINPROGRESS) {
    ::close(fd);
    c.fd = -1;
    return false;
  }
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP;
  ev.data.ptr = &c;
  epoll_ctl(ep_, EPOLL_CTL_ADD, fd, &ev);
  c.wants_out = true;
  c.state = State::kConnecting;
  return true;
}

void Load::CloseFd(Conn& c) {
  if (c.fd >= 0) {
    epoll_ctl(ep_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
  }
  c.fd = -1;
  c.state = State::kClosed;
  c.wants_out = false;
}

void Load::SetOut(Conn& c, bool on) {
  if (c.wants_out == on) return;
  epoll_event ev{};
  ev.events = EPOLLIN | EPOLLRDHUP | (on ? EPOLLOUT : 0u);
  ev.data.ptr = &c;
  epoll_ctl(ep_, EPOLL_CTL_MOD, c.fd, &ev);
  c.wants_out = on;
}

void Load::StartRequest(Conn& c) {
  c.sent = 0;
  c.head.clear();
  c.body_left = 0;
  c.status = 0;
  c.server_closes = false;
  c.started = Clock::now();
  c.state = State::kSending;
  Flush(c);
}

void Load::Flush(Conn& c) {
  while (c.sent < c.request.size()) {
    ssize_t n = ::send(c.fd, c.request.data() + c.sent, c.request.size() - c.sent, MSG_NOSIGNAL);
    if (n > 0) {
      c.sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      SetOut(c, true);
      return;
    }
    if (c.kind == Kind::kStream) return StreamError(c);
    return ClientError(c, kErrClosed);
  }
  SetOut(c, false);
  c.state = State::kReadingHead;
}

void Load::OnConnected(Conn& c) {
  int err = 0;
  socklen_t len = sizeof(err);
  getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
  if (err != 0) {
    if (c.kind == Kind::kStream) return StreamError(c);
    return ClientError(c, kErrConnect);
  }
  StartRequest(c);
}

void Load::OnEvent(Conn& c, uint32_t events) {
  if (c.fd < 0) return;
  if (c.state == State::kConnecting) {
    if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP)) OnConnected(c);
    return;
  }
  if ((events & EPOLLOUT) && c.state == State::kSending) Flush(c);
  if (c.fd >= 0 && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))) Read(c);
}

void Load::Read(Conn& c) {
  static char buf[1 << 16];
  for (;;) {
    ssize_t n = ::recv(c.fd, buf, sizeof(buf), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    if (n <= 0) {  // closed or failed
      if (c.kind == Kind::kStream) return StreamError(c);
      return ClientError(c, kErrClosed);  // every client connection has a request in flight
    }
    std::string_view data(buf, static_cast<size_t>(n));
    if (c.state == State::kStreaming) continue;  // discard events
    if (c.state == State::kReadingHead || c.state == State::kSending) {
      size_t before = c.head.size();
      c.head.append(data);
      size_t end = c.head.find("\r\n\r\n", before >= 3 ? before - 3 : 0);
      if (end == std::string::npos) {
        if (c.head.size() > 64 * 1024) {
          if (c.kind == Kind::kStream) return StreamError(c);
          return ClientError(c, kErrClosed);
        }
        continue;
      }
      std::string_view rest = std::string_view(c.head).substr(end + 4);
      std::string rest_copy(rest);
      c.head.resize(end + 2);
      OnHead(c, rest_copy);
      if (c.fd < 0 || c.state == State::kConnecting) return;  // closed, or reconnecting
      continue;
    }
    if (c.state == State::kReadingBody) {
      c.body_left -= n;
      body_bytes_ += n;
      if (c.body_left <= 0) {
        FinishResponse(c);
        if (c.fd < 0 || c.state == State::kConnecting) return;
      }
    }
  }
}

void Load::OnHead(Conn& c, std::string_view rest) {
  c.status = StatusOf(c.head);
  if (c.kind == Kind::kStream) {
    --streams_pending_;
    if (c.status != 200) {
      statuses_[c.status]++;
      return StreamError(c);
    }
    ++streams_ok_;
    c.state = State::kStreaming;
    return;
  }
  std::string_view connection = HeaderValue(c.head, "connection:");
  c.server_closes = connection.size() == 5 && (connection[0] == 'c' || connection[0] == 'C');
  std::string_view length = HeaderValue(c.head, "content-length:");
  c.body_left = length.empty() ? 0 : std::atoll(std::string(length).c_str());
  body_bytes_ += static_cast<int64_t>(rest.size());
  c.body_left -= static_cast<int64_t>(rest.size());
  c.state = State::kReadingBody;
  if (c.body_left <= 0) FinishResponse(c);
}

void Load::FinishResponse(Conn& c) {
  Clock::time_point now = Clock::now();
  ++responses_all_;
  if (measuring_ && c.started >= measure_start_ && now <= measure_end_) ++responses_in_window_;
  if (c.status != 200) {
    statuses_[c.status]++;
    errors_[kErrStatus]++;  // the connection stays usable unless the server said it closes
  } else if (measuring_ && c.started >= measure_start_ && now <= measure_end_) {
    ++requests_;
    latencies_ms_.push_back(Ms(now - c.started));
  }
  if (!clients_running_) {
    CloseFd(c);
    return;
  }
  if (c.server_closes) {
    CloseFd(c);
    if (!Connect(c)) ClientError(c, kErrConnect);
    return;
  }
  StartRequest(c);
}

void Load::ClientError(Conn& c, ErrorKind kind) {
  CloseFd(c);
  if (!clients_running_) return;  // the run is over: what is cut off is not an error
  errors_[kind]++;
  if (kind == kErrConnect) {
    c.retry_at = Clock::now() + kConnectRetryDelay;
  } else if (!Connect(c)) {
    errors_[kErrConnect]++;
    c.retry_at = Clock::now() + kConnectRetryDelay;
  }
}

void Load::StreamError(Conn& c) {
  if (c.state == State::kConnecting || c.state == State::kSending || c.state == State::kReadingHead) {
    if (c.state != State::kReadingHead || c.status == 0) --streams_pending_;
  } else if (c.state == State::kStreaming) {
    --streams_ok_;
  }
  ++stream_errors_;
  CloseFd(c);
}

void Load::CheckTimeouts(Clock::time_point now) {
  auto limit = std::chrono::milliseconds(o_.timeout_ms);
  for (auto& p : conns_) {
    Conn& c = *p;
    if (c.fd < 0 && c.kind == Kind::kClient && clients_running_ && now >= c.retry_at) {
      if (!Connect(c)) ClientError(c, kErrConnect);
      continue;
    }
    if (c.fd < 0 || c.state == State::kStreaming) continue;
    if (now - c.started <= limit) continue;
    if (c.kind == Kind::kStream) {
      StreamError(c);
    } else {
      ClientError(c, kErrTimeout);
    }
  }
}

void Load::Poll(int timeout_ms) {
  epoll_event events[512];
  int n = epoll_wait(ep_, events, 512, timeout_ms);
  for (int i = 0; i < n; ++i) OnEvent(*static_cast<Conn*>(events[i].data.ptr), events[i].events);
}

int Load::Run() {
  addr_.sin_family = AF_INET;
  addr_.sin_port = htons(static_cast<uint16_t>(o_.port));
  if (inet_pton(AF_INET, o_.host.c_str(), &addr_.sin_addr) != 1) {
    std::fprintf(stderr, "serve_load: --host must be an IPv4 address\n");
    return 2;
  }
  ep_ = epoll_create1(EPOLL_CLOEXEC);
  if (ep_ < 0) {
    std::perror("epoll_create1");
    return 2;
  }
  struct rlimit rl {};
  getrlimit(RLIMIT_NOFILE, &rl);
  rlim_t need = static_cast<rlim_t>(o_.clients + o_.streams + 64);
  if (rl.rlim_cur < need) {
    rl.rlim_cur = std::min(need, rl.rlim_max);
    setrlimit(RLIMIT_NOFILE, &rl);
  }

  // 1. The event streams: at most 64 being opened at once, each given --timeout-ms.
  Clock::time_point t0 = Clock::now();
  for (int i = 0; i < o_.streams; ++i) {
    auto c = std::make_unique<Conn>();
    c->kind = Kind::kStream;
    c->index = i;
    c->request = MakeRequest(o_.stream_path, TokenFor(i), true);
    conns_.push_back(std::move(c));
  }
  size_t next = 0;
  while (next < conns_.size() || streams_pending_ > 0) {
    while (next < conns_.size() && streams_pending_ < 64) {
      Conn& c = *conns_[next++];
      ++streams_pending_;
      if (!Connect(c)) {
        --streams_pending_;
        ++stream_errors_;
      }
    }
    Poll(10);
    CheckTimeouts(Clock::now());
  }
  stream_open_s_ = std::chrono::duration<double>(Clock::now() - t0).count();
  std::fprintf(stderr, "serve_load[%s]: %d of %d streams open in %.2f s\n", o_.label.c_str(), streams_ok_,
               o_.streams, stream_open_s_);

  // 2. The clients.
  size_t first_client = conns_.size();
  for (int i = 0; i < o_.clients; ++i) {
    auto c = std::make_unique<Conn>();
    c->kind = Kind::kClient;
    c->index = i;
    c->request = MakeRequest(o_.path, o_.read_auth ? TokenFor(i) : std::string(), false);
    conns_.push_back(std::move(c));
  }
  clients_running_ = true;
  Clock::time_point start = Clock::now();
  measure_start_ = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.warmup));
  measure_end_ = measure_start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.seconds));
  measuring_ = true;
  for (size_t i = first_client; i < conns_.size(); ++i) {
    if (!Connect(*conns_[i])) ClientError(*conns_[i], kErrConnect);
  }
  bool in_window = false;
  double cpu0 = 0, server_cpu0 = -1;
  Clock::time_point last_check = start;
  for (;;) {
    Clock::time_point now = Clock::now();
    if (!in_window && now >= measure_start_) {
      in_window = true;
      cpu0 = CpuSeconds();
      server_cpu0 = ProcessCpuSeconds(o_.server_pid);
    }
    if (now >= measure_end_) break;
    Poll(5);
    if (now - last_check > std::chrono::milliseconds(50)) {
      CheckTimeouts(now);
      last_check = now;
    }
  }
  double cpu = CpuSeconds() - cpu0;
  double server_cpu1 = ProcessCpuSeconds(o_.server_pid);
  double server_cpu = server_cpu0 >= 0 && server_cpu1 >= 0 ? server_cpu1 - server_cpu0 : -1;
  clients_running_ = false;
  // Streams still open at the end (give those whose close is already in the socket a moment).
  Poll(0);
  int open_at_end = 0;
  for (auto& p : conns_) {
    if (p->kind == Kind::kStream && p->fd >= 0 && p->state == State::kStreaming) ++open_at_end;
  }
  for (auto& p : conns_) CloseFd(*p);
  ::close(ep_);

  std::sort(latencies_ms_.begin(), latencies_ms_.end());
  auto pct = [&](double q) {
    if (latencies_ms_.empty()) return 0.0;
    size_t i = static_cast<size_t>(q * static_cast<double>(latencies_ms_.size() - 1) + 0.5);
    return latencies_ms_[std::min(i, latencies_ms_.size() - 1)];
  };
  double sum = 0;
  for (double v : latencies_ms_) sum += v;
  int64_t errors = 0;
  for (int64_t e : errors_) errors += e;
  std::string kinds, statuses;
  for (int k = 0; k < kErrKinds; ++k) {
    kinds += std::string(k ? "," : "") + "\"" + kErrorNames[k] + "\":" + std::to_string(errors_[k]);
  }
  for (auto& [code, count] : statuses_) {
    statuses += std::string(statuses.empty() ? "" : ",") + "\"" + std::to_string(code) + "\":" + std::to_string(count);
  }
  std::printf(
      "{\"label\":\"%s\",\"path\":\"%s\",\"clients\":%d,\"streams\":%d,\"seconds\":%.1f,\"requests\":%lld,"
      "\"errors\":%lld,\"error_kinds\":{%s},\"statuses\":{%s},\"stream_errors\":%lld,\"streams_open_at_end\":%d,"
      "\"stream_open_s\":%.2f,\"rps\":%.1f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,"
      "\"mean_ms\":%.2f,\"bytes_per_response\":%lld,\"client_cpu_s\":%.2f,\"server_cpu_s\":%.2f,"
      "\"server_cpu_ms_per_response\":%.3f}\n",
      JsonEscape(o_.label).c_str(), JsonEscape(o_.path).c_str(), o_.clients, o_.streams, o_.seconds,
      static_cast<long long>(requests_), static_cast<long long>(errors), kinds.c_str(), statuses.c_str(),
      static_cast<long long>(stream_errors_), open_at_end, stream_open_s_,
      static_cast<double>(requests_) / o_.seconds, pct(0.50), pct(0.90), pct(0.99),
      latencies_ms_.empty() ? 0.0 : latencies_ms_.back(),
      latencies_ms_.empty() ? 0.0 : sum / static_cast<double>(latencies_ms_.size()),
      static_cast<long long>(responses_all_ ? body_bytes_ / responses_all_ : 0), cpu, server_cpu,
      server_cpu >= 0 && responses_in_window_ > 0 ? server_cpu * 1000 / static_cast<double>(responses_in_window_) : -1.0);
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseOptions(argc, argv, o)) {
    Usage();
    return 2;
  }
  Load load(o);
  return load.Run();
}
