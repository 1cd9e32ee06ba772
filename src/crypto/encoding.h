// src/crypto/encoding.h: hex and base64 encoding of binary strings.
#pragma once

#include <string>
#include <string_view>

#include "base/status_or.h"

namespace cellar::crypto {

// Lowercase hex.
std::string HexEncode(std::string_view data);
// Accepts upper- or lowercase; odd length or a non-hex character is kInvalidArgument.
StatusOr<std::string> HexDecode(std::string_view hex);

// Standard alphabet with '=' padding.
std::string Base64Encode(std::string_view data);
// Standard alphabet without padding (Go's RawStdEncoding; Vault's generate-root encoded_token).
std::string Base64EncodeUnpadded(std::string_view data);
// Standard alphabet, padding optional; anything else (whitespace, URL alphabet, bad length) is
// kInvalidArgument.
StatusOr<std::string> Base64Decode(std::string_view text);

}  // namespace cellar::crypto
