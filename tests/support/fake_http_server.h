// Test-only: a fake HTTP/1.1 server on a real loopback socket (ephemeral port) for the
// integrations' clients. It accepts connections one at a time and answers each with the next
// queued reply, or with the default reply once the queue is empty; it records every request
// (request line, headers and body) so tests can check what the client sent.
//
// Thread safety: the server thread and the test thread share the replies and the recorded
// requests under a mutex.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace cutroom::testing {

class FakeServer {
 public:
  FakeServer() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    EXPECT_EQ(listen(fd_, 4), 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeServer() {
    stopping_ = true;
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // The default reply, used when no queued reply is left.
  void Reply(int status, std::string content_type, std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    default_ = {status, std::move(content_type), std::move(body)};
  }
  // A reply for one request, answered in the order queued before the default.
  void QueueReply(int status, std::string content_type, std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back({status, std::move(content_type), std::move(body)});
  }
  // Reads each request but answers none (the client times out).
  void Hang() { hang_ = true; }

  std::string last_request() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.empty() ? std::string() : requests_.back();
  }
  std::vector<std::string> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  // The body of a raw request (after the blank line that ends the headers).
  static std::string BodyOf(const std::string& request) {
    const size_t at = request.find("\r\n\r\n");
    return at == std::string::npos ? std::string() : request.substr(at + 4);
  }

 private:
  struct Canned {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
  };

  void Serve() {
    while (!stopping_) {
      const int client = accept(fd_, nullptr, nullptr);
      if (client < 0) return;
      Handle(client);
      close(client);
    }
  }
  void Handle(int client) {
    std::string data;
    char buf[65536];
    size_t header_end = std::string::npos;
    while (header_end == std::string::npos) {
      const ssize_t n = read(client, buf, sizeof(buf));
      if (n <= 0) return;
      data.append(buf, static_cast<size_t>(n));
      header_end = data.find("\r\n\r\n");
    }
    const std::string headers = data.substr(0, header_end);
    size_t length = 0;
    for (const char* name : {"Content-Length: ", "content-length: "}) {
      if (size_t at = headers.find(name); at != std::string::npos) {
        length = std::stoul(headers.substr(at + std::strlen(name)));
      }
    }
    if (headers.find("100-continue") != std::string::npos) {
      const std::string go = "HTTP/1.1 100 Continue\r\n\r\n";
      (void)!write(client, go.data(), go.size());
    }
    while (data.size() < header_end + 4 + length) {
      const ssize_t n = read(client, buf, sizeof(buf));
      if (n <= 0) break;
      data.append(buf, static_cast<size_t>(n));
    }
    Canned canned;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(data);
      if (queue_.empty()) {
        canned = default_;
      } else {
        canned = std::move(queue_.front());
        queue_.pop_front();
      }
    }
    if (hang_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      return;
    }
    const std::string reply = "HTTP/1.1 " + std::to_string(canned.status) +
                              " X\r\nContent-Type: " + canned.content_type +
                              "\r\nContent-Length: " + std::to_string(canned.body.size()) +
                              "\r\nConnection: close\r\n\r\n" + canned.body;
    (void)!write(client, reply.data(), reply.size());
  }

  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> hang_{false};
  mutable std::mutex mu_;
  Canned default_;
  std::deque<Canned> queue_;
  std::vector<std::string> requests_;
};

}  // namespace cutroom::testing
