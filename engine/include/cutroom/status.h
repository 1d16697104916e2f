// Status and Result<T>: errors as values (LevelDB/absl style). No exception crosses a module
// boundary; adapters that call throwing code catch at the edge and return a Status.
//
// Thread safety: value types; distinct objects may be used from different threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace cutroom {

// The error codes drive retry policy in the job engine: kUnavailable and kResourceExhausted are
// transient; kInvalidArgument, kNotFound and kDataLoss are permanent.
enum class StatusCode {
  kOk = 0,
  kCancelled,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kResourceExhausted,
  kFailedPrecondition,
  kOutOfRange,
  kUnimplemented,
  kInternal,
  kUnavailable,
  kDataLoss,
  kDeadlineExceeded,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "context: message". OK statuses stay OK.
  Status WithContext(std::string_view context) const;
  // "InvalidArgument: message" (or "OK").
  std::string ToString() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status CancelledError(std::string message);
Status InvalidArgumentError(std::string message);
Status NotFoundError(std::string message);
Status AlreadyExistsError(std::string message);
Status PermissionDeniedError(std::string message);
Status ResourceExhaustedError(std::string message);
Status FailedPreconditionError(std::string message);
Status OutOfRangeError(std::string message);
Status UnimplementedError(std::string message);
Status InternalError(std::string message);
Status UnavailableError(std::string message);
Status DataLossError(std::string message);
Status DeadlineExceededError(std::string message);

// Result<T> holds either a T or a non-OK Status.
// REQUIRES: value() only when ok(); constructing from an OK Status is a programming error and
// is turned into an Internal error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit like absl::StatusOr
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = InternalError("Result constructed from an OK status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const& { return status_; }
  Status status() && { return std::move(status_); }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T&& operator*() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace cutroom

#define CR_CONCAT_INNER_(a, b) a##b
#define CR_CONCAT_(a, b) CR_CONCAT_INNER_(a, b)

// Returns from the calling function when `expr` (a Status) is not OK.
#define CR_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::cutroom::Status cr_status_ = (expr);   \
    if (!cr_status_.ok()) return cr_status_; \
  } while (0)

// `lhs = value of expr` (a Result<T>), or returns its Status from the calling function.
#define CR_ASSIGN_OR_RETURN(lhs, expr) \
  CR_ASSIGN_OR_RETURN_IMPL_(CR_CONCAT_(cr_result_, __LINE__), lhs, expr)
#define CR_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).status();  \
  lhs = std::move(tmp).value()
