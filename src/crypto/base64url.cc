// src/crypto/base64url.cc: base64url as a translation of the standard alphabet.
#include "crypto/base64url.h"

#include "crypto/encoding.h"

namespace cellar::crypto {

std::string Base64UrlEncode(std::string_view data) {
  std::string out = Base64EncodeUnpadded(data);
  for (char& c : out) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    }
  }
  return out;
}

StatusOr<std::string> Base64UrlDecode(std::string_view text) {
  std::string standard(text);
  for (char& c : standard) {
    // The standard alphabet's '+', '/' and '=' are errors here: JWS forbids them.
    if (c == '+' || c == '/' || c == '=') {
      return InvalidArgumentError("invalid base64url character");
    }
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    }
  }
  StatusOr<std::string> decoded = Base64Decode(standard);
  if (!decoded.ok()) {
    return InvalidArgumentError("invalid base64url");
  }
  return decoded;
}

}  // namespace cellar::crypto
