// src/crypto/public_key_test.cc: keys from PEM and JWK, RFC 7638 thumbprints, JWS verification.
#include "crypto/public_key.h"

#include <gtest/gtest.h>

#include "crypto/base64url.h"
#include "crypto/jws_testutil.h"

namespace cellar::crypto {
namespace {

// RFC 7638 §3.1.
constexpr char kRfc7638Jwk[] =
    R"({"kty":"RSA","e":"AQAB","alg":"RS256","kid":"2011-04-29","n":"0vx7agoebGcQSuuPiLJXZptN9n)"
    R"(ndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMs)"
    R"(tn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZg)"
    R"(nYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksI)"
    R"(NHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"})";

TEST(PublicKey, Rfc7638ThumbprintOfRsaKey) {
  StatusOr<PublicKey> key = PublicKey::FromJwk(kRfc7638Jwk);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->Thumbprint(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  EXPECT_EQ(key->algorithm(), "RS256");
}

// RFC 8037 §A.2 and A.3.
TEST(PublicKey, Rfc8037ThumbprintOfEd25519Key) {
  StatusOr<PublicKey> key = PublicKey::FromJwk(
      R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->Thumbprint(), "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
}

// RFC 8037 §A.4: a known Ed25519 signature verifies, and fails once the payload changes.
TEST(PublicKey, Rfc8037Ed25519Signature) {
  PublicKey key = *PublicKey::FromJwk(
      R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})");
  std::string sig = *Base64UrlDecode(
      "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
  std::string input = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
  EXPECT_TRUE(key.VerifyJws("EdDSA", input, sig).ok());
  EXPECT_EQ(key.VerifyJws("EdDSA", input + "x", sig).code(), StatusCode::kPermissionDenied);
}

class SignerTest : public testing::TestWithParam<std::string_view> {};

TEST_P(SignerTest, PemAndJwkDescribeTheSameKey) {
  TestSigner signer(GetParam());
  StatusOr<PublicKey> from_pem = PublicKey::FromPem(signer.PublicPem());
  ASSERT_TRUE(from_pem.ok()) << from_pem.status().ToString();
  StatusOr<PublicKey> from_jwk = PublicKey::FromJwk(from_pem->canonical_jwk());
  ASSERT_TRUE(from_jwk.ok()) << from_jwk.status().ToString();
  EXPECT_EQ(from_jwk->Thumbprint(), from_pem->Thumbprint());
  EXPECT_EQ(from_pem->algorithm(), GetParam());
  EXPECT_EQ(PublicKey::Parse(from_pem->Pem())->Thumbprint(), from_pem->Thumbprint());
}

TEST_P(SignerTest, VerifiesOwnSignatureOnly) {
  TestSigner signer(GetParam());
  PublicKey key = *PublicKey::FromPem(signer.PublicPem());
  FlattenedJws jws = signer.Sign(R"({"alg":"x"})", "payload");
  std::string input = jws.protected_b64 + "." + jws.payload_b64;
  std::string sig = *Base64UrlDecode(jws.signature_b64);
  EXPECT_TRUE(key.VerifyJws(GetParam(), input, sig).ok());
  std::string flipped = sig;
  flipped[flipped.size() / 2] ^= 1;
  EXPECT_FALSE(key.VerifyJws(GetParam(), input, flipped).ok());
  PublicKey other = *PublicKey::FromPem(TestSigner(GetParam()).PublicPem());
  EXPECT_EQ(other.VerifyJws(GetParam(), input, sig).code(), StatusCode::kPermissionDenied);
}

INSTANTIATE_TEST_SUITE_P(All, SignerTest, testing::Values("ES256", "ES384", "RS256", "EdDSA"));

TEST(PublicKey, RefusesAlgorithmOtherThanTheKeys) {
  TestSigner signer("ES256");
  PublicKey key = *PublicKey::FromPem(signer.PublicPem());
  FlattenedJws jws = signer.Sign("{}", "p");
  EXPECT_EQ(key.VerifyJws("RS256", jws.protected_b64 + "." + jws.payload_b64,
                          *Base64UrlDecode(jws.signature_b64))
                .code(),
            StatusCode::kPermissionDenied);
}

struct BadKeyCase {
  std::string_view name;
  std::string_view text;
};
class BadKeyTest : public testing::TestWithParam<BadKeyCase> {};
TEST_P(BadKeyTest, IsInvalidArgument) {
  EXPECT_EQ(PublicKey::Parse(GetParam().text).status().code(), StatusCode::kInvalidArgument);
}
INSTANTIATE_TEST_SUITE_P(
    All, BadKeyTest,
    testing::Values(
        BadKeyCase{"NotPem", "hello"}, BadKeyCase{"NotJson", "{"},
        BadKeyCase{"NoKty", R"({"x":"AA"})"}, BadKeyCase{"UnknownKty", R"({"kty":"oct","k":"AA"})"},
        BadKeyCase{
            "PrivateMember",
            R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",)"
            R"("d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"})"},
        BadKeyCase{"ShortX", R"({"kty":"OKP","crv":"Ed25519","x":"AAAA"})"},
        BadKeyCase{"PointOffCurve",
                   R"({"kty":"EC","crv":"P-256","x":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE",)"
                   R"("y":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE"})"},
        BadKeyCase{"UnknownCurve", R"({"kty":"EC","crv":"P-521","x":"AA","y":"AA"})"},
        BadKeyCase{"AlgMismatch", R"({"kty":"OKP","crv":"Ed25519","alg":"ES256",)"
                                  R"("x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})"}),
    [](const testing::TestParamInfo<BadKeyCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace cellar::crypto
