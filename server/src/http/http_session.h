// Private to server/src/http (included only by http_session.cc and http_response.cc): one HTTP/1.1
// connection. http_session.cc reads requests (header, then the body as the handler plans it) and
// closes; http_response.cc runs the handler on the pool and writes the response (string, file
// range or event stream).
//
// Thread contract: every member of Session is touched only on the connection's strand, except
// the const ones (core_, strand_, id_ after Start) and the entry points that post there
// (NotifyStop, PostStream*); DetachStream runs after the I/O threads are joined. Async operations
// keep the Session alive (shared_from_this); the buffers and parsers they use are released only
// in completion handlers or in the destructor, never while an operation is pending.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/http_internal.h"
#include "http/http_server.h"

namespace cutroom::server::http::internal {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;
using Milliseconds = std::chrono::milliseconds;

class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  ~UniqueFd() { Reset(); }
  void Reset();
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

struct PreparedResponse {
  Response response;
  UniqueFd file;  // open when response.file_path is to be sent
};

// Handler::MakeError, never throwing and never returning something unsendable. Error responses
// are plain: a file or stream in them is dropped.
Response CallMakeError(ServerCore& core, int status, std::string_view message,
                       const Request* request);
// `response` if it can be sent, else the handler's 500.
Response Checked(ServerCore& core, Response response, const Request* request);

enum class State {
  kInvalid = 0,
  kAwaitingRequest,  // keep-alive: waiting for the first byte of the next request (idle timeout)
  kReadingHeader,    // header timeout
  kReadingBody,      // idle timeout between reads
  kHandling,         // Handler::Handle runs on the pool
  kWriting,          // write timeout per write
  kStreaming,        // event stream: writes queued by EventStream::Send
  kLingering,        // response sent, send side shut down, draining before close
  kClosed,
};

enum class StreamEnd { kInvalid = 0, kGraceful, kAbort };

class Session;

// The EventStream handed to handler code. It may outlive its connection and even the server:
// after Detach it only answers "closed".
class StreamImpl final : public EventStream {
 public:
  StreamImpl(std::weak_ptr<Session> session, size_t queue_limit_bytes)
      : session_(std::move(session)), queue_limit_bytes_(queue_limit_bytes) {}

  bool Send(std::string data) override;
  void Close() override;
  bool IsOpen() const override { return open_.load(); }

  // Strand of the connection (or its destructor): the connection is gone or ending.
  void MarkClosed() { open_.store(false); }
  void OnWritten(size_t bytes);
  // Server stop, after the I/O threads are joined.
  void Detach();

 private:
  // mu_ is held while a Session reference obtained from session_ is in use (and released), so
  // Detach waits for any Send that could still reach the connection. The Session destructor
  // takes no StreamImpl lock (it only calls MarkClosed), so releasing the last reference under
  // mu_ cannot deadlock.
  mutable std::mutex mu_;
  std::weak_ptr<Session> session_;  // guarded by mu_
  size_t queued_bytes_ = 0;         // guarded by mu_
  const size_t queue_limit_bytes_;
  std::atomic<bool> open_{true};
};

class Session final : public Connection, public std::enable_shared_from_this<Session> {
 public:
  Session(ServerCore& core, tcp::socket socket);
  ~Session() override;

  // Registers with the server and starts serving (on the strand). `over_limit`: 503 and close.
  void Start(bool over_limit);
  void NotifyStop() override;
  void DetachStream() override;
  // From StreamImpl, any thread.
  void PostStreamData(std::string data);
  void PostStreamEnd(StreamEnd end);

 private:
  template <class Method, class... Args>
  auto Bind(Method method, Args&&... args) {
    return beast::bind_front_handler(method, shared_from_this(), std::forward<Args>(args)...);
  }
  const ServerOptions& options() const { return core_.options; }

  void OnStart(bool over_limit);
  void OnStop();

  // Reading a request (http_session.cc).
  void AwaitRequest();
  void OnAwaitRead(error_code ec, size_t bytes);
  void ReadHeader();
  void OnHeaderTimer(uint64_t generation, error_code ec);
  void OnHeader(error_code ec, size_t bytes);
  void StartBody(BodyPlan plan);
  bool BodyDone() const;
  void OnContinueWritten(error_code ec, size_t bytes);
  void ReadBody();
  void OnBodyRead(error_code ec, size_t bytes);
  void OnBodyFailed(error_code ec);
  void FinishBody();

  // Handling and writing (http_response.cc).
  void Dispatch();
  void OnHandled(PreparedResponse prepared);
  void SendError(int status, std::string_view message, bool have_request);
  void WriteResponse(PreparedResponse prepared);
  void OnHeadWritten(error_code ec, size_t bytes);
  void WriteFileChunk();
  void OnFileChunkWritten(error_code ec, size_t bytes);
  void FinishResponse();

  // Event streams (http_response.cc).
  void StartStream();
  void ReadWhileStreaming();
  void OnStreamRead(error_code ec, size_t bytes);
  void OnStreamData(std::string data);
  void WriteNextStreamChunk();
  void OnStreamChunkWritten(error_code ec, size_t bytes);
  void OnStreamEnd(StreamEnd end);
  void FinishStream();

  // Closing (http_session.cc).
  void CloseGracefully();
  void Linger();
  void OnLingerRead(error_code ec, size_t bytes);
  // Closes the socket; pending operations complete with an error and release the Session.
  // Buffers and parsers stay until then (see the file comment).
  void Close();
  void BeginRequest();
  void EndRequest();
  // Deletes a partially received upload. REQUIRES: no read into file_parser_ is pending.
  void DiscardUpload();

  ServerCore& core_;
  uint64_t id_ = 0;  // written by Start before the first strand handler
  bool registered_ = false;
  const net::any_io_executor strand_;  // the connection's strand; copied so any thread may post
  beast::tcp_stream stream_;           // runs on strand_
  net::steady_timer timer_;            // header deadline
  uint64_t timer_generation_ = 0;
  beast::flat_buffer buffer_;
  std::string remote_ip_;
  State state_ = State::kInvalid;
  bool stop_requested_ = false;
  bool request_counted_ = false;

  // The request being read.
  Request request_;
  bool header_timed_out_ = false;
  bool head_only_ = false;
  bool http10_ = false;
  bool keep_alive_ = false;
  bool close_after_response_ = false;
  bool input_unread_ = false;  // an error or rejection answered before the request was read
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_parser_;
  std::optional<bhttp::request_parser<bhttp::string_body>> memory_parser_;
  std::optional<bhttp::request_parser<bhttp::file_body>> file_parser_;
  std::string upload_path_;  // kFile: deleted unless handed to the handler

  // The response being written.
  std::string out_head_;
  std::string out_body_;
  UniqueFd file_;
  int64_t file_position_ = 0;
  int64_t file_end_ = 0;
  std::vector<char> file_chunk_;
  std::function<void(std::shared_ptr<EventStream>)> on_stream_;

  // Event stream.
  std::shared_ptr<StreamImpl> stream_impl_;
  std::deque<std::string> stream_queue_;
  bool stream_writing_ = false;
  bool stream_closing_ = false;

  std::array<char, 4096> discard_{};
  std::chrono::steady_clock::time_point linger_deadline_{};
};

}  // namespace cutroom::server::http::internal
