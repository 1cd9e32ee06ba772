// src/crypto/jws_signer.h: a private key that signs JWS messages the way an ACME client does
// (clients: the CLI's signed profile inputs; tests).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status_or.h"
#include "crypto/public_key.h"

namespace cellar::crypto {

struct FlattenedJws {
  std::string protected_b64;
  std::string payload_b64;
  std::string signature_b64;
  std::string Compact() const { return protected_b64 + "." + payload_b64 + "." + signature_b64; }
};

// An EC (P-256, P-384), RSA (2048 bits or more) or Ed25519 private key. Copies share the key.
// Thread-safe.
class JwsSigner {
 public:
  // PEM private key (PKCS#8 "BEGIN PRIVATE KEY", or the traditional EC/RSA forms). InvalidArgument
  // otherwise, or for a key type PublicKey does not accept.
  static StatusOr<JwsSigner> FromPem(std::string_view pem);
  // A new key for `alg`: "ES256", "ES384", "RS256" (2048 bits) or "EdDSA" (Ed25519).
  static StatusOr<JwsSigner> Generate(std::string_view alg);

  // The JWS alg this key signs with, and its public half.
  std::string_view alg() const { return public_key_.algorithm(); }
  const PublicKey& public_key() const { return public_key_; }
  std::string PublicPem() const { return public_key_.Pem(); }

  // Signs base64url(protected_json) "." base64url(payload) as RFC 7518 says for alg() (ES*
  // signatures as r||s). Internal error only if OpenSSL fails.
  StatusOr<FlattenedJws> Sign(std::string_view protected_json, std::string_view payload) const;

  struct Key;

 private:
  JwsSigner(std::shared_ptr<const Key> key, PublicKey public_key)
      : key_(std::move(key)), public_key_(std::move(public_key)) {}
  static StatusOr<JwsSigner> FromKey(std::shared_ptr<Key> key);

  std::shared_ptr<const Key> key_;
  PublicKey public_key_;
};

}  // namespace cellar::crypto
