// src/http/dispatch.cc: the request pipeline between the listener and the core.
#include "http/dispatch.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <random>

#include "framework/status_to_http.h"
#include "http/envelope.h"
#include "http/request_mapping.h"

namespace cellar::http {

WireResponse WireError(int status, std::string_view message) {
  WireResponse wire;
  wire.status = status;
  wire.body = framework::ErrorBodyFromMessage(message);
  return wire;
}

std::string NewRequestId() {
  // Request ids need uniqueness, not secrecy: a per-thread generator avoids a lock.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t hi = rng();
  uint64_t lo = rng();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;                         // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  // 8-4-4-4-12 hex digits, written by hand: snprintf costs more than the rest of the id.
  static constexpr char kHex[] = "0123456789abcdef";
  static constexpr uint8_t kDigitPos[32] = {0,  1,  2,  3,  4,  5,  6,  7,  9,  10, 11,
                                            12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25,
                                            26, 27, 28, 29, 30, 31, 32, 33, 34, 35};
  std::string id(36, '-');
  for (int i = 0; i < 16; ++i) {
    id[kDigitPos[i]] = kHex[(hi >> (60 - 4 * i)) & 0xF];
    id[kDigitPos[16 + i]] = kHex[(lo >> (60 - 4 * i)) & 0xF];
  }
  return id;
}

namespace {

WireResponse DispatchMapped(const WireRequest& wire, framework::RequestHandler& handler) {
  bool is_head = false;
  auto mapped = MapRequest(wire, NewRequestId(), &is_head);
  if (auto* answer = std::get_if<WireResponse>(&mapped)) {
    return std::move(*answer);
  }
  framework::Request& request = std::get<framework::Request>(mapped);
  StatusOr<framework::Response> result = [&]() -> StatusOr<framework::Response> {
    try {
      return handler.HandleRequest(request);
    } catch (const std::exception& e) {
      // The core must not throw; if it does, the connection still gets an answer.
      return InternalError(std::string("uncaught exception: ") + e.what());
    }
  }();
  WireResponse out;
  if (!result.ok()) {
    const Status& status = result.status();
    if (status.code() == StatusCode::kInternal) {
      spdlog::error("request {} {}: {}", request.request_id, request.path, status.message());
    }
    out.status = framework::HttpStatusFor(status.code());
    out.body = framework::ErrorBody(status);
  } else if (!result->redirect_to.empty()) {
    // An HA standby: the same request, at the active node (clients resend method and body).
    out.status = 307;
    out.location = result->redirect_to + wire.target;
  } else {
    out = RenderResponse(*result, request);
  }
  out.omit_body = is_head;
  return out;
}

}  // namespace

WireResponse Dispatch(const WireRequest& wire, framework::RequestHandler& handler) {
  auto start = std::chrono::steady_clock::now();
  WireResponse out = DispatchMapped(wire, handler);
  if (spdlog::should_log(spdlog::level::debug)) {
    auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
    // Only method, path and status: tokens and bodies never reach the log.
    std::string_view target = wire.target;
    target = target.substr(0, target.find('?'));  // query values may be secrets
    spdlog::debug("{} {} {} -> {} ({} us)", wire.remote_addr, wire.method, target, out.status,
                  micros);
  }
  return out;
}

}  // namespace cellar::http
