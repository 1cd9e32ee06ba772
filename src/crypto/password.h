// src/crypto/password.h: slow salted password hashes (scrypt) for userpass and similar logins.
#pragma once

#include <string>
#include <string_view>

#include "base/status_or.h"

namespace cellar::crypto {

// scrypt cost: N = 2^log2_n, block size r, parallelism p.
struct ScryptParams {
  int log2_n = 14;  // 16 MiB and ~80 ms per hash on a small server: near bcrypt cost 10 (Vault)
  int r = 8;
  int p = 1;
};

// Returns "$scrypt$ln=14,r=8,p=1$<salt>$<hash>" (unpadded base64, 16-byte random salt, 32-byte
// hash), so parameters can be raised later without breaking stored hashes. kInvalidArgument for
// parameters outside ln 1..20, r 1..32, p 1..16.
StatusOr<std::string> HashPassword(std::string_view password, ScryptParams params = {});

// True when `password` matches `encoded` (made by HashPassword). A malformed `encoded` is false.
// The comparison is constant-time.
bool VerifyPassword(std::string_view password, std::string_view encoded);

// Burns the time of one VerifyPassword with default parameters and returns false. Call it when the
// user does not exist, so an unknown user and a wrong password cannot be told apart by timing.
bool DummyVerify(std::string_view password);

}  // namespace cellar::crypto
