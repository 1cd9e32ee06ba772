// src/profiles/signed_input_test.cc: every way a signed input is accepted or refused.
#include "profiles/signed_input.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/jws_testutil.h"
#include "crypto/public_key.h"
#include "storage/memory_storage.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;
using std::chrono::seconds;

class SignedInputTest : public testing::Test {
 protected:
  void SetUp() override {
    KeyBinding b = *MakeKeyBinding("app", signer_.PublicPem(), {"p1"}, {"web"}, seconds(60));
    ASSERT_TRUE(PutKeyBinding(storage_, b).ok());
  }

  // The flattened body for `header` (alg added) over `payload`, signed by `signer`.
  json::object Body(json::object header, std::string payload = R"({"app":"a1"})",
                    const crypto::TestSigner* signer = nullptr) {
    signer = signer != nullptr ? signer : &signer_;
    header["alg"] = signer->alg();
    crypto::FlattenedJws jws = signer->Sign(json::serialize(header), payload);
    return json::object{{"protected", jws.protected_b64},
                        {"payload", jws.payload_b64},
                        {"signature", jws.signature_b64}};
  }

  StatusOr<SignedInput> Verify(const json::object& body, const std::string& profile = "web") {
    return VerifySignedInput(body, profile, "execute", storage_, nonces_);
  }

  std::string Jwk(const crypto::TestSigner& s) {
    return crypto::PublicKey::FromPem(s.PublicPem())->canonical_jwk();
  }

  FakeClock clock_;
  NonceStore nonces_{clock_};
  storage::MemoryStorage storage_;
  crypto::TestSigner signer_{"ES256"};
};

TEST_F(SignedInputTest, KidNamesTheBindingAndPayloadIsTheInput) {
  StatusOr<SignedInput> in = Verify(Body({{"kid", "app"}, {"nonce", nonces_.Issue(seconds(60))}}));
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ(in->binding.name, "app");
  EXPECT_EQ(json::serialize(in->input), R"({"app":"a1"})");
}

TEST_F(SignedInputTest, EmbeddedJwkFindsTheBindingByThumbprint) {
  json::object header{{"jwk", json::parse(Jwk(signer_))}, {"nonce", nonces_.Issue(seconds(60))}};
  StatusOr<SignedInput> in = Verify(Body(header));
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_EQ(in->binding.name, "app");
}

TEST_F(SignedInputTest, CompactSerializationInAJwsMember) {
  json::object flat = Body({{"kid", "app"}, {"nonce", nonces_.Issue(seconds(60))}});
  std::string compact = std::string(flat["protected"].as_string()) + "." +
                        std::string(flat["payload"].as_string()) + "." +
                        std::string(flat["signature"].as_string());
  EXPECT_TRUE(Verify(json::object{{"jws", compact}}).ok());
}

TEST_F(SignedInputTest, EmptyPayloadIsAnEmptyInput) {
  StatusOr<SignedInput> in =
      Verify(Body({{"kid", "app"}, {"nonce", nonces_.Issue(seconds(60))}}, ""));
  ASSERT_TRUE(in.ok()) << in.status().message();
  EXPECT_TRUE(in->input.empty());
}

TEST_F(SignedInputTest, ReplayedNonceIsRefused) {
  json::object body = Body({{"kid", "app"}, {"nonce", nonces_.Issue(seconds(60))}});
  ASSERT_TRUE(Verify(body).ok());
  StatusOr<SignedInput> again = Verify(body);
  EXPECT_EQ(again.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(again.status().message().find("already used"), std::string::npos);
}

TEST_F(SignedInputTest, ForgeryDoesNotSpendTheNonce) {
  crypto::TestSigner other("ES256");
  std::string nonce = nonces_.Issue(seconds(60));
  StatusOr<SignedInput> forged = Verify(Body({{"kid", "app"}, {"nonce", nonce}}, "{}", &other));
  EXPECT_EQ(forged.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(forged.status().message().find("does not verify"), std::string::npos);
  EXPECT_TRUE(Verify(Body({{"kid", "app"}, {"nonce", nonce}})).ok());
}

TEST_F(SignedInputTest, ExpiredNonceIsRefused) {
  json::object body = Body({{"kid", "app"}, {"nonce", nonces_.Issue(seconds(5))}});
  clock_.Advance(seconds(6));
  StatusOr<SignedInput> in = Verify(body);
  EXPECT_EQ(in.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(in.status().message().find("signed input: nonce expired"), std::string::npos);
}

TEST_F(SignedInputTest, UnboundJwkIsRefused) {
  crypto::TestSigner stranger("EdDSA");
  json::object header{{"jwk", json::parse(Jwk(stranger))}, {"nonce", nonces_.Issue(seconds(60))}};
  StatusOr<SignedInput> in = Verify(Body(header, "{}", &stranger));
  EXPECT_EQ(in.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(in.status().message().find("is not bound to a role"), std::string::npos);
}

struct RefusalCase {
  std::string_view name;
  std::string header;  // JSON, alg added by the fixture; "$NONCE" replaced by a fresh nonce
  std::string payload;
  std::string profile;
  StatusCode code;
  std::string_view message;
};

class SignedInputRefusalTest : public SignedInputTest,
                               public testing::WithParamInterface<RefusalCase> {};

TEST_P(SignedInputRefusalTest, Refuses) {
  std::string header = GetParam().header;
  if (size_t at = header.find("$NONCE"); at != std::string::npos) {
    header.replace(at, 6, nonces_.Issue(seconds(60)));
  }
  StatusOr<SignedInput> in =
      Verify(Body(json::parse(header).as_object(), GetParam().payload), GetParam().profile);
  ASSERT_EQ(in.status().code(), GetParam().code) << in.status().message();
  EXPECT_NE(in.status().message().find(GetParam().message), std::string::npos)
      << in.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    All, SignedInputRefusalTest,
    testing::Values(
        RefusalCase{"UnboundKid", R"({"kid":"nobody","nonce":"$NONCE"})", "{}", "web",
                    StatusCode::kPermissionDenied, "key \"nobody\" is not bound to a role"},
        RefusalCase{"NoNonce", R"({"kid":"app"})", "{}", "web", StatusCode::kPermissionDenied,
                    "has no nonce"},
        RefusalCase{"UnknownNonce", R"({"kid":"app","nonce":"abc"})", "{}", "web",
                    StatusCode::kPermissionDenied, "unknown or already used"},
        RefusalCase{"OtherProfile", R"({"kid":"app","nonce":"$NONCE"})", "{}", "db",
                    StatusCode::kPermissionDenied, "is not bound to profile \"db\""},
        RefusalCase{
            "UrlForOtherProfile",
            R"({"kid":"app","nonce":"$NONCE","url":"https://h/v1/sys/profiles/execute/xweb"})",
            "{}", "web", StatusCode::kPermissionDenied, "is not sys/profiles/execute/web"},
        RefusalCase{"UrlForOtherAction",
                    R"({"kid":"app","nonce":"$NONCE","url":"/v1/sys/profiles/plan/web"})", "{}",
                    "web", StatusCode::kPermissionDenied, "is not sys/profiles/execute/web"},
        RefusalCase{"PayloadNotObject", R"({"kid":"app","nonce":"$NONCE"})", "[1]", "web",
                    StatusCode::kInvalidArgument, "payload must be a JSON object"}),
    [](const testing::TestParamInfo<RefusalCase>& info) { return std::string(info.param.name); });

class SignedInputUrlTest : public SignedInputTest,
                           public testing::WithParamInterface<std::string_view> {};
TEST_P(SignedInputUrlTest, AcceptsUrlNamingThisRequest) {
  json::object header{{"kid", "app"}, {"nonce", nonces_.Issue(seconds(60))}, {"url", GetParam()}};
  StatusOr<SignedInput> in = Verify(Body(header));
  EXPECT_TRUE(in.ok()) << in.status().message();
}
INSTANTIATE_TEST_SUITE_P(All, SignedInputUrlTest,
                         testing::Values("https://cellar:8200/v1/sys/profiles/execute/web",
                                         "http://127.0.0.1:1/v1/sys/workflows/execute/web?x=1",
                                         "/v1/ns1/sys/profiles/execute/web"));

TEST_F(SignedInputTest, BodyWithoutJwsIsInvalidArgument) {
  StatusOr<SignedInput> in = Verify(json::object{{"app", "a1"}});
  EXPECT_EQ(in.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(in.status().message().find("this profile takes a JWS"), std::string::npos);
}

TEST_F(SignedInputTest, UnprotectedHeaderIsRefused) {
  json::object body = Body({{"kid", "app"}, {"nonce", nonces_.Issue(seconds(60))}});
  body["header"] = json::object{{"kid", "app"}};
  EXPECT_EQ(Verify(body).status().code(), StatusCode::kInvalidArgument);
}

struct BindingCase {
  std::string_view name;
  std::vector<std::string> policies;
  std::vector<std::string> profiles;
  std::string_view message;
};
class KeyBindingTest : public testing::TestWithParam<BindingCase> {};
TEST_P(KeyBindingTest, RefusesIncompleteRoles) {
  crypto::TestSigner s("EdDSA");
  StatusOr<KeyBinding> b =
      MakeKeyBinding("k", s.PublicPem(), GetParam().policies, GetParam().profiles, seconds(60));
  ASSERT_EQ(b.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(b.status().message().find(GetParam().message), std::string::npos);
}
INSTANTIATE_TEST_SUITE_P(
    All, KeyBindingTest,
    testing::Values(BindingCase{"NoPolicies", {}, {"web"}, "at least one policy"},
                    BindingCase{"Root", {"root"}, {"web"}, "cannot be bound to root"},
                    BindingCase{"NoProfiles", {"p"}, {}, "name the signed profiles"}),
    [](const testing::TestParamInfo<BindingCase>& info) { return std::string(info.param.name); });

TEST(KeyBinding, StarAllowsEveryProfile) {
  crypto::TestSigner s("EdDSA");
  KeyBinding b = *MakeKeyBinding("k", s.PublicPem(), {"p"}, {"*"}, seconds(60));
  EXPECT_TRUE(b.AllowsProfile("anything"));
  KeyBinding only = *MakeKeyBinding("k", s.PublicPem(), {"p"}, {"web"}, seconds(60));
  EXPECT_FALSE(only.AllowsProfile("web2"));
}

}  // namespace
}  // namespace cellar::profiles
