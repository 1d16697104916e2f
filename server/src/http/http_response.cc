// The writing side of a connection: the handler call on the pool, string and file responses,
// and event streams. See http_session.h for the thread contract.

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <ctime>

#include "http/http_session.h"
#include "http/http_util.h"

namespace cutroom::server::http::internal {
namespace {

constexpr size_t kFileChunkBytes = 256 * 1024;

// Deletes an uploaded body file unless the handler got it (e.g. the queued handler call is
// dropped by Stop).
class UploadGuard {
 public:
  explicit UploadGuard(std::string path) : path_(std::move(path)) {}
  UploadGuard(UploadGuard&& other) noexcept : path_(std::exchange(other.path_, {})) {}
  UploadGuard& operator=(UploadGuard&&) = delete;
  ~UploadGuard() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  void Release() { path_.clear(); }

 private:
  std::string path_;
};

// On a handler thread: Handle, then validate and open the file to send.
PreparedResponse RunHandler(ServerCore& core, Request& request) {
  PreparedResponse prepared;
  Response response;
  try {
    response = core.handler.Handle(request);
  } catch (...) {
    response = CallMakeError(core, 500, "internal error", &request);
  }
  response = Checked(core, std::move(response), &request);
  if (!response.file_path.empty()) {
    UniqueFd fd(::open(response.file_path.c_str(), O_RDONLY | O_CLOEXEC));
    struct stat info {};
    if (!fd.valid() || ::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
      response = CallMakeError(core, 404, "file not found", &request);
    } else if (response.file_offset > info.st_size ||
               response.file_length > info.st_size - response.file_offset) {
      response = CallMakeError(core, 500, "file range beyond the end of the file", &request);
    } else {
      prepared.file = std::move(fd);
    }
  }
  prepared.response = std::move(response);
  return prepared;
}

}  // namespace

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Response CallMakeError(ServerCore& core, int status, std::string_view message,
                       const Request* request) {
  Response response;
  try {
    response = core.handler.MakeError(status, message, request);
  } catch (...) {
    return BuiltinError(status, message);
  }
  response.file_path.clear();
  response.on_stream = nullptr;
  if (!ResponseProblem(response).empty()) return BuiltinError(status, message);
  return response;
}

Response Checked(ServerCore& core, Response response, const Request* request) {
  if (ResponseProblem(response).empty()) return response;
  return CallMakeError(core, 500, "invalid response from the request handler", request);
}

void Session::PostStreamData(std::string data) {
  net::post(strand_, [self = shared_from_this(), data = std::move(data)]() mutable {
    self->OnStreamData(std::move(data));
  });
}

void Session::PostStreamEnd(StreamEnd end) {
  net::post(strand_, [self = shared_from_this(), end] { self->OnStreamEnd(end); });
}

void Session::Dispatch() {
  state_ = State::kHandling;
  UploadGuard upload(std::exchange(upload_path_, {}));
  net::post(*core_.handler_pool, [self = shared_from_this(), request = std::move(request_),
                                  upload = std::move(upload)]() mutable {
    upload.Release();  // from here on the handler owns request.body_file
    PreparedResponse prepared = RunHandler(self->core_, request);
    net::post(self->strand_, [self, prepared = std::move(prepared)]() mutable {
      self->OnHandled(std::move(prepared));
    });
  });
}

void Session::OnHandled(PreparedResponse prepared) {
  if (state_ == State::kClosed) return;
  WriteResponse(std::move(prepared));
}

void Session::SendError(int status, std::string_view message, bool have_request) {
  close_after_response_ = true;
  input_unread_ = true;
  if (!have_request) head_only_ = false;
  PreparedResponse prepared;
  prepared.response = CallMakeError(core_, status, message, have_request ? &request_ : nullptr);
  WriteResponse(std::move(prepared));
}

void Session::WriteResponse(PreparedResponse prepared) {
  Response& response = prepared.response;
  bool is_stream = static_cast<bool>(response.on_stream);
  bool close = close_after_response_ || stop_requested_ || !keep_alive_ ||
               WantsClose(response.headers) || is_stream;
  bool body_allowed = StatusAllowsBody(response.status);
  HeadOptions head;
  head.now = std::time(nullptr);
  head.connection = close ? ConnectionHeader::kClose
                          : (http10_ ? ConnectionHeader::kKeepAlive : ConnectionHeader::kNone);
  if (is_stream || !body_allowed) {
    head.content_length = -1;
  } else if (prepared.file.valid()) {
    head.content_length = response.file_length;
  } else {
    head.content_length = static_cast<int64_t>(response.body.size());
  }
  out_head_ = SerializeHead(response, head);
  close_after_response_ = close;
  state_ = State::kWriting;
  bool send_body = !head_only_ && body_allowed;
  out_body_.clear();
  if (send_body && is_stream) {
    on_stream_ = std::move(response.on_stream);
  } else if (send_body && prepared.file.valid()) {
    file_ = std::move(prepared.file);
    file_position_ = response.file_offset;
    file_end_ = response.file_offset + response.file_length;
  } else if (send_body) {
    out_body_ = std::move(response.body);
  }
  std::array<net::const_buffer, 2> buffers = {net::buffer(out_head_), net::buffer(out_body_)};
  stream_.expires_after(Milliseconds(options().write_timeout_ms));
  net::async_write(stream_, buffers, Bind(&Session::OnHeadWritten));
}

void Session::OnHeadWritten(error_code ec, size_t /*bytes*/) {
  if (state_ == State::kClosed) return;
  if (ec) return Close();
  if (file_.valid()) return WriteFileChunk();
  if (on_stream_) return StartStream();
  FinishResponse();
}

void Session::WriteFileChunk() {
  if (file_position_ >= file_end_) {
    file_.Reset();
    std::vector<char>().swap(file_chunk_);
    return FinishResponse();
  }
  size_t want = static_cast<size_t>(
      std::min<int64_t>(static_cast<int64_t>(kFileChunkBytes), file_end_ - file_position_));
  file_chunk_.resize(kFileChunkBytes);
  ssize_t got;
  do {
    got = ::pread(file_.get(), file_chunk_.data(), want, static_cast<off_t>(file_position_));
  } while (got < 0 && errno == EINTR);
  // The file shrank or failed under us: Content-Length cannot be honoured any more, and only
  // closing tells the client the body is incomplete.
  if (got <= 0) return Close();
  stream_.expires_after(Milliseconds(options().write_timeout_ms));
  net::async_write(stream_, net::buffer(file_chunk_.data(), static_cast<size_t>(got)),
                   Bind(&Session::OnFileChunkWritten));
}

void Session::OnFileChunkWritten(error_code ec, size_t bytes) {
  if (state_ == State::kClosed) return;
  if (ec) return Close();
  file_position_ += static_cast<int64_t>(bytes);
  WriteFileChunk();
}

void Session::FinishResponse() {
  EndRequest();
  out_head_.clear();
  std::string().swap(out_body_);
  if (close_after_response_ || stop_requested_) return CloseGracefully();
  AwaitRequest();
}

void Session::StartStream() {
  EndRequest();
  state_ = State::kStreaming;
  stream_impl_ = std::make_shared<StreamImpl>(weak_from_this(), options().stream_queue_limit_bytes);
  ReadWhileStreaming();
  if (stop_requested_) OnStreamEnd(StreamEnd::kGraceful);
  net::post(*core_.handler_pool,
            [callback = std::exchange(on_stream_, nullptr), stream = stream_impl_]() {
              try {
                callback(stream);
              } catch (...) {
                stream->Close();
              }
            });
}

// A read stays pending for the stream's whole life: it is how a client's close is noticed.
void Session::ReadWhileStreaming() {
  stream_.expires_never();
  stream_.async_read_some(net::buffer(discard_), Bind(&Session::OnStreamRead));
}

void Session::OnStreamRead(error_code ec, size_t /*bytes*/) {
  if (state_ == State::kClosed) return;
  if (ec) return Close();
  ReadWhileStreaming();  // whatever the client sends on a stream is ignored
}

void Session::OnStreamData(std::string data) {
  if (state_ != State::kStreaming || stream_closing_) return;
  stream_queue_.push_back(std::move(data));
  if (!stream_writing_) WriteNextStreamChunk();
}

void Session::WriteNextStreamChunk() {
  if (stream_queue_.empty()) {
    if (stream_closing_) FinishStream();
    return;
  }
  stream_writing_ = true;
  // Only the write deadline is set here: the pending read keeps its "never".
  stream_.expires_after(Milliseconds(options().write_timeout_ms));
  net::async_write(stream_, net::buffer(stream_queue_.front()),
                   Bind(&Session::OnStreamChunkWritten));
}

void Session::OnStreamChunkWritten(error_code ec, size_t /*bytes*/) {
  stream_writing_ = false;
  if (state_ == State::kClosed) return;
  if (ec) return Close();  // write timeout (client stopped reading) or client gone
  stream_impl_->OnWritten(stream_queue_.front().size());
  stream_queue_.pop_front();
  WriteNextStreamChunk();
}

void Session::OnStreamEnd(StreamEnd end) {
  if (state_ != State::kStreaming) return;
  stream_impl_->MarkClosed();
  if (end == StreamEnd::kAbort) return Close();
  stream_closing_ = true;
  if (!stream_writing_ && stream_queue_.empty()) FinishStream();
}

void Session::FinishStream() {
  error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  Close();
}

void StreamImpl::OnWritten(size_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  queued_bytes_ -= std::min(bytes, queued_bytes_);
}

void StreamImpl::Detach() {
  std::lock_guard<std::mutex> lock(mu_);
  open_.store(false);
  session_.reset();
}

bool StreamImpl::Send(std::string data) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_.load()) return false;
  std::shared_ptr<Session> session = session_.lock();
  if (!session) {
    open_.store(false);
    return false;
  }
  if (data.empty()) return true;
  if (queued_bytes_ + data.size() > queue_limit_bytes_) {
    open_.store(false);
    session->PostStreamEnd(StreamEnd::kAbort);  // the client fell too far behind
    return false;
  }
  queued_bytes_ += data.size();
  session->PostStreamData(std::move(data));
  return true;
}

void StreamImpl::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!open_.exchange(false)) return;
  if (std::shared_ptr<Session> session = session_.lock()) {
    session->PostStreamEnd(StreamEnd::kGraceful);
  }
}

}  // namespace cutroom::server::http::internal
