// src/crypto/aead.h: AES-256-GCM authenticated encryption with additional data.
#pragma once

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

}  // namespace cellar::crypto
