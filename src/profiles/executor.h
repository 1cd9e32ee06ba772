// src/profiles/executor.h: runs a validated profile: input checks, stages of concurrent
// sub-requests through the RequestHandler, for_each, errors, lease clean-up, output.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "base/status_or.h"
#include "framework/request_handler.h"
#include "profiles/profile.h"

namespace cellar::profiles {

struct Step {
  std::string name;  // "cert" or "app_config[web]"
  std::string path;
  std::string operation;
  int status = 0;  // HTTP-like: 200, 204, 400, 403, 404, ...
  double duration_ms = 0;
  boost::json::value request;   // the sub-request's data, values redacted
  boost::json::value response;  // its envelope, values redacted
  std::string error;
};

struct ExecutionOptions {
  std::string token;           // the caller's token; sub-requests are authorised with it
  std::string namespace_path;  // "" or "ns1/": sub-request paths are relative to it
  std::string remote_addr;
  std::string profile_name;  // for error messages and audit tagging
  // When set, a redacted step per sub-request is appended here (debug), also on failure.
  std::vector<Step>* trace = nullptr;
  // Sub-requests of one stage in flight at once. A stage whose requests have so far been quick
  // (CostHint) runs on the calling thread instead: a hand-off would cost more than it saves.
  int max_parallel = 16;
};

struct ExecutionResult {
  boost::json::value output;
  std::string execution_id;
};

// Checks the body against the input block: every declared field present unless optional, of its
// type, and nothing undeclared. Returns the data with absent optional fields set to null.
// InvalidArgument naming every bad field.
StatusOr<boost::json::object> CheckInput(const Profile& profile, const boost::json::object& input);

// Thread-safe: one Executor may run many executions at once (each keeps its own state).
class Executor {
 public:
  explicit Executor(framework::RequestHandler& handler) : handler_(handler) {}

  // Runs `profile`. Sub-requests carry `options.token` (or the auth block's token),
  // via_profile = true and the execution's RequestScope (handler.BeginScope): on any failure the
  // scope is aborted (the leases and tokens the sub-requests created are revoked with the
  // server's authority; for `transaction = true` no storage write happens), on success it is
  // committed. Errors: InvalidArgument for bad input or an output that does not evaluate; for a
  // fatal request, the request's own code with the message
  // `request "cert" (pki/issue/web) failed with status 403: <message>`; DeadlineExceeded past
  // `timeout` (checked before and after each stage); InvalidArgument past `max_requests`
  // (counted after for_each expansion, before the stage runs).
  StatusOr<ExecutionResult> Execute(const Profile& profile, const boost::json::object& input,
                                    const ExecutionOptions& options) const;

  // Dry run: for each request {name, operation, path (null until run), depends_on, allowed},
  // where `allowed` comes from sys/capabilities-self for the caller's token (null when the path
  // is not known before running or there is no token). Executes nothing else.
  StatusOr<boost::json::array> Plan(const Profile& profile, const boost::json::object& input,
                                    const ExecutionOptions& options) const;

 private:
  framework::RequestHandler& handler_;
};

}  // namespace cellar::profiles
