// src/crypto/jws_signer_test.cc: signing keys from PEM, and signatures PublicKey verifies.
#include "crypto/jws_signer.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crypto/base64url.h"

namespace cellar::crypto {
namespace {

// A PEM private key made by OpenSSL itself: PKCS#8, or the traditional form when asked.
std::string PrivatePem(const char* type, const char* param, bool traditional) {
  EVP_PKEY* pkey = param != nullptr ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, param)
                   : std::string_view(type) == "RSA"
                       ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, size_t{2048})
                       : EVP_PKEY_Q_keygen(nullptr, nullptr, type);
  BIO* bio = BIO_new(BIO_s_mem());
  if (traditional) {
    PEM_write_bio_PrivateKey_traditional(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    PEM_write_bio_PrivateKey(bio, pkey, nullptr, nullptr, 0, nullptr, nullptr);
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string pem(data, static_cast<size_t>(len));
  BIO_free(bio);
  EVP_PKEY_free(pkey);
  return pem;
}

struct PemCase {
  std::string_view name;
  const char* type;
  const char* param;
  bool traditional;
  std::string_view alg;
};
class JwsSignerPemTest : public testing::TestWithParam<PemCase> {};
TEST_P(JwsSignerPemTest, SignsWhatItsPublicKeyVerifies) {
  const PemCase& c = GetParam();
  StatusOr<JwsSigner> signer = JwsSigner::FromPem(PrivatePem(c.type, c.param, c.traditional));
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer->alg(), c.alg);
  StatusOr<FlattenedJws> jws = signer->Sign(R"({"alg":"x"})", "{}");
  ASSERT_TRUE(jws.ok());
  PublicKey key = *PublicKey::FromPem(signer->PublicPem());
  EXPECT_TRUE(key.VerifyJws(c.alg, jws->protected_b64 + "." + jws->payload_b64,
                            *Base64UrlDecode(jws->signature_b64))
                  .ok());
}
INSTANTIATE_TEST_SUITE_P(All, JwsSignerPemTest,
                         testing::Values(PemCase{"EcPkcs8", "EC", "P-256", false, "ES256"},
                                         PemCase{"EcTraditional", "EC", "P-384", true, "ES384"},
                                         PemCase{"RsaTraditional", "RSA", nullptr, true, "RS256"},
                                         PemCase{"Ed25519", "ED25519", nullptr, false, "EdDSA"}),
                         [](const testing::TestParamInfo<PemCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(JwsSigner, RefusesWhatIsNotAPrivateKey) {
  EXPECT_EQ(JwsSigner::FromPem("nope").status().code(), StatusCode::kInvalidArgument);
  std::string pub = JwsSigner::Generate("ES256")->PublicPem();
  EXPECT_EQ(JwsSigner::FromPem(pub).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(JwsSigner::FromPem(PrivatePem("EC", "P-521", false)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(JwsSigner::Generate("HS256").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::crypto
