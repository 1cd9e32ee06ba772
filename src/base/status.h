// src/base/status.h: the error value every Cellar module returns instead of throwing.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace cellar {

// Codes are chosen by what the caller does next; src/framework/status_to_http.cc maps them to HTTP.
enum class StatusCode {
  kOk = 0,
  kInvalidArgument,     // the caller's input is wrong: fix it and retry (400)
  kNotFound,            // nothing at this path (404)
  kPermissionDenied,    // token, ACL or policy refuses (403)
  kAlreadyExists,       // create of something that exists (400)
  kFailedPrecondition,  // state forbids it now, e.g. CAS mismatch (400)
  kUnsupported,         // the path exists but not this operation (405)
  kUnknownPath,         // no handler in the mount for this path (404 "unsupported path")
  kSealed,              // the barrier is sealed (503)
  kUnavailable,         // transient: standby without active, storage down (503)
  kTooLarge,            // body or value over a limit (413)
  kResourceExhausted,   // rate or cost limit (429)
  kDeadlineExceeded,    // a time limit was hit (504 mapped to 400 where Vault does)
  kAborted,             // a transaction conflict: retry (409 mapped as 400)
  kInternal,            // a bug or broken storage: logged, shown generically (500)
};

// Returns "InvalidArgument", "NotFound", ... for logs and tests.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "NotFound: no secret at this path", or "OK".
  std::string ToString() const;

  // Returns a copy whose message is "prefix: message", same code.
  Status WithPrefix(std::string_view prefix) const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return Status(); }
inline Status InvalidArgumentError(std::string m) {
  return Status(StatusCode::kInvalidArgument, std::move(m));
}
inline Status NotFoundError(std::string m) { return Status(StatusCode::kNotFound, std::move(m)); }
inline Status PermissionDeniedError(std::string m = "permission denied") {
  return Status(StatusCode::kPermissionDenied, std::move(m));
}
inline Status AlreadyExistsError(std::string m) {
  return Status(StatusCode::kAlreadyExists, std::move(m));
}
inline Status FailedPreconditionError(std::string m) {
  return Status(StatusCode::kFailedPrecondition, std::move(m));
}
inline Status UnsupportedOperationError(std::string m = "unsupported operation") {
  return Status(StatusCode::kUnsupported, std::move(m));
}
inline Status UnknownPathError(std::string m = "unsupported path") {
  return Status(StatusCode::kUnknownPath, std::move(m));
}
inline Status SealedError(std::string m = "Vault is sealed") {
  return Status(StatusCode::kSealed, std::move(m));
}
inline Status UnavailableError(std::string m) {
  return Status(StatusCode::kUnavailable, std::move(m));
}
inline Status TooLargeError(std::string m) { return Status(StatusCode::kTooLarge, std::move(m)); }
inline Status ResourceExhaustedError(std::string m) {
  return Status(StatusCode::kResourceExhausted, std::move(m));
}
inline Status DeadlineExceededError(std::string m) {
  return Status(StatusCode::kDeadlineExceeded, std::move(m));
}
inline Status AbortedError(std::string m) { return Status(StatusCode::kAborted, std::move(m)); }
inline Status InternalError(std::string m) { return Status(StatusCode::kInternal, std::move(m)); }

}  // namespace cellar
