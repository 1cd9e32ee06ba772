// src/crypto/jws_testutil.h: a freshly generated signing key for tests (crypto, profiles, fuzz).
#pragma once

#include <string_view>

#include "crypto/jws_signer.h"

namespace cellar::crypto {

// A JwsSigner with a new key. Test-only: aborts when OpenSSL fails.
class TestSigner {
 public:
  // `alg`: "ES256", "ES384", "RS256" or "EdDSA".
  explicit TestSigner(std::string_view alg);

  std::string alg() const { return std::string(signer_.alg()); }
  std::string PublicPem() const { return signer_.PublicPem(); }
  FlattenedJws Sign(std::string_view protected_json, std::string_view payload) const;

 private:
  JwsSigner signer_;
};

}  // namespace cellar::crypto
