// The HTTP adapter: an asynchronous HTTP/1.1 server (Boost.Beast over Asio). The only folder that
// includes Beast or Asio; everything above it speaks the plain types below.
//
// Flow per request on a connection (keep-alive, one request at a time per connection):
//   1. headers read on an I/O thread (header size limit, header timeout);
//   2. Handler::PlanBody(head) decides how to read the body: into memory (with a limit), streamed
//      into a file (with a limit; never held in memory), or rejected with a response at once;
//   3. the body is read (idle timeout between reads); over the limit -> 413 via Handler::MakeError;
//   4. Handler::Handle(request) runs on the handler thread pool (never on an I/O thread), so slow
//      handlers (password hashing, database writes) never stall other connections;
//   5. the response is written: a string body, a file range (read in chunks, never whole), or an
//      event stream (headers, then whatever the handler Sends, until either side closes).
// Malformed requests get Handler::MakeError(400, ...) and the connection is closed.
//
// Thread safety: Start/Stop from one thread. Handler methods are called from many threads at once.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cutroom/status.h"

namespace cutroom::server::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;  // "GET", "POST", ... as sent
  std::string target;  // as sent: "/api/v1/jobs?limit=10"
  std::string path;    // percent-decoded path, without the query: "/api/v1/jobs"
  std::vector<std::pair<std::string, std::string>> query;  // percent-decoded, '+' = space, in order
  HeaderList headers;  // names lowercased, in order
  std::string remote_ip;  // "127.0.0.1", "::1"
  std::string body;       // BodyMode::kMemory
  std::string body_file;  // BodyMode::kFile: the file the body was streamed into (the handler owns it)
  int64_t body_bytes = 0;

  // The first header with that (lowercase) name; "" when absent.
  std::string_view Header(std::string_view lowercase_name) const;
  // The first query parameter with that name; "" when absent.
  std::string_view Query(std::string_view name) const;
  bool HasQuery(std::string_view name) const;
};

// An open event stream (server-sent events or any long-lived chunk stream).
// Thread safety: every method is safe from any thread.
class EventStream {
 public:
  virtual ~EventStream() = default;
  // Queues `data` to be written after what was queued before. False when the stream is closed
  // (client gone, server stopping, or the client fell more than the queue limit behind).
  virtual bool Send(std::string data) = 0;
  // Ends the stream after the queued data is written.
  virtual void Close() = 0;
  virtual bool IsOpen() const = 0;
};

struct Response {
  int status = 200;
  HeaderList headers;  // Content-Type etc.; Content-Length, Date, Connection are set by the server
  std::string body;

  // A file body: bytes [file_offset, file_offset + file_length) of file_path, read in chunks.
  std::string file_path;
  int64_t file_offset = 0;
  int64_t file_length = 0;

  // An event stream: when set, the headers go out (no Content-Length) and then this is called
  // once with the stream, on a handler thread. The connection stays open until the stream is
  // closed by either side; it is not reused for another request.
  std::function<void(std::shared_ptr<EventStream>)> on_stream;

  void SetHeader(std::string name, std::string value);  // replaces a header of that name
};

enum class BodyMode {
  kInvalid = 0,
  kMemory,  // read into Request::body, at most limit_bytes
  kFile,    // streamed into file_path (created, truncated), at most limit_bytes
  kReject,  // do not read it: answer `rejection` and close the connection
};

struct BodyPlan {
  BodyMode mode = BodyMode::kMemory;
  int64_t limit_bytes = 1 << 20;
  std::string file_path;  // kFile
  Response rejection;     // kReject
};

class Handler {
 public:
  virtual ~Handler() = default;
  // Called on an I/O thread once the headers are in (Request::body is empty). Must be quick.
  virtual BodyPlan PlanBody(const Request& head) = 0;
  // Called on a handler thread with the whole request. Must not throw.
  virtual Response Handle(Request& request) = 0;
  // The response for errors the server detects itself (400 malformed, 408 timeout, 413 too large,
  // 431 headers too large, 503 overloaded). `request` is null when no request line was parsed.
  virtual Response MakeError(int status, std::string_view message, const Request* request) = 0;
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see HttpServer::port())
  int io_threads = 2;
  int handler_threads = 4;
  int64_t max_header_bytes = 16 * 1024;
  int64_t header_timeout_ms = 10'000;  // to receive a whole request header
  int64_t idle_timeout_ms = 60'000;    // keep-alive idle, and the longest pause inside a body
  int64_t write_timeout_ms = 60'000;   // the longest a client may stall a write
  int max_connections = 10'000;        // beyond: the connection gets 503 and is closed
  size_t stream_queue_limit_bytes = 1 << 20;  // an EventStream further behind is closed
};

class HttpServer {
 public:
  // Binds and listens (InvalidArgument for a bad host, Unavailable when the port is taken) and
  // starts the I/O and handler threads. `handler` is borrowed and must outlive the server.
  static Result<std::unique_ptr<HttpServer>> Start(const ServerOptions& options, Handler& handler);
  virtual ~HttpServer() = default;  // Stop(0) if still running

  // The bound port (useful with port 0).
  virtual int port() const = 0;
  // Graceful stop: stops accepting, lets requests in flight finish (at most `grace_ms`), closes
  // idle keep-alive connections and event streams, then joins every thread. Idempotent.
  virtual void Stop(int64_t grace_ms) = 0;
  // Connections open now, and requests being handled now (for /metrics).
  virtual int open_connections() const = 0;
  virtual int requests_in_flight() const = 0;
};

// Percent-decodes a URL component; InvalidArgument for a bad escape or an encoded NUL.
Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace cutroom::server::http
