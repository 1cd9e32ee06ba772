// src/crypto/aead.h: AES-256-GCM authenticated encryption with additional data.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status_or.h"

namespace cellar::crypto {

inline constexpr size_t kAesKeySize = 32;
inline constexpr size_t kGcmNonceSize = 12;
inline constexpr size_t kGcmTagSize = 16;

// Returns nonce (12 random bytes) || ciphertext || tag (16 bytes). `aad` is authenticated, not
// stored: the same `aad` must be given to Open. kInvalidArgument if `key` is not 32 bytes.
// Thread-safe.
StatusOr<std::string> AesGcmSeal(std::string_view key, std::string_view plaintext,
                                 std::string_view aad);

// Reverses AesGcmSeal. A wrong key, wrong `aad`, truncated or altered input all give
// kInvalidArgument ("message authentication failed"); no plaintext is ever returned unverified.
StatusOr<std::string> AesGcmOpen(std::string_view key, std::string_view sealed,
                                 std::string_view aad);

// A key prepared once for many calls: the AES key schedule and GHASH tables are computed at
// Create, not per value, which roughly halves the cost of sealing or opening a small value (the
// barrier keeps one per key term). Output and errors are exactly AesGcmSeal's and AesGcmOpen's.
// Thread-safe: each call borrows one of a few keyed contexts (or copies one when all are busy).
// The contexts, key schedule included, are wiped when the last reference goes.
class AesGcmKey {
 public:
  // kInvalidArgument if `key` is not 32 bytes; kInternal if OpenSSL cannot set it up.
  static StatusOr<std::shared_ptr<const AesGcmKey>> Create(std::string_view key);
  ~AesGcmKey();
  AesGcmKey(const AesGcmKey&) = delete;
  AesGcmKey& operator=(const AesGcmKey&) = delete;

  StatusOr<std::string> Seal(std::string_view plaintext, std::string_view aad) const;
  StatusOr<std::string> Open(std::string_view sealed, std::string_view aad) const;

 private:
  struct Impl;
  explicit AesGcmKey(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cellar::crypto
