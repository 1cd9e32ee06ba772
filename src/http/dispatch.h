// src/http/dispatch.h: one HTTP exchange end to end: map, call the core, render, log.
#pragma once

#include "framework/request_handler.h"
#include "http/wire.h"

namespace cellar::http {

// Answers `wire` by calling `handler` (unless the mapping already answers it). Never throws;
// logs one debug line per request (method, path, status, time; never a token or a body) and the
// detail of an internal error. Thread-safe if `handler` is.
WireResponse Dispatch(const WireRequest& wire, framework::RequestHandler& handler);

// A random RFC 4122 version 4 UUID, e.g. for request ids.
std::string NewRequestId();

}  // namespace cellar::http
