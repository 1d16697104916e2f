// A small blocking HTTP/1.1 client over POSIX sockets for tests of `cutroom serve`: real requests
// on a real socket, with full control over what is sent (hostile requests included).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace cutroom::testing {

struct HttpReply {
  int status = 0;  // 0: no reply (connection failed or closed)
  std::map<std::string, std::string> headers;  // lowercase names; the last value of each
  std::string body;
  std::string Header(const std::string& lowercase) const {
    auto it = headers.find(lowercase);
    return it == headers.end() ? "" : it->second;
  }
};

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}

  // One request on a new connection ("Connection: close"). `headers` are sent as given.
  HttpReply Send(const std::string& method, const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers = {},
                 const std::string& body = "") const;
  // The body streamed from a file (uploads), with Content-Length.
  HttpReply SendFile(const std::string& method, const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& headers,
                     const std::string& file) const;
  // Raw bytes; returns whatever the server answers before closing (or after `timeout_ms`).
  std::string SendRaw(const std::string& bytes, int timeout_ms = 5000) const;

  // Opens a server-sent-event stream; read with ReadEvents. -1 on failure.
  int OpenStream(const std::string& target, const std::vector<std::pair<std::string, std::string>>& headers,
                 int* status) const;

  int port() const { return port_; }

 private:
  int Connect() const;
  int port_;
};

struct SseEvent {
  std::string id;
  std::string type;
  std::string data;
};

// Reads events from an open stream until one of type `stop_type` arrives ("" = never), the stream
// ends, or `timeout_ms` passes. Returns what was read (including the stop event).
std::vector<SseEvent> ReadEventsFor(int fd, int timeout_ms, const std::string& stop_type);

// Parses a whole HTTP response (status line, headers, Content-Length or read-to-close body).
HttpReply ParseReply(const std::string& raw);

}  // namespace cutroom::testing
