#include "http/http_test_support.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace cutroom::server::http::testing {

namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Trim(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.pop_back();
  size_t start = text.find_first_not_of(" \t");
  return start == std::string::npos ? std::string() : text.substr(start);
}

}  // namespace

RawClient::RawClient(int port, int timeout_ms) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return;
  timeval tv{};
  tv.tv_sec = timeout_ms / 1000;
  tv.tv_usec = (timeout_ms % 1000) * 1000;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return;
  }
  fd_ = fd;
}

RawClient::~RawClient() { Close(); }

void RawClient::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

bool RawClient::Send(std::string_view data) {
  while (!data.empty()) {
    ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

void RawClient::ShutdownWrite() { ::shutdown(fd_, SHUT_WR); }

RawClient::Fill RawClient::FillMore() {
  char buffer[64 * 1024];
  for (;;) {
    ssize_t got = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (got > 0) {
      pending_.append(buffer, static_cast<size_t>(got));
      return Fill::kData;
    }
    if (got == 0) return Fill::kClosed;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return Fill::kTimeout;
    return Fill::kClosed;  // ECONNRESET and friends
  }
}

std::optional<RawResponse> RawClient::ReadHead() {
  size_t end;
  while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
    if (FillMore() != Fill::kData) return std::nullopt;
  }
  std::string head = pending_.substr(0, end);
  pending_.erase(0, end + 4);
  RawResponse response;
  size_t line_end = head.find("\r\n");
  std::string status_line = head.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return std::nullopt;
  response.status = std::atoi(status_line.c_str() + 9);
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t next = head.find("\r\n", pos);
    if (next == std::string::npos) next = head.size();
    std::string line = head.substr(pos, next - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos) {
      response.headers[Lower(line.substr(0, colon))] = Trim(line.substr(colon + 1));
    }
    pos = next + 2;
  }
  return response;
}

std::optional<RawResponse> RawClient::ReadResponse(bool head_request) {
  std::optional<RawResponse> response = ReadHead();
  if (!response) return std::nullopt;
  if (head_request || response->status < 200 || response->status == 204 ||
      response->status == 304) {
    return response;
  }
  if (response->Has("content-length")) {
    size_t length = std::stoull(response->Get("content-length"));
    while (pending_.size() < length) {
      if (FillMore() != Fill::kData) return std::nullopt;
    }
    response->body = pending_.substr(0, length);
    pending_.erase(0, length);
    return response;
  }
  for (;;) {
    Fill fill = FillMore();
    if (fill == Fill::kClosed) break;
    if (fill == Fill::kTimeout) return std::nullopt;
  }
  response->body = std::move(pending_);
  pending_.clear();
  return response;
}

std::optional<std::string> RawClient::ReadUntil(std::string_view marker) {
  size_t at;
  while ((at = pending_.find(marker)) == std::string::npos) {
    if (FillMore() != Fill::kData) return std::nullopt;
  }
  std::string out = pending_.substr(0, at + marker.size());
  pending_.erase(0, at + marker.size());
  return out;
}

bool RawClient::WaitForClose(std::string* data) {
  for (;;) {
    Fill fill = FillMore();
    if (fill == Fill::kData) continue;
    if (data != nullptr) *data = pending_;
    return fill == Fill::kClosed;
  }
}

bool RawClient::Readable(int wait_ms) {
  if (!pending_.empty()) return true;
  pollfd entry{};
  entry.fd = fd_;
  entry.events = POLLIN;
  return ::poll(&entry, 1, wait_ms) > 0;
}

std::string MakeRequest(std::string_view method, std::string_view target,
                        std::string_view extra_headers, std::string_view body) {
  std::string request;
  request.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
  request.append(extra_headers);
  if (!body.empty()) request.append("Content-Length: " + std::to_string(body.size()) + "\r\n");
  request.append("\r\n").append(body);
  return request;
}

long CurrentRssBytes() {
  // No heap allocation: under ASan freed memory stays resident (quarantine), so a sampler that
  // allocates would measure itself.
  char buffer[8192];
  int fd = ::open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t got = ::read(fd, buffer, sizeof(buffer) - 1);
  ::close(fd);
  if (got <= 0) return -1;
  buffer[got] = '\0';
  const char* line = std::strstr(buffer, "VmRSS:");
  return line == nullptr ? -1 : std::atol(line + 6) * 1024;
}

}  // namespace cutroom::server::http::testing
