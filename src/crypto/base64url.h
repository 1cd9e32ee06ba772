// src/crypto/base64url.h: base64url without padding (RFC 4648 §5), the encoding of JWS and JWK.
#pragma once

#include <string>
#include <string_view>

#include "base/status_or.h"

namespace cellar::crypto {

// URL-safe alphabet ('-', '_'), no '=' padding (RFC 7515 §2).
std::string Base64UrlEncode(std::string_view data);
// URL-safe alphabet only, no padding, no whitespace; anything else is InvalidArgument.
StatusOr<std::string> Base64UrlDecode(std::string_view text);

}  // namespace cellar::crypto
