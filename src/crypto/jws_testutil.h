// src/crypto/jws_testutil.h: a signing key for tests that need JWS messages (crypto, profiles).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace cellar::crypto {

struct FlattenedJws {
  std::string protected_b64;
  std::string payload_b64;
  std::string signature_b64;
  std::string Compact() const { return protected_b64 + "." + payload_b64 + "." + signature_b64; }
};

// A freshly generated private key. Test-only: aborts when OpenSSL fails.
class TestSigner {
 public:
  // `alg`: "ES256", "ES384", "RS256" (2048 bits) or "EdDSA" (Ed25519).
  explicit TestSigner(std::string_view alg);
  ~TestSigner();
  TestSigner(TestSigner&&) noexcept;

  const std::string& alg() const { return alg_; }
  std::string PublicPem() const;
  // Signs base64url(protected_json) "." base64url(payload) as RFC 7518 says for alg.
  FlattenedJws Sign(std::string_view protected_json, std::string_view payload) const;

 private:
  struct Key;
  std::string alg_;
  std::unique_ptr<Key> key_;
};

}  // namespace cellar::crypto
