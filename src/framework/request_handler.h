// src/framework/request_handler.h: the entry point that takes a logical request end to end
// (routing, token, ACL, leases); the core implements it, HTTP and profiles call it.
#pragma once

#include <memory>

#include "base/status_or.h"
#include "framework/logical.h"
#include "framework/request_scope.h"

namespace cellar::framework {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;

  // `request.path` is the full API path without "/v1/" ("secret/data/app"), `request.caller.token`
  // the raw token, `operation` kUpdate for POST/PUT (the core turns it into kCreate when the target
  // does not exist). Thread-safe. The Status code says which HTTP status to answer.
  virtual StatusOr<Response> HandleRequest(Request& request) = 0;

  // A scope for a group of requests (Request::scope). `transactional`: their storage writes are
  // buffered, seen by the scope's own requests only, until Commit. Handlers without scopes
  // answer Unsupported.
  virtual StatusOr<std::unique_ptr<RequestScope>> BeginScope(bool transactional) {
    (void)transactional;
    return UnsupportedOperationError("this request handler has no request scopes");
  }
};

}  // namespace cellar::framework
