// src/crypto/jws_signer.cc: private keys from PEM or generated, and EVP_DigestSign for JWS.
#include "crypto/jws_signer.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "base/status_macros.h"
#include "crypto/base64url.h"

namespace cellar::crypto {

struct JwsSigner::Key {
  EVP_PKEY* pkey = nullptr;
  ~Key() { EVP_PKEY_free(pkey); }
};

namespace {

// DER ECDSA-Sig-Value → the JWS r||s form, each half padded to `half` bytes.
StatusOr<std::string> DerToRaw(const std::string& der, int half) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  if (sig == nullptr) {
    ERR_clear_error();
    return InternalError("cannot decode the ECDSA signature");
  }
  std::string out(2 * half, '\0');
  auto* bytes = reinterpret_cast<unsigned char*>(out.data());
  bool ok = BN_bn2binpad(ECDSA_SIG_get0_r(sig), bytes, half) == half &&
            BN_bn2binpad(ECDSA_SIG_get0_s(sig), bytes + half, half) == half;
  ECDSA_SIG_free(sig);
  if (!ok) {
    return InternalError("ECDSA signature half too long");
  }
  return out;
}

std::string PublicPemOf(EVP_PKEY* pkey) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio, pkey) != 1) {
    BIO_free(bio);
    ERR_clear_error();
    return "";
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  return pem;
}

}  // namespace

StatusOr<JwsSigner> JwsSigner::FromKey(std::shared_ptr<Key> key) {
  // The public half decides the algorithm and refuses what verification would refuse.
  CELLAR_ASSIGN_OR_RETURN(PublicKey pub, PublicKey::FromPem(PublicPemOf(key->pkey)));
  return JwsSigner(std::move(key), std::move(pub));
}

StatusOr<JwsSigner> JwsSigner::FromPem(std::string_view pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  auto key = std::make_shared<Key>();
  key->pkey = bio != nullptr ? PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr) : nullptr;
  BIO_free(bio);
  if (key->pkey == nullptr) {
    ERR_clear_error();
    return InvalidArgumentError("not a PEM private key (unencrypted PKCS#8, EC or RSA)");
  }
  return FromKey(std::move(key));
}

StatusOr<JwsSigner> JwsSigner::Generate(std::string_view alg) {
  auto key = std::make_shared<Key>();
  if (alg == "ES256") {
    key->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  } else if (alg == "ES384") {
    key->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384");
  } else if (alg == "RS256") {
    key->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(2048));
  } else if (alg == "EdDSA") {
    key->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else {
    return InvalidArgumentError("alg must be ES256, ES384, RS256 or EdDSA");
  }
  if (key->pkey == nullptr) {
    ERR_clear_error();
    return InternalError("key generation failed");
  }
  return FromKey(std::move(key));
}

StatusOr<FlattenedJws> JwsSigner::Sign(std::string_view protected_json,
                                       std::string_view payload) const {
  FlattenedJws out{Base64UrlEncode(protected_json), Base64UrlEncode(payload), ""};
  std::string input = out.protected_b64 + "." + out.payload_b64;
  std::string_view a = alg();
  const EVP_MD* md = a == "EdDSA" ? nullptr : a == "ES384" ? EVP_sha384() : EVP_sha256();
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  const auto* tbs = reinterpret_cast<const unsigned char*>(input.data());
  std::string sig;
  bool ok = ctx != nullptr && EVP_DigestSignInit(ctx, nullptr, md, nullptr, key_->pkey) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, tbs, input.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len, tbs,
                        input.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) {
    ERR_clear_error();
    return InternalError("EVP_DigestSign failed");
  }
  if (a == "ES256" || a == "ES384") {
    CELLAR_ASSIGN_OR_RETURN(sig, DerToRaw(sig, a == "ES256" ? 32 : 48));
  }
  out.signature_b64 = Base64UrlEncode(sig);
  return out;
}

}  // namespace cellar::crypto
