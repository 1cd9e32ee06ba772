// src/crypto/jws.cc: JWS parsing (compact and flattened) and verification with a PublicKey.
#include "crypto/jws.h"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "crypto/base64url.h"

namespace cellar::crypto {
namespace {

namespace json = boost::json;

StatusOr<std::string> Decode(std::string_view part, std::string_view what) {
  StatusOr<std::string> decoded = Base64UrlDecode(part);
  if (!decoded.ok()) {
    return InvalidArgumentError("JWS " + std::string(what) + " is not base64url");
  }
  return decoded;
}

StatusOr<std::string> OptionalString(const json::object& header, std::string_view name) {
  const json::value* v = header.if_contains(name);
  if (v == nullptr) {
    return std::string();
  }
  if (!v->is_string()) {
    return InvalidArgumentError("JWS header \"" + std::string(name) + "\" must be a string");
  }
  return std::string(v->as_string());
}

StatusOr<JwsHeader> ParseHeader(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return InvalidArgumentError("JWS protected header is not a JSON object");
  }
  const json::object& h = v.as_object();
  // Extensions we do not understand must not be ignored silently (RFC 7515 §4.1.11).
  if (h.contains("crit") || h.contains("b64")) {
    return InvalidArgumentError("JWS header extensions (crit, b64) are not supported");
  }
  JwsHeader header;
  CELLAR_ASSIGN_OR_RETURN(header.alg, OptionalString(h, "alg"));
  if (header.alg.empty() || header.alg == "none") {
    return InvalidArgumentError("JWS header needs an alg (ES256, ES384, RS256 or EdDSA)");
  }
  CELLAR_ASSIGN_OR_RETURN(header.nonce, OptionalString(h, "nonce"));
  CELLAR_ASSIGN_OR_RETURN(header.url, OptionalString(h, "url"));
  CELLAR_ASSIGN_OR_RETURN(header.kid, OptionalString(h, "kid"));
  if (const json::value* jwk = h.if_contains("jwk")) {
    if (!jwk->is_object()) {
      return InvalidArgumentError("JWS header \"jwk\" must be an object");
    }
    header.jwk = json::serialize(*jwk);
  }
  if (header.kid.empty() == header.jwk.empty()) {
    return InvalidArgumentError("JWS header needs exactly one of kid and jwk");
  }
  return header;
}

}  // namespace

StatusOr<JwsMessage> ParseFlattenedJws(std::string_view protected_b64, std::string_view payload_b64,
                                       std::string_view signature_b64) {
  JwsMessage m;
  CELLAR_ASSIGN_OR_RETURN(std::string header_text, Decode(protected_b64, "protected header"));
  CELLAR_ASSIGN_OR_RETURN(m.header, ParseHeader(header_text));
  CELLAR_ASSIGN_OR_RETURN(m.payload, Decode(payload_b64, "payload"));
  CELLAR_ASSIGN_OR_RETURN(m.signature, Decode(signature_b64, "signature"));
  if (m.signature.empty()) {
    return InvalidArgumentError("JWS signature is empty");
  }
  m.signing_input = std::string(protected_b64) + "." + std::string(payload_b64);
  return m;
}

StatusOr<JwsMessage> ParseCompactJws(std::string_view compact) {
  size_t first = compact.find('.');
  size_t second = first == std::string_view::npos ? first : compact.find('.', first + 1);
  if (second == std::string_view::npos || compact.find('.', second + 1) != std::string_view::npos) {
    return InvalidArgumentError("a compact JWS has three parts separated by '.'");
  }
  return ParseFlattenedJws(compact.substr(0, first), compact.substr(first + 1, second - first - 1),
                           compact.substr(second + 1));
}

Status VerifyJws(const JwsMessage& message, const PublicKey& key) {
  return key.VerifyJws(message.header.alg, message.signing_input, message.signature);
}

}  // namespace cellar::crypto
