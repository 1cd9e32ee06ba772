// src/crypto/public_key.h: public keys from PEM or JWK, their RFC 7638 thumbprints, and JWS
// signature verification (ES256, ES384, RS256, EdDSA) over OpenSSL 3.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status_or.h"

namespace cellar::crypto {

// An EC (P-256, P-384), RSA (2048 bits or more) or Ed25519 public key. Immutable; copies share
// the key. Thread-safe.
class PublicKey {
 public:
  // A PEM SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----"). InvalidArgument otherwise, or for
  // a key type or size this class does not accept.
  static StatusOr<PublicKey> FromPem(std::string_view pem);
  // A JWK as JSON text (RFC 7517): kty EC (crv P-256 or P-384, x, y), RSA (n, e) or OKP
  // (crv Ed25519, x). Private members ("d", ...) are refused. InvalidArgument otherwise.
  static StatusOr<PublicKey> FromJwk(std::string_view json);
  // FromJwk when `text` starts with '{', else FromPem.
  static StatusOr<PublicKey> Parse(std::string_view text);

  // "EC", "RSA" or "OKP" (the JWK kty).
  std::string_view kty() const;
  // The JWS algorithm this key verifies: "ES256", "ES384", "RS256" or "EdDSA".
  std::string_view algorithm() const;
  // The JWK with only its required public members, keys sorted, no whitespace (RFC 7638 §3.2).
  const std::string& canonical_jwk() const;
  // base64url(SHA-256(canonical_jwk)): the key's RFC 7638 thumbprint.
  std::string Thumbprint() const;
  // PEM SubjectPublicKeyInfo.
  std::string Pem() const;

  // Checks a JWS signature (RFC 7518 §3: ES* signatures are r||s, not DER). `alg` must be the
  // key's algorithm() (no algorithm confusion). PermissionDenied for a signature that does not
  // verify or an algorithm this key does not use; InvalidArgument for a malformed signature.
  Status VerifyJws(std::string_view alg, std::string_view signing_input,
                   std::string_view signature) const;

  struct Rep;

 private:
  explicit PublicKey(std::shared_ptr<const Rep> rep) : rep_(std::move(rep)) {}
  static StatusOr<PublicKey> FromRep(std::shared_ptr<Rep> rep);
  std::shared_ptr<const Rep> rep_;
};

}  // namespace cellar::crypto
