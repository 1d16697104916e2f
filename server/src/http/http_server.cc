// HttpServer: the listening socket, the I/O threads, the handler pool and the graceful stop.
// Connections themselves live in http_session.cc.

#include "http/http_server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <exception>
#include <future>
#include <optional>
#include <thread>
#include <vector>

#include "http/http_internal.h"

namespace cutroom::server::http {
namespace internal {

bool ServerCore::Register(uint64_t* id, std::weak_ptr<Connection> connection) {
  std::lock_guard<std::mutex> lock(mu);
  if (stopping) return false;
  *id = next_id++;
  connections.emplace(*id, std::move(connection));
  return true;
}

void ServerCore::Unregister(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu);
  if (id != 0) connections.erase(id);
  // Decremented under mu so that Stop's wait cannot miss the wake-up.
  if (open_connections.fetch_sub(1) == 1) all_closed.notify_all();
}

}  // namespace internal

namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using boost::system::error_code;

// Backoff after a failed accept (EMFILE and friends), so a full fd table does not spin a core.
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(50);

Result<tcp::endpoint> ResolveListenEndpoint(const std::string& host, int port) {
  if (port < 0 || port > 65535) {
    return InvalidArgumentError("port " + std::to_string(port) + " is out of range");
  }
  error_code ec;
  net::ip::address address = net::ip::make_address(host, ec);
  if (!ec) return tcp::endpoint(address, static_cast<unsigned short>(port));
  // Not an IP literal: resolve a name such as "localhost" (first address wins).
  net::io_context resolve_context;
  tcp::resolver resolver(resolve_context);
  auto results = resolver.resolve(host, std::to_string(port), tcp::resolver::passive, ec);
  if (ec || results.empty()) {
    return InvalidArgumentError("cannot use \"" + host + "\" as a listen address: " +
                                (ec ? ec.message() : std::string("no address")));
  }
  return results.begin()->endpoint();
}

class HttpServerImpl final : public HttpServer {
 public:
  HttpServerImpl(const ServerOptions& options, Handler& handler) : core_(options, handler) {}
  ~HttpServerImpl() override { Stop(0); }

  Status Listen() {
    CR_ASSIGN_OR_RETURN(tcp::endpoint endpoint,
                        ResolveListenEndpoint(core_.options.host, core_.options.port));
    ioc_.emplace(1);
    acceptor_.emplace(net::make_strand(*ioc_));
    accept_retry_timer_.emplace(acceptor_->get_executor());
    error_code ec;
    acceptor_->open(endpoint.protocol(), ec);
    if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_->bind(endpoint, ec);
    if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      std::string message = "cannot listen on " + endpoint.address().to_string() + ":" +
                            std::to_string(endpoint.port()) + ": " + ec.message();
      // Not an address of this machine: the host option is wrong, retrying will not help.
      if (ec == boost::system::errc::address_not_available) return InvalidArgumentError(message);
      return UnavailableError(message);  // port taken, privileged port, ...
    }
    port_ = acceptor_->local_endpoint(ec).port();
    return Status::Ok();
  }

  // Starts the threads. Thread creation may throw; the caller catches.
  void Run() {
    pool_.emplace(static_cast<size_t>(std::max(1, core_.options.handler_threads)));
    core_.handler_pool = &*pool_;
    // Without it the I/O threads would return from run() whenever no socket operation is pending,
    // e.g. during Stop while the last requests are still in the handler pool.
    work_.emplace(ioc_->get_executor());
    DoAccept();
    int io_threads = std::max(1, core_.options.io_threads);
    for (int i = 0; i < io_threads; ++i) {
      io_threads_.emplace_back([this] { RunIo(); });
    }
  }

  int port() const override { return port_; }
  int open_connections() const override { return core_.open_connections.load(); }
  int requests_in_flight() const override { return core_.requests_in_flight.load(); }

  void Stop(int64_t grace_ms) override {
    std::lock_guard<std::mutex> stop_lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
    auto deadline = std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(std::max<int64_t>(0, grace_ms));

    // 1. No new connections: close the listening socket on its strand (a pending accept may be
    // completing on an I/O thread right now).
    if (!io_threads_.empty()) {
      std::promise<void> closed;
      net::post(acceptor_->get_executor(), [this, &closed] {
        error_code ignored;
        acceptor_->close(ignored);
        accept_retry_timer_->cancel();
        closed.set_value();
      });
      closed.get_future().wait();
    } else if (acceptor_) {
      error_code ignored;
      acceptor_->close(ignored);
    }

    // 2. Tell every connection; from now on Register refuses new ones.
    for (auto& connection : LiveConnections(/*mark_stopping=*/true)) connection->NotifyStop();

    // 3. Let requests in flight finish and be written (each connection closes after its
    // response), at most until the deadline.
    if (!io_threads_.empty()) {
      std::unique_lock<std::mutex> lock(core_.mu);
      core_.all_closed.wait_until(lock, deadline, [this] { return core_.open_connections == 0; });
    }

    // 4. Stop the I/O threads; what is left is abandoned.
    work_.reset();
    if (ioc_) ioc_->stop();
    for (auto& thread : io_threads_) thread.join();
    io_threads_.clear();

    // 5. Handler code may keep EventStreams beyond this point: cut them loose.
    for (auto& connection : LiveConnections(/*mark_stopping=*/false)) connection->DetachStream();

    // 6. Wait for handler calls that already run (they cannot be interrupted), drop the queued
    // ones, then destroy the I/O objects and the io_context with every connection it holds.
    if (pool_) {
      pool_->stop();
      pool_->join();
    }
    accept_retry_timer_.reset();
    acceptor_.reset();
    pool_.reset();
    core_.handler_pool = nullptr;
    ioc_.reset();
  }

 private:
  std::vector<std::shared_ptr<internal::Connection>> LiveConnections(bool mark_stopping) {
    std::vector<std::shared_ptr<internal::Connection>> live;
    std::lock_guard<std::mutex> lock(core_.mu);
    if (mark_stopping) core_.stopping = true;
    live.reserve(core_.connections.size());
    for (auto& [id, weak] : core_.connections) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
    return live;
  }

  void RunIo() {
    // Completion handlers do not throw (http_session.cc catches at every boundary); if one ever
    // does, keep the thread serving rather than terminate the process.
    for (;;) {
      try {
        ioc_->run();
        return;
      } catch (const std::exception&) {
      } catch (...) {
      }
    }
  }

  void DoAccept() {
    acceptor_->async_accept(net::make_strand(*ioc_), [this](error_code ec, tcp::socket socket) {
      OnAccept(ec, std::move(socket));
    });
  }

  void OnAccept(error_code ec, tcp::socket socket) {
    if (!acceptor_->is_open() || ec == net::error::operation_aborted) return;
    if (ec) {
      // EMFILE, ENFILE, ENOBUFS, ECONNABORTED...: the listening socket is fine; retry shortly.
      accept_retry_timer_->expires_after(kAcceptRetryDelay);
      accept_retry_timer_->async_wait([this](error_code wait_ec) {
        if (!wait_ec && acceptor_->is_open()) DoAccept();
      });
      return;
    }
    int open = core_.open_connections.fetch_add(1) + 1;
    bool over_limit = open > std::max(1, core_.options.max_connections);
    internal::StartConnection(core_, std::move(socket), over_limit);
    DoAccept();
  }

  // Destruction order matters: core_ must outlive the io_context and the pool (connections point
  // at it), so it is declared first. Stop resets the optionals explicitly in the right order.
  internal::ServerCore core_;
  std::optional<net::io_context> ioc_;
  std::optional<tcp::acceptor> acceptor_;                // on its own strand
  std::optional<net::steady_timer> accept_retry_timer_;  // same strand as acceptor_
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::optional<net::thread_pool> pool_;
  std::vector<std::thread> io_threads_;
  int port_ = 0;
  std::mutex stop_mu_;
  bool stopped_ = false;  // guarded by stop_mu_
};

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const ServerOptions& options,
                                                      Handler& handler) {
  auto server = std::make_unique<HttpServerImpl>(options, handler);
  try {
    CR_RETURN_IF_ERROR(server->Listen());
    server->Run();
  } catch (const std::exception& e) {
    // Thread or socket creation failed (EAGAIN, EMFILE): Stop via the destructor joins what ran.
    return UnavailableError(std::string("cannot start the HTTP server: ") + e.what());
  }
  return std::unique_ptr<HttpServer>(std::move(server));
}

}  // namespace cutroom::server::http
