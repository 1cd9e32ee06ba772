// src/crypto/hash.h: SHA-256, HMAC-SHA256 and constant-time comparison.
#pragma once

#include <string>
#include <string_view>

namespace cellar::crypto {

// The 32-byte digest.
std::string Sha256(std::string_view data);
// The digest as 64 lowercase hex characters.
std::string Sha256Hex(std::string_view data);

// The 32-byte HMAC-SHA256 of `data` under `key` (any key length).
std::string HmacSha256(std::string_view key, std::string_view data);
// The MAC as 64 lowercase hex characters (audit logs write "hmac-sha256:<hex>").
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// True when equal. Time depends only on the lengths, never on where the bytes differ, so comparing
// a secret with a guess leaks nothing about its prefix.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace cellar::crypto
