// Private to server/src/http: what the server (http_server.cc) and its connections
// (http_session.cc) share. Included only by .cc files of this folder, so Asio stays out of every
// header that other folders include.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "http/http_server.h"

namespace cutroom::server::http::internal {

// One accepted connection, as the server sees it during Stop.
class Connection {
 public:
  virtual ~Connection() = default;
  // Any thread: asks the connection (on its strand) to close idle keep-alive waits and event
  // streams, and to close after the response of a request in flight.
  virtual void NotifyStop() = 0;
  // After the I/O threads are joined: makes the connection's EventStream (if any) closed and
  // unlinked, so a handler that keeps the stream can never reach the connection again.
  virtual void DetachStream() = 0;
};

// State shared by the server and its connections. Outlives every connection: the server destroys
// its handler pool and io_context (and with them every connection) before this.
// Thread safety: the atomics and the members under `mu` are safe from any thread; the rest is
// set before the first connection and read-only afterwards.
struct ServerCore {
  ServerCore(const ServerOptions& opts, Handler& h) : options(opts), handler(h) {}

  const ServerOptions options;
  Handler& handler;
  boost::asio::thread_pool* handler_pool = nullptr;  // set once at start; see HttpServerImpl

  std::atomic<int> open_connections{0};
  std::atomic<int> requests_in_flight{0};

  // Registers a new connection. False when the server is stopping: close it at once.
  bool Register(uint64_t* id, std::weak_ptr<Connection> connection);
  // Called from the connection's destructor (any thread).
  void Unregister(uint64_t id);

  std::mutex mu;
  std::condition_variable all_closed;  // signalled when open_connections drops to 0
  bool stopping = false;               // guarded by mu
  uint64_t next_id = 1;                // guarded by mu
  std::unordered_map<uint64_t, std::weak_ptr<Connection>> connections;  // guarded by mu
};

// Takes over an accepted socket (whose executor is a strand of the server's io_context) and
// serves it. The caller has already counted it in core.open_connections; the connection
// uncounts itself when it is destroyed. `over_limit`: answer 503 and close.
void StartConnection(ServerCore& core, boost::asio::ip::tcp::socket socket, bool over_limit);

}  // namespace cutroom::server::http::internal
