// src/crypto/shamir.cc: random polynomials per secret byte, Lagrange interpolation at x = 0.
#include "crypto/shamir.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <set>

#include "crypto/random.h"

namespace cellar::crypto::shamir {

unsigned char GfMul(unsigned char a, unsigned char b) {
  // Branch-free shift-and-add so timing does not depend on key bytes.
  unsigned char result = 0;
  for (int i = 0; i < 8; ++i) {
    result ^= static_cast<unsigned char>(-(b & 1) & a);
    unsigned char carry = static_cast<unsigned char>(-(a >> 7));
    a = static_cast<unsigned char>((a << 1) ^ (carry & 0x1b));
    b >>= 1;
  }
  return result;
}

unsigned char GfInverse(unsigned char a) {
  // a^254 = a^-1 in GF(2^8) (and maps 0 to 0).
  unsigned char result = 1;
  unsigned char base = a;
  for (int e = 254; e > 0; e >>= 1) {
    if (e & 1) {
      result = GfMul(result, base);
    }
    base = GfMul(base, base);
  }
  return result;
}

namespace {

// Horner evaluation of coefficients (constant term first) at x.
unsigned char Evaluate(const std::string& coefficients, unsigned char x) {
  unsigned char y = 0;
  for (size_t i = coefficients.size(); i-- > 0;) {
    y = GfMul(y, x) ^ static_cast<unsigned char>(coefficients[i]);
  }
  return y;
}

// Distinct x-coordinates in 1..255, in random order (a Fisher-Yates shuffle).
std::vector<unsigned char> RandomXCoordinates(int count) {
  std::vector<unsigned char> xs(255);
  for (int i = 0; i < 255; ++i) {
    xs[i] = static_cast<unsigned char>(i + 1);
  }
  std::string noise = RandomBytes(255 * 4);
  for (int i = 254; i > 0; --i) {
    uint32_t r = 0;
    for (int k = 0; k < 4; ++k) {
      r = r << 8 | static_cast<unsigned char>(noise[i * 4 + k]);
    }
    std::swap(xs[i], xs[r % static_cast<uint32_t>(i + 1)]);
  }
  xs.resize(static_cast<size_t>(count));
  return xs;
}

}  // namespace

StatusOr<std::vector<std::string>> Split(std::string_view secret, int shares, int threshold) {
  if (secret.empty()) {
    return InvalidArgumentError("cannot split an empty secret");
  }
  if (shares < 1 || shares > 255) {
    return InvalidArgumentError("number of shares must be between 1 and 255");
  }
  if (threshold < 1 || threshold > shares) {
    return InvalidArgumentError("threshold must be between 1 and the number of shares");
  }
  if (threshold == 1 && shares > 1) {
    return InvalidArgumentError("threshold must be greater than one for multiple shares");
  }
  std::vector<unsigned char> xs = RandomXCoordinates(shares);
  std::vector<std::string> out(static_cast<size_t>(shares), std::string(secret.size() + 1, '\0'));
  std::string coefficients(static_cast<size_t>(threshold), '\0');
  for (size_t byte = 0; byte < secret.size(); ++byte) {
    coefficients[0] = secret[byte];
    std::string random = RandomBytes(static_cast<size_t>(threshold - 1));
    std::copy(random.begin(), random.end(), coefficients.begin() + 1);
    for (int s = 0; s < shares; ++s) {
      out[s][byte] = static_cast<char>(Evaluate(coefficients, xs[s]));
    }
  }
  OPENSSL_cleanse(coefficients.data(), coefficients.size());
  for (int s = 0; s < shares; ++s) {
    out[s].back() = static_cast<char>(xs[s]);
  }
  return out;
}

StatusOr<std::string> Combine(std::span<const std::string> parts) {
  if (parts.empty()) {
    return InvalidArgumentError("no shares to combine");
  }
  size_t length = parts[0].size();
  if (length < 2) {
    return InvalidArgumentError("share is too short");
  }
  std::set<unsigned char> seen;
  std::vector<unsigned char> xs;
  for (const std::string& part : parts) {
    if (part.size() != length) {
      return InvalidArgumentError("shares have different lengths");
    }
    unsigned char x = static_cast<unsigned char>(part.back());
    if (x == 0 || !seen.insert(x).second) {
      return InvalidArgumentError("duplicate or invalid share");
    }
    xs.push_back(x);
  }
  // Lagrange basis at 0: l_i(0) = prod_{j != i} x_j / (x_j - x_i); subtraction is XOR in GF(2^8).
  std::vector<unsigned char> basis(parts.size());
  for (size_t i = 0; i < parts.size(); ++i) {
    unsigned char num = 1;
    unsigned char den = 1;
    for (size_t j = 0; j < parts.size(); ++j) {
      if (i != j) {
        num = GfMul(num, xs[j]);
        den = GfMul(den, xs[j] ^ xs[i]);
      }
    }
    basis[i] = GfMul(num, GfInverse(den));
  }
  std::string secret(length - 1, '\0');
  for (size_t byte = 0; byte + 1 < length; ++byte) {
    unsigned char value = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
      value ^= GfMul(static_cast<unsigned char>(parts[i][byte]), basis[i]);
    }
    secret[byte] = static_cast<char>(value);
  }
  return secret;
}

}  // namespace cellar::crypto::shamir
