// The reading side of a connection: requests (header, planned body), timeouts and closing.
// See http_session.h for the thread contract.

#include "http/http_session.h"

#include <unistd.h>

#include <algorithm>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <limits>

#include "http/http_util.h"

namespace cutroom::server::http::internal {
namespace {

constexpr size_t kAwaitReadBytes = 16 * 1024;
// Beast sizes each read by the buffer's spare capacity, which after a header is tiny: without
// this, a body arrives in ~512-byte reads (and file writes).
constexpr size_t kBodyReadBytes = 64 * 1024;
// After "Connection: close", how long unread request bytes are drained so the client gets our
// response instead of a TCP reset (what Apache calls lingering close).
constexpr int64_t kLingerMs = 2'000;
constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

bool IsHttpParseError(const error_code& ec) {
  static const boost::system::error_category& kHttpCategory =
      bhttp::make_error_code(bhttp::error::bad_method).category();
  return ec.category() == kHttpCategory && ec != bhttp::error::end_of_stream &&
         ec != bhttp::error::partial_message;
}

// Errors writing an upload to disk (as opposed to the client going away).
bool IsStorageError(const error_code& ec) {
  namespace errc = boost::system::errc;
  return ec == errc::no_space_on_device || ec == errc::file_too_large || ec == errc::io_error ||
         ec == errc::read_only_file_system || ec == errc::permission_denied ||
         (ec.category() == boost::system::system_category() && ec.value() == EDQUOT);
}

}  // namespace

Session::Session(ServerCore& core, tcp::socket socket)
    : core_(core), strand_(socket.get_executor()), stream_(std::move(socket)), timer_(strand_) {
  error_code ec;
  tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    net::ip::address address = remote.address();
    if (address.is_v6() && address.to_v6().is_v4_mapped()) {
      address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
    }
    remote_ip_ = address.to_string();
  }
  stream_.socket().set_option(tcp::no_delay(true), ec);
}

Session::~Session() {
  DiscardUpload();
  EndRequest();
  if (stream_impl_) stream_impl_->MarkClosed();
  core_.Unregister(id_);
}

void Session::Start(bool over_limit) {
  registered_ = core_.Register(&id_, weak_from_this());
  net::dispatch(strand_, [self = shared_from_this(), over_limit] { self->OnStart(over_limit); });
}

void Session::NotifyStop() {
  net::post(strand_, [self = shared_from_this()] { self->OnStop(); });
}

void Session::DetachStream() {
  if (stream_impl_) stream_impl_->Detach();
}

void Session::OnStart(bool over_limit) {
  if (state_ == State::kClosed) return;  // a stop notice overtook us
  if (!registered_) return Close();
  if (over_limit) return SendError(503, "too many connections", /*have_request=*/false);
  ReadHeader();
}

void Session::OnStop() {
  stop_requested_ = true;
  switch (state_) {
    case State::kInvalid:
    case State::kAwaitingRequest:
    case State::kReadingHeader:
    case State::kLingering:
      Close();
      break;
    case State::kStreaming:
      OnStreamEnd(StreamEnd::kGraceful);
      break;
    default:  // a request in flight: it finishes, then the connection closes
      break;
  }
}

void Session::AwaitRequest() {
  if (buffer_.size() > 0) return ReadHeader();  // pipelined: the next request is already here
  state_ = State::kAwaitingRequest;
  stream_.expires_after(Milliseconds(options().idle_timeout_ms));
  stream_.async_read_some(buffer_.prepare(kAwaitReadBytes), Bind(&Session::OnAwaitRead));
}

void Session::OnAwaitRead(error_code ec, size_t bytes) {
  if (state_ == State::kClosed) return;
  if (ec) return Close();  // idle timeout, client closed, stop
  buffer_.commit(bytes);
  ReadHeader();
}

void Session::ReadHeader() {
  state_ = State::kReadingHeader;
  request_ = Request{};
  head_only_ = false;
  http10_ = false;
  keep_alive_ = false;
  header_timed_out_ = false;
  header_parser_.emplace();
  header_parser_->header_limit(static_cast<std::uint32_t>(std::clamp<int64_t>(
      options().max_header_bytes, 1, std::numeric_limits<std::uint32_t>::max())));
  // The body limit is the plan's, checked after PlanBody. The parser's default (1 MiB) would
  // already fail larger Content-Lengths here, and Boost 1.74 compares an unset limit
  // (boost::none) as "everything is too large", hence the explicit maximum.
  header_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  uint64_t generation = ++timer_generation_;
  timer_.expires_after(Milliseconds(options().header_timeout_ms));
  timer_.async_wait(Bind(&Session::OnHeaderTimer, generation));
  // The header deadline is timer_, not the stream's timer, so that a 408 can still be written.
  stream_.expires_never();
  bhttp::async_read_header(stream_, buffer_, *header_parser_, Bind(&Session::OnHeader));
}

void Session::OnHeaderTimer(uint64_t generation, error_code ec) {
  if (ec || generation != timer_generation_ || state_ != State::kReadingHeader) return;
  header_timed_out_ = true;
  stream_.cancel();
}

void Session::OnHeader(error_code ec, size_t /*bytes*/) {
  if (state_ == State::kClosed) return;
  ++timer_generation_;
  timer_.cancel();
  if (ec) {
    if (header_timed_out_) {
      // A client that sent nothing is closed quietly; one stuck mid-header is told why.
      if (header_parser_->got_some() || buffer_.size() > 0) {
        return SendError(408, "request header timeout", /*have_request=*/false);
      }
      return Close();
    }
    if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
      return SendError(431, "request header too large", /*have_request=*/false);
    }
    if (IsHttpParseError(ec)) return SendError(400, "malformed request", false);
    return Close();  // client closed or reset, or stop
  }

  const auto& head = header_parser_->get();
  request_.method = std::string(head.method_string());
  request_.target = std::string(head.target());
  request_.remote_ip = remote_ip_;
  for (const auto& field : head) {
    request_.headers.emplace_back(ToLower(field.name_string()), std::string(field.value()));
  }
  head_only_ = head.method() == bhttp::verb::head;
  http10_ = head.version() < 11;
  keep_alive_ = header_parser_->keep_alive();
  BeginRequest();

  Result<ParsedTarget> target = ParseTarget(request_.target);
  // A fixed message: the target is client input and MakeError may put the message in a page.
  if (!target.ok()) return SendError(400, "malformed request target", /*have_request=*/true);
  request_.path = std::move(target->path);
  request_.query = std::move(target->query);

  std::string_view expect = request_.Header("expect");
  if (!expect.empty() && !EqualsIgnoreCase(expect, "100-continue")) {
    return SendError(417, "unsupported expectation", true);
  }
  BodyPlan plan;
  try {
    plan = core_.handler.PlanBody(request_);
  } catch (...) {
    return SendError(500, "internal error", true);
  }
  StartBody(std::move(plan));
}

void Session::StartBody(BodyPlan plan) {
  switch (plan.mode) {
    case BodyMode::kReject: {
      close_after_response_ = true;
      input_unread_ = true;
      PreparedResponse prepared;
      prepared.response = Checked(core_, std::move(plan.rejection), &request_);
      prepared.response.file_path.clear();
      prepared.response.on_stream = nullptr;
      return WriteResponse(std::move(prepared));
    }
    case BodyMode::kMemory:
    case BodyMode::kFile:
      break;
    default:
      return SendError(500, "invalid body plan", true);
  }
  uint64_t limit = static_cast<uint64_t>(std::max<int64_t>(0, plan.limit_bytes));
  boost::optional<std::uint64_t> length = header_parser_->content_length();
  if (length && *length > limit) return SendError(413, "request body too large", true);

  if (plan.mode == BodyMode::kMemory) {
    memory_parser_.emplace(std::move(*header_parser_));
    memory_parser_->body_limit(limit);  // chunked bodies are checked as they arrive
  } else {
    if (plan.file_path.empty()) return SendError(500, "invalid body plan", true);
    file_parser_.emplace(std::move(*header_parser_));
    file_parser_->body_limit(limit);
    error_code ec;
    file_parser_->get().body().open(plan.file_path.c_str(), beast::file_mode::write, ec);
    if (ec) {
      file_parser_.reset();
      return SendError(500, "cannot store the request body", true);
    }
    upload_path_ = plan.file_path;
  }
  header_parser_.reset();
  state_ = State::kReadingBody;
  buffer_.reserve(kBodyReadBytes);
  if (BodyDone()) return FinishBody();
  if (!http10_ && !request_.Header("expect").empty()) {
    stream_.expires_after(Milliseconds(options().write_timeout_ms));
    net::async_write(stream_, net::buffer(kContinueResponse.data(), kContinueResponse.size()),
                     Bind(&Session::OnContinueWritten));
    return;
  }
  ReadBody();
}

bool Session::BodyDone() const {
  return memory_parser_ ? memory_parser_->is_done() : file_parser_->is_done();
}

void Session::OnContinueWritten(error_code ec, size_t /*bytes*/) {
  if (state_ == State::kClosed) return;
  if (ec) {
    DiscardUpload();
    return Close();
  }
  ReadBody();
}

void Session::ReadBody() {
  stream_.expires_after(Milliseconds(options().idle_timeout_ms));
  if (memory_parser_) {
    bhttp::async_read_some(stream_, buffer_, *memory_parser_, Bind(&Session::OnBodyRead));
  } else {
    bhttp::async_read_some(stream_, buffer_, *file_parser_, Bind(&Session::OnBodyRead));
  }
}

void Session::OnBodyRead(error_code ec, size_t /*bytes*/) {
  if (state_ == State::kClosed) {
    DiscardUpload();
    return;
  }
  if (ec) return OnBodyFailed(ec);
  if (BodyDone()) return FinishBody();
  ReadBody();
}

void Session::OnBodyFailed(error_code ec) {
  DiscardUpload();
  memory_parser_.reset();
  if (ec == bhttp::error::body_limit) return SendError(413, "request body too large", true);
  if (IsHttpParseError(ec)) return SendError(400, "malformed request body", true);
  if (IsStorageError(ec) && stream_.socket().is_open()) {
    return SendError(500, "cannot store the request body", true);
  }
  Close();  // client gone, idle timeout, stop
}

void Session::FinishBody() {
  buffer_.shrink_to_fit();  // an idle keep-alive connection should not hold 64 KiB
  if (memory_parser_) {
    request_.body = std::move(memory_parser_->get().body());
    request_.body_bytes = static_cast<int64_t>(request_.body.size());
    memory_parser_.reset();
  } else {
    error_code ec;
    auto& file = file_parser_->get().body().file();
    uint64_t size = file.size(ec);
    if (!ec) file.close(ec);
    file_parser_.reset();
    if (ec) {
      DiscardUpload();
      return SendError(500, "cannot store the request body", true);
    }
    request_.body_file = upload_path_;
    request_.body_bytes = static_cast<int64_t>(size);
  }
  Dispatch();
}

void Session::CloseGracefully() {
  state_ = State::kLingering;
  error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  // Draining only matters when the client may still be sending: closing a socket with unread
  // input makes the kernel send a reset, which can destroy our response before it is read.
  if (ec || stop_requested_ || (!input_unread_ && buffer_.size() == 0)) return Close();
  linger_deadline_ =
      std::chrono::steady_clock::now() +
      Milliseconds(std::min(kLingerMs, std::max<int64_t>(1, options().idle_timeout_ms)));
  Linger();
}

void Session::Linger() {
  auto remaining = linger_deadline_ - std::chrono::steady_clock::now();
  if (remaining <= std::chrono::steady_clock::duration::zero()) return Close();
  stream_.expires_after(remaining);
  stream_.async_read_some(net::buffer(discard_), Bind(&Session::OnLingerRead));
}

void Session::OnLingerRead(error_code ec, size_t /*bytes*/) {
  if (state_ == State::kClosed) return;
  if (ec) return Close();
  Linger();
}

// Closes the socket; pending operations complete with an error and release the Session.
// Buffers and parsers stay until then (see the file comment).
void Session::Close() {
  if (state_ == State::kClosed) return;
  state_ = State::kClosed;
  ++timer_generation_;
  timer_.cancel();
  stream_.close();
  if (stream_impl_) stream_impl_->MarkClosed();
  EndRequest();
}

void Session::BeginRequest() {
  if (request_counted_) return;
  request_counted_ = true;
  core_.requests_in_flight.fetch_add(1);
}

void Session::EndRequest() {
  if (!request_counted_) return;
  request_counted_ = false;
  core_.requests_in_flight.fetch_sub(1);
}

// Deletes a partially received upload. REQUIRES: no read into file_parser_ is pending.
void Session::DiscardUpload() {
  if (file_parser_) {
    error_code ignored;
    file_parser_->get().body().file().close(ignored);
    file_parser_.reset();
  }
  if (!upload_path_.empty()) {
    ::unlink(upload_path_.c_str());
    upload_path_.clear();
  }
}

void StartConnection(ServerCore& core, tcp::socket socket, bool over_limit) {
  std::shared_ptr<Session> session;
  try {
    session = std::make_shared<Session>(core, std::move(socket));
  } catch (...) {
    core.Unregister(0);  // uncounts it; the socket closes with its moved-from owner
    return;
  }
  session->Start(over_limit);
}

}  // namespace cutroom::server::http::internal
