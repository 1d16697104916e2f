#include "http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>

namespace cutroom::testing {
namespace {

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

std::string ReadToClose(int fd, int timeout_ms) {
  std::string out;
  char buf[65536];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, left) <= 0) break;
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string Request(const std::string& method, const std::string& target,
                    const std::vector<std::pair<std::string, std::string>>& headers, int64_t body_size,
                    bool close) {
  std::string r = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  bool has_length = false;
  for (const auto& [k, v] : headers) {
    r += k + ": " + v + "\r\n";
    has_length = has_length || strcasecmp(k.c_str(), "content-length") == 0;
  }
  if (!has_length && (body_size > 0 || method == "POST" || method == "PATCH" || method == "PUT")) {
    r += "Content-Length: " + std::to_string(body_size) + "\r\n";
  }
  if (close) r += "Connection: close\r\n";
  return r + "\r\n";
}

}  // namespace

HttpReply ParseReply(const std::string& raw) {
  HttpReply reply;
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos || raw.compare(0, 5, "HTTP/") != 0) return reply;
  size_t sp = raw.find(' ');
  reply.status = std::atoi(raw.c_str() + sp + 1);
  size_t line = raw.find("\r\n") + 2;
  while (line < end) {
    size_t next = raw.find("\r\n", line);
    std::string h = raw.substr(line, next - line);
    size_t colon = h.find(':');
    if (colon != std::string::npos) {
      std::string name = h.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      size_t v = colon + 1;
      while (v < h.size() && h[v] == ' ') ++v;
      reply.headers[name] = h.substr(v);
    }
    line = next + 2;
  }
  reply.body = raw.substr(end + 4);
  auto len = reply.headers.find("content-length");
  if (len != reply.headers.end()) {
    size_t n = std::strtoull(len->second.c_str(), nullptr, 10);
    if (reply.body.size() > n) reply.body.resize(n);
  }
  return reply;
}

int HttpClient::Connect() const {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port_));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

HttpReply HttpClient::Send(const std::string& method, const std::string& target,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           const std::string& body) const {
  return ParseReply(SendRaw(Request(method, target, headers, static_cast<int64_t>(body.size()), true) + body, 60000));
}

HttpReply HttpClient::SendFile(const std::string& method, const std::string& target,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               const std::string& file) const {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) return {};
  std::fseek(f, 0, SEEK_END);
  int64_t size = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  int fd = Connect();
  if (fd < 0) {
    std::fclose(f);
    return {};
  }
  std::string head = Request(method, target, headers, size, true);
  bool ok = WriteAll(fd, head.data(), head.size());
  char buf[65536];
  size_t n = 0;
  while (ok && (n = std::fread(buf, 1, sizeof(buf), f)) > 0) ok = WriteAll(fd, buf, n);
  std::fclose(f);
  HttpReply reply = ParseReply(ReadToClose(fd, 120000));
  ::close(fd);
  return reply;
}

std::string HttpClient::SendRaw(const std::string& bytes, int timeout_ms) const {
  int fd = Connect();
  if (fd < 0) return "";
  WriteAll(fd, bytes.data(), bytes.size());
  std::string out = ReadToClose(fd, timeout_ms);
  ::close(fd);
  return out;
}

int HttpClient::OpenStream(const std::string& target,
                           const std::vector<std::pair<std::string, std::string>>& headers, int* status) const {
  int fd = Connect();
  if (fd < 0) return -1;
  std::string head = Request("GET", target, headers, 0, false);
  WriteAll(fd, head.data(), head.size());
  // Read the header only; the rest is the stream.
  std::string got;
  char c;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (got.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 1000) <= 0) continue;
    if (::recv(fd, &c, 1, 0) != 1) break;
    got += c;
  }
  HttpReply reply = ParseReply(got);
  if (status != nullptr) *status = reply.status;
  return fd;
}

std::vector<SseEvent> ReadEventsFor(int fd, int timeout_ms, const std::string& stop_type) {
  std::vector<SseEvent> events;
  std::string buffer;
  SseEvent current;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  char buf[4096];
  for (;;) {
    size_t nl;
    while ((nl = buffer.find('\n')) != std::string::npos) {
      std::string line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (line.empty()) {
        if (!current.type.empty() || !current.data.empty()) {
          events.push_back(current);
          if (!stop_type.empty() && current.type == stop_type) return events;
        }
        current = SseEvent();
      } else if (line.rfind("id: ", 0) == 0) {
        current.id = line.substr(4);
      } else if (line.rfind("event: ", 0) == 0) {
        current.type = line.substr(7);
      } else if (line.rfind("data: ", 0) == 0) {
        current.data += line.substr(6);
      }
    }
    int left = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count());
    if (left <= 0) return events;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, left) <= 0) return events;
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) return events;
    buffer.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace cutroom::testing
