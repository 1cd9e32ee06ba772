// src/crypto/random.cc: OpenSSL RAND_bytes and the formats built on it.
#include "crypto/random.h"

#include <openssl/rand.h>

#include <cstdio>
#include <cstdlib>

namespace cellar::crypto {

namespace {
constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
}  // namespace

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::fputs("cellar: OpenSSL RAND_bytes failed; refusing to continue\n", stderr);
    std::abort();
  }
  return out;
}

std::string RandomBase62(size_t n) {
  std::string out;
  out.reserve(n);
  while (out.size() < n) {
    std::string pool = RandomBytes(n - out.size() + 8);
    for (unsigned char c : pool) {
      // 248 = 4 * 62: bytes above it are dropped so every character is equally likely.
      if (c < 248 && out.size() < n) {
        out.push_back(kBase62[c % 62]);
      }
    }
  }
  return out;
}

std::string NewUuid() {
  std::string b = RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      out.push_back('-');
    }
    unsigned char c = static_cast<unsigned char>(b[i]);
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0x0f]);
  }
  return out;
}

std::string NewToken() { return "hvs." + RandomBase62(24); }

std::string NewAccessor() { return RandomBase62(24); }

}  // namespace cellar::crypto
