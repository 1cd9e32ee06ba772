// src/crypto/jws_testutil.cc: key generation and JWS signing with EVP_DigestSign, for tests.
#include "crypto/jws_testutil.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <cstdlib>

#include "crypto/base64url.h"

namespace cellar::crypto {

struct TestSigner::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "TestSigner: %s failed\n", what);
  std::abort();
}

// DER ECDSA-Sig-Value → the JWS r||s form, each half padded to `half` bytes.
std::string DerToRaw(const std::string& der, int half) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) {
    Die("d2i_ECDSA_SIG");
  }
  std::string out(2 * half, '\0');
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), reinterpret_cast<unsigned char*>(out.data()), half);
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), reinterpret_cast<unsigned char*>(out.data()) + half, half);
  ECDSA_SIG_free(sig);
  return out;
}

}  // namespace

TestSigner::TestSigner(std::string_view alg) : alg_(alg), key_(std::make_unique<Key>()) {
  if (alg == "ES256") {
    key_->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  } else if (alg == "ES384") {
    key_->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  } else if (alg == "RS256") {
    key_->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  } else if (alg == "EdDSA") {
    key_->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  }
  if (key_->pkey == nullptr) {
    Die("EVP_PKEY_Q_keygen");
  }
}

TestSigner::~TestSigner() = default;
TestSigner::TestSigner(TestSigner&&) noexcept = default;

std::string TestSigner::PublicPem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio, key_->pkey) != 1) {
    Die("PEM_write_bio_PUBKEY");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  return pem;
}

FlattenedJws TestSigner::Sign(std::string_view protected_json, std::string_view payload) const {
  FlattenedJws out{Base64UrlEncode(protected_json), Base64UrlEncode(payload), ""};
  std::string input = out.protected_b64 + "." + out.payload_b64;
  const EVP_MD* md = alg_ == "EdDSA" ? nullptr : alg_ == "ES384" ? EVP_sha384() : EVP_sha256();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  if (ctx == nullptr || EVP_DigestSignInit(ctx, nullptr, md, nullptr, key_->pkey) != 1 ||
      EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    Die("EVP_DigestSignInit");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    Die("EVP_DigestSign");
  }
  EVP_MD_CTX_free(ctx);
  sig.resize(len);
  if (alg_ == "ES256" || alg_ == "ES384") {
    sig = DerToRaw(sig, alg_ == "ES256" ? 32 : 48);
  }
  out.signature_b64 = Base64UrlEncode(sig);
  return out;
}

}  // namespace cellar::crypto
