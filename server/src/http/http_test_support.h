// Test-only support for the HTTP adapter's tests: a deliberately dumb HTTP/1.1 client over plain
// POSIX sockets (so tests can send exactly the bytes they want: malformed, slow, half-sent), a
// Handler with a few routes, and a fixture that starts a server on a free port.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "http/http_server.h"
#include "test_support.h"

namespace cutroom::server::http::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;

  bool Has(const std::string& name) const { return headers.count(name) > 0; }
  std::string Get(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class RawClient {
 public:
  // Connects to 127.0.0.1:port; every read gives up after `timeout_ms`.
  explicit RawClient(int port, int timeout_ms = 10'000);
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  bool Send(std::string_view data);
  void ShutdownWrite();
  void Close();

  // One response: the head, then Content-Length bytes (none for HEAD, 1xx, 204, 304), or
  // everything until the server closes when there is no Content-Length. nullopt on timeout or
  // when the connection ends before a whole head arrived.
  std::optional<RawResponse> ReadResponse(bool head_request = false);
  // Only the head (status line + headers); the rest stays buffered for ReadUntil.
  std::optional<RawResponse> ReadHead();
  // Reads until `marker` has arrived; returns and consumes everything up to and including it.
  std::optional<std::string> ReadUntil(std::string_view marker);
  // True when the server closed the connection (EOF or reset) within the timeout; what arrived
  // before goes to *data.
  bool WaitForClose(std::string* data = nullptr);
  // True when at least one byte can be read right now (or the peer closed).
  bool Readable(int wait_ms = 0);

 private:
  enum class Fill { kInvalid = 0, kData, kClosed, kTimeout };
  Fill FillMore();

  int fd_ = -1;
  std::string pending_;
};

// One HTTP/1.1 request string: "METHOD target HTTP/1.1", Host, the extra header lines ("Name:
// value\r\n" each) and, when body is not empty, Content-Length + body.
std::string MakeRequest(std::string_view method, std::string_view target,
                        std::string_view extra_headers = "", std::string_view body = "");

// Resident set size of this process now, in bytes (VmRSS).
long CurrentRssBytes();

inline constexpr int64_t kMemoryLimitBytes = 64 * 1024;

inline int64_t FileSize(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? static_cast<int64_t>(info.st_size) : -1;
}

// Polls `condition` for up to `timeout_ms`.
template <class Condition>
bool Eventually(Condition condition, int timeout_ms = 5000) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return condition();
}

// Routes: /upload (body streamed to upload_path), /reject (body refused), /slow?ms=N, /file
// (a range of file_path), /events (an event stream of 3 events), /bad-status, /bad-header,
// /no-content; everything else echoes "METHOD path|body".
class TestHandler : public Handler {
 public:
  BodyPlan PlanBody(const Request& head) override {
    ++plan_calls;
    BodyPlan plan;
    plan.mode = BodyMode::kMemory;
    plan.limit_bytes = kMemoryLimitBytes;
    if (head.path == "/upload") {
      plan.mode = BodyMode::kFile;
      plan.file_path = upload_path;
      plan.limit_bytes = int64_t{1} << 30;
    } else if (head.path == "/reject") {
      plan.mode = BodyMode::kReject;
      plan.rejection.status = 403;
      plan.rejection.body = "uploads are not allowed here";
    }
    return plan;
  }

  Response Handle(Request& request) override {
    ++handle_calls;
    {
      std::lock_guard<std::mutex> lock(mu);
      last = request;
    }
    Response response;
    response.headers.emplace_back("Content-Type", "text/plain");
    if (request.path == "/slow") {
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::stoi(std::string(request.Query("ms")))));
      response.body = "slow done";
    } else if (request.path == "/file") {
      response.file_path = request.HasQuery("missing") ? file_path + ".missing" : file_path;
      response.file_offset = std::stoll(std::string(request.Query("offset")));
      response.file_length = std::stoll(std::string(request.Query("length")));
    } else if (request.path == "/events") {
      response.SetHeader("Content-Type", "text/event-stream");
      response.SetHeader("Cache-Control", "no-cache");
      response.on_stream = [this](std::shared_ptr<EventStream> stream) {
        for (int i = 1; i <= 3; ++i) stream->Send("data: event " + std::to_string(i) + "\n\n");
        std::lock_guard<std::mutex> lock(mu);
        this->stream = stream;
      };
    } else if (request.path == "/bad-status") {
      response.status = 0;
    } else if (request.path == "/bad-header") {
      response.headers.emplace_back("X-Evil", "a\r\nSet-Cookie: stolen=1");
    } else if (request.path == "/no-content") {
      response.status = 204;
      response.body = "must not be sent";
    } else {
      response.body = request.method + " " + request.path + "|" + request.body;
    }
    return response;
  }

  Response MakeError(int status, std::string_view message, const Request* request) override {
    ++error_calls;
    Response response;
    response.status = status;
    response.headers.emplace_back("Content-Type", "text/plain");
    response.headers.emplace_back("X-Test-Error",
                                  request != nullptr ? "with-request" : "no-request");
    response.body = "error " + std::to_string(status) + ": " + std::string(message);
    return response;
  }

  std::string upload_path;
  std::string file_path;
  std::atomic<int> plan_calls{0};
  std::atomic<int> handle_calls{0};
  std::atomic<int> error_calls{0};
  std::mutex mu;
  Request last;                         // guarded by mu
  std::shared_ptr<EventStream> stream;  // guarded by mu
};

class HttpServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    handler_.upload_path = dir_.File("upload.bin");
    handler_.file_path = dir_.File("download.bin");
  }

  void StartServer(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    Result<std::unique_ptr<HttpServer>> started = HttpServer::Start(options, handler_);
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    server_ = std::move(started).value();
    port_ = server_->port();
    ASSERT_GT(port_, 0);
  }

  Request LastRequest() {
    std::lock_guard<std::mutex> lock(handler_.mu);
    return handler_.last;
  }

  cutroom::testing::TempDir dir_;
  TestHandler handler_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

}  // namespace cutroom::server::http::testing
