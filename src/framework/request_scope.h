// src/framework/request_scope.h: a group of requests (one profile execution) whose side effects
// the request handler can commit together or undo together.
#pragma once

#include "base/status.h"

namespace cellar::framework {

// Created by RequestHandler::BeginScope; requests that carry it (Request::scope) have their
// storage writes buffered (when transactional) and their leases and tokens recorded. Exactly one
// of Commit or Abort ends it; a scope ended by neither is aborted when destroyed. Thread-safe:
// requests of one scope may run concurrently.
class RequestScope {
 public:
  virtual ~RequestScope() = default;

  // Makes the buffered writes durable in one atomic storage commit. On error nothing was written
  // and the scope has been aborted.
  virtual Status Commit() = 0;

  // Drops the buffered writes and revokes, with the server's own authority, every lease and token
  // the scope's requests created. Best effort: what cannot be revoked now still expires.
  virtual void Abort() = 0;
};

}  // namespace cellar::framework
