// src/crypto/jws.h: parses JWS messages (RFC 7515) in the ACME shape (RFC 8555 §6.2): one
// signature, everything in the protected header, which names the key by `kid` or carries a `jwk`.
#pragma once

#include <string>
#include <string_view>

#include "base/status_or.h"
#include "crypto/public_key.h"

namespace cellar::crypto {

struct JwsHeader {
  std::string alg;
  std::string nonce;  // "" when absent (the caller decides whether it is required)
  std::string url;    // "" when absent
  std::string kid;    // exactly one of kid and jwk is set
  std::string jwk;    // the embedded public JWK as JSON text
};

struct JwsMessage {
  JwsHeader header;
  std::string payload;        // decoded
  std::string signing_input;  // ASCII(BASE64URL(protected) "." BASE64URL(payload)), as sent
  std::string signature;      // decoded
};

// The compact serialization "protected.payload.signature".
StatusOr<JwsMessage> ParseCompactJws(std::string_view compact);
// The flattened JSON serialization's three members, still base64url.
StatusOr<JwsMessage> ParseFlattenedJws(std::string_view protected_b64, std::string_view payload_b64,
                                       std::string_view signature_b64);
// Both parsers refuse (InvalidArgument, message naming the problem): bad base64url, a protected
// header that is not a JSON object, a missing or "none" alg, both or neither of kid and jwk,
// non-string kid/nonce/url, a `crit` member, and `b64` (unencoded payloads).

// Verifies `message` with `key`: PermissionDenied when the signature or algorithm does not match.
Status VerifyJws(const JwsMessage& message, const PublicKey& key);

}  // namespace cellar::crypto
