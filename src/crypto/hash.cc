// src/crypto/hash.cc: one-shot EVP digests and MACs.
#include "crypto/hash.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdio>
#include <cstdlib>

#include "crypto/encoding.h"

namespace cellar::crypto {

namespace {
[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "cellar: OpenSSL %s failed\n", what);
  std::abort();
}
// Fetched once: an implicit fetch per call costs more than hashing a token.
const EVP_MD* Sha256Md() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return md;
}

// An HMAC-SHA256 context with the digest already chosen; each call duplicates it, because setting
// the digest by name does a provider lookup every time.
const EVP_MAC_CTX* HmacTemplate() {
  static EVP_MAC_CTX* ctx = [] {
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) {
      Die("EVP_MAC_fetch");
    }
    EVP_MAC_CTX* made = EVP_MAC_CTX_new(mac);
    EVP_MAC_free(mac);  // the context keeps its own reference
    char digest[] = "SHA256";
    OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                           OSSL_PARAM_construct_end()};
    if (made == nullptr || EVP_MAC_CTX_set_params(made, params) != 1) {
      Die("EVP_MAC_CTX_set_params");
    }
    return made;
  }();
  return ctx;
}

}  // namespace

std::string Sha256(std::string_view data) {
  // One context per thread, reused: EVP_Digest allocates and frees a context per call, which
  // costs more than hashing a token. Final leaves no input behind in the context.
  struct MdCtx {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~MdCtx() { EVP_MD_CTX_free(ctx); }
  };
  thread_local MdCtx md;
  std::string out(32, '\0');
  unsigned int len = 0;
  if (md.ctx == nullptr || EVP_DigestInit_ex2(md.ctx, Sha256Md(), nullptr) != 1 ||
      EVP_DigestUpdate(md.ctx, data.data(), data.size()) != 1 ||
      EVP_DigestFinal_ex(md.ctx, reinterpret_cast<unsigned char*>(out.data()), &len) != 1) {
    Die("SHA-256");  // only on allocation failure; nothing sensible to return
  }
  return out;
}

std::string Sha256Hex(std::string_view data) { return HexEncode(Sha256(data)); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::string out(32, '\0');
  size_t len = 0;
  EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(HmacTemplate());
  // An empty key is legal for HMAC; OpenSSL wants a non-null pointer for it.
  const unsigned char* key_bytes =
      reinterpret_cast<const unsigned char*>(key.empty() ? "" : key.data());
  bool ok =
      ctx != nullptr && EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) == 1 &&
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
      EVP_MAC_final(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, out.size()) == 1;
  EVP_MAC_CTX_free(ctx);
  if (!ok) {
    Die("HMAC");
  }
  return out;
}

std::string HmacSha256Hex(std::string_view key, std::string_view data) {
  return HexEncode(HmacSha256(key, data));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace cellar::crypto
