// src/profiles/signed_core_test.cc: signed inputs through a real Core: tokenless requests reach
// the profiles backend, sub-requests run under a minted token with the key's policies only, and
// that token is gone afterwards.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/jws_testutil.h"
#include "profiles/core_testutil.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;
using framework::Operation;

constexpr char kProfile[] = R"(
input {
  signed = true
  data   = { key = "string" }
}
request "r" { path = "secret/data/${input.data.key}" }
output { data = request.r.data.data }
)";

class SignedCoreTest : public DevCoreTest {
 protected:
  void SetUp() override {
    StartCoreWithProfiles();
    Must(Operation::kUpdate, "secret/data/a", {{"data", {{"user", "alice"}}}});
    Must(Operation::kUpdate, "secret/data/b", {{"data", {{"pass", "s3cret"}}}});
    Must(Operation::kUpdate, "sys/policies/acl/app",
         {{"policy", R"(path "secret/data/a" { capabilities = ["read"] })"}});
    Must(Operation::kUpdate, "sys/profiles/modify/web", {{"profile", kProfile}});
    Must(Operation::kUpdate, "sys/profiles/keys/k1",
         {{"public_key", signer_.PublicPem()}, {"policies", "app"}, {"profiles", "web"}});
  }

  json::object SignedBody(const std::string& key) {
    auto nonce = Do("", Operation::kRead, "sys/profiles/nonce");
    EXPECT_TRUE(nonce.ok()) << nonce.status().ToString();
    json::object header{{"alg", "ES256"}, {"kid", "k1"}, {"nonce", nonce->data->at("nonce")}};
    crypto::FlattenedJws jws =
        signer_.Sign(json::serialize(header), json::serialize(json::object{{"key", key}}));
    return {{"protected", jws.protected_b64},
            {"payload", jws.payload_b64},
            {"signature", jws.signature_b64}};
  }

  size_t Tokens() {
    auto r = Do("root", Operation::kList, "auth/token/accessors");
    return r.ok() ? r->data->at("keys").as_array().size() : 0;
  }

  crypto::TestSigner signer_{"ES256"};
};

TEST_F(SignedCoreTest, RunsWithoutATokenUnderTheKeysRole) {
  size_t before = Tokens();
  auto r = Do("", Operation::kUpdate, "sys/profiles/execute/web", SignedBody("a"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(json::serialize(*r->data), R"({"user":"alice"})");
  EXPECT_EQ(Tokens(), before);
}

TEST_F(SignedCoreTest, NeverMoreThanTheRoleGrants) {
  size_t before = Tokens();
  auto r = Do("", Operation::kUpdate, "sys/profiles/execute/web", SignedBody("b"));
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied) << r.status().ToString();
  EXPECT_EQ(Tokens(), before);
}

TEST_F(SignedCoreTest, TokenlessRequestsReachOnlyTheOpenPaths) {
  EXPECT_EQ(Do("", Operation::kRead, "sys/profiles/modify/web").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Do("", Operation::kList, "sys/profiles/keys").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Do("", Operation::kUpdate, "sys/profiles/debug/web", SignedBody("a")).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(SignedCoreTest, ATokenStillNeedsItsPolicyOnExecute) {
  auto token = Do("root", Operation::kUpdate, "auth/token/create", {{"policies", {"app"}}});
  ASSERT_TRUE(token.ok());
  auto r = Do(token->auth->client_token, Operation::kUpdate, "sys/profiles/execute/web",
              SignedBody("a"));
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(SignedCoreTest, IssuedTokensCarryExactlyThePoliciesAndRevoke) {
  framework::Auth want;
  want.policies = {"app"};
  want.no_default_policy = true;
  want.ttl = std::chrono::seconds(60);
  auto issued = core_->IssueToken(want, "sys/profiles/execute/web", "");
  ASSERT_TRUE(issued.ok()) << issued.status().ToString();
  // No default policy, so not even lookup-self: ask as root.
  auto self =
      Do("root", Operation::kUpdate, "auth/token/lookup", {{"token", issued->client_token}});
  ASSERT_TRUE(self.ok()) << self.status().ToString();
  EXPECT_EQ(json::serialize(self->data->at("policies")), R"(["app"])");
  EXPECT_EQ(self->data->at("path").as_string(), "sys/profiles/execute/web");
  ASSERT_TRUE(core_->RevokeToken(issued->client_token).ok());
  EXPECT_EQ(Do(issued->client_token, Operation::kRead, "secret/data/a").status().code(),
            StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace cellar::profiles
