// src/profiles/nonces.cc: the outstanding-nonce set with expiry and a size bound.
#include "profiles/nonces.h"

#include "crypto/base64url.h"
#include "crypto/random.h"

namespace cellar::profiles {

std::string NonceStore::Issue(std::chrono::seconds ttl) {
  std::string nonce = crypto::Base64UrlEncode(crypto::RandomBytes(16));
  TimePoint now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  DropStaleLocked(now);
  if (order_.size() >= 2 * capacity_) {
    // Used nonces linger in order_ behind a live one; compact so the queue stays bounded.
    std::deque<std::string> live;
    for (std::string& n : order_) {
      if (expiry_.contains(n)) {
        live.push_back(std::move(n));
      }
    }
    order_.swap(live);
  }
  while (expiry_.size() >= capacity_ && !order_.empty()) {
    expiry_.erase(order_.front());
    order_.pop_front();
  }
  expiry_[nonce] = now + ttl;
  order_.push_back(nonce);
  return nonce;
}

Status NonceStore::Consume(std::string_view nonce) {
  TimePoint now = clock_.Now();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = expiry_.find(std::string(nonce));
  if (it == expiry_.end()) {
    return PermissionDeniedError(
        "nonce is unknown or already used: get a new one from sys/profiles/nonce");
  }
  bool expired = it->second <= now;
  expiry_.erase(it);  // the order_ entry goes when it reaches the front
  if (expired) {
    return PermissionDeniedError("nonce expired: get a new one from sys/profiles/nonce");
  }
  return OkStatus();
}

size_t NonceStore::outstanding() const {
  std::lock_guard<std::mutex> lock(mu_);
  return expiry_.size();
}

// Drops, from the front, entries already used or expired. TTLs may differ between nonces (the
// configured TTL can change), so an expired nonce behind a live one waits for its turn; Consume
// still refuses it.
void NonceStore::DropStaleLocked(TimePoint now) {
  while (!order_.empty()) {
    auto it = expiry_.find(order_.front());
    if (it != expiry_.end() && it->second > now) {
      return;
    }
    if (it != expiry_.end()) {
      expiry_.erase(it);
    }
    order_.pop_front();
  }
}

}  // namespace cellar::profiles
