// src/framework/request_handler.h: the entry point that takes a logical request end to end
// (routing, token, ACL, leases); the core implements it, HTTP and profiles call it.
#pragma once

#include "base/status_or.h"
#include "framework/logical.h"

namespace cellar::framework {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;

  // `request.path` is the full API path without "/v1/" ("secret/data/app"), `request.caller.token`
  // the raw token, `operation` kUpdate for POST/PUT (the core turns it into kCreate when the target
  // does not exist). Thread-safe. The Status code says which HTTP status to answer.
  virtual StatusOr<Response> HandleRequest(Request& request) = 0;
};

}  // namespace cellar::framework
