// src/crypto/encoding.cc: hex by hand, base64 through OpenSSL's EVP_EncodeBlock/EVP_DecodeBlock.
#include "crypto/encoding.h"

#include <openssl/evp.h>

namespace cellar::crypto {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool IsBase64Char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}

}  // namespace

std::string HexEncode(std::string_view data) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(data.size() * 2, '\0');
  char* p = out.data();
  for (unsigned char c : data) {
    *p++ = kHex[c >> 4];
    *p++ = kHex[c & 0x0f];
  }
  return out;
}

StatusOr<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return InvalidArgumentError("hex string has an odd length");
  }
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexValue(hex[i]);
    int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return InvalidArgumentError("invalid hex character");
    }
    out.push_back(static_cast<char>(hi << 4 | lo));
  }
  return out;
}

std::string Base64Encode(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string Base64EncodeUnpadded(std::string_view data) {
  std::string out = Base64Encode(data);
  while (!out.empty() && out.back() == '=') {
    out.pop_back();
  }
  return out;
}

StatusOr<std::string> Base64Decode(std::string_view text) {
  // EVP_DecodeBlock skips whitespace and cannot report padding length, so validate strictly here.
  size_t body = text.size();
  size_t padding = 0;
  while (body > 0 && text[body - 1] == '=' && padding < 2) {
    --body;
    ++padding;
  }
  for (size_t i = 0; i < body; ++i) {
    if (!IsBase64Char(text[i])) {
      return InvalidArgumentError("invalid base64 character");
    }
  }
  if (body % 4 == 1 || (padding > 0 && (body + padding) % 4 != 0)) {
    return InvalidArgumentError("invalid base64 length");
  }
  std::string padded(text.substr(0, body));
  padded.append((4 - body % 4) % 4, '=');
  std::string out(padded.size() / 4 * 3 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(padded.data()),
                          static_cast<int>(padded.size()));
  if (n < 0) {
    return InvalidArgumentError("invalid base64");
  }
  // EVP_DecodeBlock counts padding as zero bytes; drop them.
  size_t pad = padded.size() - body;
  out.resize(static_cast<size_t>(n) - pad);
  return out;
}

}  // namespace cellar::crypto
