// src/crypto/shamir.h: Shamir's secret sharing over GF(2^8), byte-compatible with Vault's layout.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"

namespace cellar::crypto::shamir {

// Splits `secret` into `shares` parts of which any `threshold` recover it. Each part is
// secret.size() + 1 bytes: the polynomial values for every secret byte, then the x-coordinate
// (distinct, non-zero, random). Rules as Vault: 1 <= threshold <= shares <= 255; threshold 1 only
// with a single share (a 1-of-n split would hand the secret to everyone); secret not empty.
// Violations are kInvalidArgument.
StatusOr<std::vector<std::string>> Split(std::string_view secret, int shares, int threshold);

// Recovers the secret from parts made by Split. Fewer than the threshold give a wrong value, not
// an error (Shamir cannot tell); callers check the result (e.g. by decrypting with it).
// kInvalidArgument when there are no parts, lengths differ, a part is shorter than 2 bytes, or
// two parts share an x-coordinate (a duplicated share).
StatusOr<std::string> Combine(std::span<const std::string> parts);

// GF(2^8) arithmetic with the AES polynomial x^8+x^4+x^3+x+1, exposed for tests.
unsigned char GfMul(unsigned char a, unsigned char b);
unsigned char GfInverse(unsigned char a);  // GfInverse(0) is 0

}  // namespace cellar::crypto::shamir
