// src/crypto/jws_test.cc: JWS parsing (compact, flattened), header rules, verification.
#include "crypto/jws.h"

#include <gtest/gtest.h>

#include "crypto/base64url.h"
#include "crypto/jws_testutil.h"

namespace cellar::crypto {
namespace {

TEST(Jws, CompactAndFlattenedParseTheSame) {
  TestSigner signer("ES256");
  FlattenedJws jws = signer.Sign(R"({"alg":"ES256","kid":"k1","nonce":"n1","url":"u"})", "{}");
  StatusOr<JwsMessage> flat =
      ParseFlattenedJws(jws.protected_b64, jws.payload_b64, jws.signature_b64);
  StatusOr<JwsMessage> compact = ParseCompactJws(jws.Compact());
  ASSERT_TRUE(flat.ok()) << flat.status().ToString();
  ASSERT_TRUE(compact.ok()) << compact.status().ToString();
  EXPECT_EQ(flat->header.kid, "k1");
  EXPECT_EQ(flat->header.nonce, "n1");
  EXPECT_EQ(flat->header.url, "u");
  EXPECT_EQ(flat->payload, "{}");
  EXPECT_EQ(compact->signing_input, flat->signing_input);
  EXPECT_TRUE(VerifyJws(*flat, *PublicKey::FromPem(signer.PublicPem())).ok());
}

TEST(Jws, EmbeddedJwkIsKeptAsJson) {
  TestSigner signer("EdDSA");
  PublicKey key = *PublicKey::FromPem(signer.PublicPem());
  FlattenedJws jws =
      signer.Sign(R"({"alg":"EdDSA","nonce":"n","jwk":)" + key.canonical_jwk() + "}", "x");
  StatusOr<JwsMessage> m = ParseCompactJws(jws.Compact());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(PublicKey::FromJwk(m->header.jwk)->Thumbprint(), key.Thumbprint());
}

TEST(Jws, TamperedPayloadDoesNotVerify) {
  TestSigner signer("RS256");
  FlattenedJws jws = signer.Sign(R"({"alg":"RS256","kid":"k"})", R"({"a":1})");
  StatusOr<JwsMessage> m =
      ParseFlattenedJws(jws.protected_b64, Base64UrlEncode(R"({"a":2})"), jws.signature_b64);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(VerifyJws(*m, *PublicKey::FromPem(signer.PublicPem())).code(),
            StatusCode::kPermissionDenied);
}

struct HeaderCase {
  std::string_view name;
  std::string_view header;
  std::string_view error;
};
class BadHeaderTest : public testing::TestWithParam<HeaderCase> {};
TEST_P(BadHeaderTest, IsRefused) {
  StatusOr<JwsMessage> m = ParseFlattenedJws(Base64UrlEncode(GetParam().header),
                                             Base64UrlEncode("{}"), Base64UrlEncode("sig"));
  ASSERT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find(GetParam().error), std::string::npos) << m.status().message();
}
INSTANTIATE_TEST_SUITE_P(
    All, BadHeaderTest,
    testing::Values(HeaderCase{"NotJson", "nope", "not a JSON object"},
                    HeaderCase{"NoAlg", R"({"kid":"k"})", "needs an alg"},
                    HeaderCase{"AlgNone", R"({"alg":"none","kid":"k"})", "needs an alg"},
                    HeaderCase{"NoKey", R"({"alg":"ES256"})", "exactly one of kid and jwk"},
                    HeaderCase{"BothKeys", R"({"alg":"ES256","kid":"k","jwk":{}})",
                               "exactly one of kid and jwk"},
                    HeaderCase{"NonStringNonce", R"({"alg":"ES256","kid":"k","nonce":1})",
                               "\"nonce\" must be a string"},
                    HeaderCase{"Crit", R"({"alg":"ES256","kid":"k","crit":["x"]})", "crit"}),
    [](const testing::TestParamInfo<HeaderCase>& info) { return std::string(info.param.name); });

TEST(Jws, CompactNeedsThreeParts) {
  EXPECT_EQ(ParseCompactJws("a.b").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseCompactJws("a.b.c.d").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::crypto
