// src/crypto/password.cc: scrypt through OpenSSL 3's EVP_KDF and a self-describing string format.
#include "crypto/password.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <charconv>
#include <cstdint>
#include <vector>

#include "base/status_macros.h"
#include "crypto/encoding.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace cellar::crypto {

namespace {

constexpr size_t kSaltSize = 16;
constexpr size_t kHashSize = 32;
constexpr std::string_view kPrefix = "$scrypt$";

bool ValidParams(const ScryptParams& p) {
  return p.log2_n >= 1 && p.log2_n <= 20 && p.r >= 1 && p.r <= 32 && p.p >= 1 && p.p <= 16;
}

StatusOr<std::string> Scrypt(std::string_view password, std::string_view salt,
                             const ScryptParams& params) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
  if (kdf == nullptr) {
    return InternalError("scrypt is not available in this OpenSSL");
  }
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  EVP_KDF_free(kdf);
  if (ctx == nullptr) {
    return InternalError("scrypt context allocation failed");
  }
  uint64_t n = uint64_t{1} << params.log2_n;
  uint32_t r = static_cast<uint32_t>(params.r);
  uint32_t p = static_cast<uint32_t>(params.p);
  OSSL_PARAM ossl_params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<char*>(salt.data()),
                                        salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_end(),
  };
  std::string out(kHashSize, '\0');
  int ok =
      EVP_KDF_derive(ctx, reinterpret_cast<unsigned char*>(out.data()), out.size(), ossl_params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) {
    return InternalError("scrypt derivation failed");
  }
  return out;
}

bool ParseInt(std::string_view text, int& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

struct Parsed {
  ScryptParams params;
  std::string salt;
  std::string hash;
};

// "$scrypt$ln=15,r=8,p=1$<salt>$<hash>"
bool Parse(std::string_view encoded, Parsed& out) {
  if (!encoded.starts_with(kPrefix)) {
    return false;
  }
  encoded.remove_prefix(kPrefix.size());
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= encoded.size(); ++i) {
    if (i == encoded.size() || encoded[i] == '$') {
      parts.push_back(encoded.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() != 3) {
    return false;
  }
  std::string_view params = parts[0];
  int* fields[3] = {&out.params.log2_n, &out.params.r, &out.params.p};
  std::string_view names[3] = {"ln=", "r=", "p="};
  for (int i = 0; i < 3; ++i) {
    size_t comma = params.find(',');
    std::string_view item = params.substr(0, comma);
    if (!item.starts_with(names[i]) || !ParseInt(item.substr(names[i].size()), *fields[i])) {
      return false;
    }
    params = comma == std::string_view::npos ? std::string_view() : params.substr(comma + 1);
  }
  StatusOr<std::string> salt = Base64Decode(parts[1]);
  StatusOr<std::string> hash = Base64Decode(parts[2]);
  if (!salt.ok() || !hash.ok() || hash->size() != kHashSize || !ValidParams(out.params)) {
    return false;
  }
  out.salt = *std::move(salt);
  out.hash = *std::move(hash);
  return true;
}

}  // namespace

StatusOr<std::string> HashPassword(std::string_view password, ScryptParams params) {
  if (!ValidParams(params)) {
    return InvalidArgumentError("scrypt parameters out of range");
  }
  std::string salt = RandomBytes(kSaltSize);
  CELLAR_ASSIGN_OR_RETURN(std::string hash, Scrypt(password, salt, params));
  return std::string(kPrefix) + "ln=" + std::to_string(params.log2_n) +
         ",r=" + std::to_string(params.r) + ",p=" + std::to_string(params.p) + "$" +
         Base64EncodeUnpadded(salt) + "$" + Base64EncodeUnpadded(hash);
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  Parsed parsed;
  if (!Parse(encoded, parsed)) {
    return false;
  }
  StatusOr<std::string> hash = Scrypt(password, parsed.salt, parsed.params);
  return hash.ok() && ConstantTimeEquals(*hash, parsed.hash);
}

bool DummyVerify(std::string_view password) {
  static const std::string kDummySalt(kSaltSize, 'x');
  StatusOr<std::string> hash = Scrypt(password, kDummySalt, ScryptParams{});
  (void)hash;
  return false;
}

}  // namespace cellar::crypto
