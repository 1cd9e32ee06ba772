// src/profiles/nonces.h: single-use, expiring nonces for signed profile inputs (ACME's
// Replay-Nonce, RFC 8555 §6.5).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/clock.h"
#include "base/status.h"

namespace cellar::profiles {

// Remembers the nonces it handed out that are still unused and unexpired, in memory. A nonce is
// accepted once, only if it is in that set: a restart forgets every outstanding nonce, so a
// message signed before the restart can never be replayed after it (the client simply asks for a
// new nonce), and nothing has to be written to storage per request. At most `capacity` nonces are
// outstanding; past that the oldest is forgotten (its holder gets "unknown nonce" and retries).
// Thread-safe.
class NonceStore {
 public:
  explicit NonceStore(const Clock& clock, size_t capacity = 100'000)
      : clock_(clock), capacity_(capacity) {}

  // A fresh nonce (22 base64url characters, 128 random bits) valid for `ttl`.
  std::string Issue(std::chrono::seconds ttl);

  // Accepts `nonce` once. PermissionDenied when it was never issued, was already used, was
  // forgotten, or has expired (the message says which of "expired" and "unknown or already used").
  Status Consume(std::string_view nonce);

  size_t outstanding() const;

 private:
  void DropStaleLocked(TimePoint now);

  const Clock& clock_;
  const size_t capacity_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, TimePoint> expiry_;  // GUARDED_BY(mu_)
  std::deque<std::string> order_;                      // GUARDED_BY(mu_); issue order
};

}  // namespace cellar::profiles
