// src/framework/status_to_http.cc: the only place a StatusCode becomes an HTTP status (STYLE.md
// §3).
#include "framework/status_to_http.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace cellar::framework {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    // Vault answers every user mistake, CAS mismatch and conflict with 400 (no 409/412).
    case StatusCode::kInvalidArgument:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
    case StatusCode::kAborted:
    case StatusCode::kDeadlineExceeded:
      return 400;
    case StatusCode::kPermissionDenied:
      return 403;  // never 401: hvac treats 403 on lookup-self as "logged out"
    case StatusCode::kNotFound:
    case StatusCode::kUnknownPath:
      return 404;
    case StatusCode::kUnsupported:
      return 405;
    case StatusCode::kTooLarge:
      return 413;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kSealed:
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string ErrorBody(const Status& status) {
  boost::json::array errors;
  if (status.code() == StatusCode::kInternal) {
    errors.emplace_back("internal error");  // the detail may name storage keys or internals
  } else if (!status.message().empty()) {
    errors.emplace_back(status.message());
  }
  boost::json::object body;
  body["errors"] = std::move(errors);
  return boost::json::serialize(body);
}

std::string ErrorBodyFromMessage(std::string_view message) {
  boost::json::array errors;
  errors.emplace_back(message);
  boost::json::object body;
  body["errors"] = std::move(errors);
  return boost::json::serialize(body);
}

}  // namespace cellar::framework
