// src/profiles/backend_signed_test.cc: signed profiles through the backend: nonce, key bindings,
// execution without a token under a minted role token, and the refusals.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "crypto/jws_testutil.h"
#include "crypto/public_key.h"
#include "profiles/backend.h"
#include "storage/memory_storage.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;
using framework::Operation;

// Answers secret/data/* with a fixed value and records the token of every sub-request.
class RecordingHandler : public framework::RequestHandler {
 public:
  std::vector<std::string> tokens;
  StatusOr<framework::Response> HandleRequest(framework::Request& r) override {
    std::lock_guard<std::mutex> lock(mu_);
    tokens.push_back(r.caller.token);
    if (r.path.starts_with("secret/data/")) {
      return framework::Response::WithData({{"data", json::object{{"v", "s3cret"}}}});
    }
    return NotFoundError("");
  }

 private:
  std::mutex mu_;
};

constexpr char kSignedProfile[] = R"(
input {
  signed = true
  data = { app = "string" }
}
request "cfg" { path = "secret/data/${input.data.app}" }
output { data = { value = request.cfg.data.data.v } }
)";

class SignedBackendTest : public testing::Test {
 protected:
  void SetUp() override {
    RoleTokens tokens{
        .issue =
            [this](const framework::Auth& auth, std::string_view path, std::string_view) {
              issued_.push_back(auth);
              issued_paths_.emplace_back(path);
              framework::Auth out = auth;
              out.client_token = "minted-" + std::to_string(issued_.size());
              return StatusOr<framework::Auth>(out);
            },
        .revoke =
            [this](std::string_view token) {
              revoked_.emplace_back(token);
              return OkStatus();
            }};
    backend_ = *ProfilesBackend::Create(handler_, std::move(tokens), clock_);
    ASSERT_TRUE(
        Call(Operation::kUpdate, "profiles/modify/web", {{"profile", kSignedProfile}}).ok());
    auto key = Call(Operation::kUpdate, "profiles/keys/app",
                    {{"public_key", signer_.PublicPem()},
                     {"policies", "app-read"},
                     {"profiles", "web"},
                     {"token_ttl", "2m"}});
    ASSERT_TRUE(key.ok()) << key.status().message();
  }

  StatusOr<framework::Response> Call(Operation op, std::string path, json::object data = {},
                                     std::string token = "root") {
    framework::Request r;
    r.operation = op;
    r.path = std::move(path);
    r.data = std::move(data);
    r.caller.token = token;
    r.caller.is_root = token == "root";
    r.storage = &storage_;
    return backend_->HandleRequest(r);
  }

  std::string Nonce() {
    auto r = Call(Operation::kRead, "profiles/nonce", {}, "");
    return r.ok() ? std::string(r->data->at("nonce").as_string()) : "";
  }

  json::object Jws(const std::string& nonce, std::string kid = "app",
                   std::string payload = R"({"app":"a1"})") {
    json::object header{{"alg", "ES256"}, {"kid", kid}, {"nonce", nonce}};
    crypto::FlattenedJws jws = signer_.Sign(json::serialize(header), payload);
    return {{"protected", jws.protected_b64},
            {"payload", jws.payload_b64},
            {"signature", jws.signature_b64}};
  }

  FakeClock clock_;
  RecordingHandler handler_;
  storage::MemoryStorage storage_;
  crypto::TestSigner signer_{"ES256"};
  std::unique_ptr<ProfilesBackend> backend_;
  std::vector<framework::Auth> issued_;
  std::vector<std::string> issued_paths_;
  std::vector<std::string> revoked_;
};

TEST_F(SignedBackendTest, NonceAndExecuteNeedNoToken) {
  std::vector<std::string> open = backend_->UnauthenticatedPaths();
  EXPECT_NE(std::find(open.begin(), open.end(), "profiles/nonce"), open.end());
  EXPECT_NE(std::find(open.begin(), open.end(), "profiles/execute/*"), open.end());
}

TEST_F(SignedBackendTest, ExecutesUnderAMintedRoleTokenThenRevokesIt) {
  auto r = Call(Operation::kUpdate, "profiles/execute/web", Jws(Nonce()), "");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(json::serialize(*r->data), R"({"value":"s3cret"})");
  ASSERT_EQ(issued_.size(), 1u);
  EXPECT_EQ(issued_[0].policies, std::vector<std::string>{"app-read"});
  EXPECT_FALSE(issued_[0].no_default_policy);  // default, as every login token
  EXPECT_FALSE(issued_[0].renewable);
  EXPECT_EQ(issued_[0].ttl.count(), 120);
  EXPECT_EQ(issued_paths_[0], "sys/profiles/execute/web");
  EXPECT_EQ(handler_.tokens, std::vector<std::string>{"minted-1"});
  EXPECT_EQ(revoked_, std::vector<std::string>{"minted-1"});
}

TEST_F(SignedBackendTest, RevokesTheTokenWhenTheExecutionFails) {
  auto r =
      Call(Operation::kUpdate, "profiles/execute/web", Jws(Nonce(), "app", R"({"app":1})"), "");
  ASSERT_EQ(r.status().code(), StatusCode::kInvalidArgument);  // app must be a string
  EXPECT_EQ(revoked_.size(), issued_.size());
}

TEST_F(SignedBackendTest, ReplayIsRefusedAndMintsNothing) {
  json::object body = Jws(Nonce());
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/execute/web", body, "").ok());
  auto again = Call(Operation::kUpdate, "profiles/execute/web", body, "");
  EXPECT_EQ(again.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(issued_.size(), 1u);
}

TEST_F(SignedBackendTest, PlainBodyIsRefusedForASignedProfile) {
  auto r = Call(Operation::kUpdate, "profiles/execute/web", {{"app", "a1"}}, "root");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(issued_.empty());
}

TEST_F(SignedBackendTest, UnsignedProfileWithoutTokenIsDenied) {
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/modify/plain",
                   {{"profile",
                     "request \"a\" { path = \"secret/data/x\" }\n"
                     "output { data = request.a.data }"}})
                  .ok());
  auto r = Call(Operation::kUpdate, "profiles/execute/plain", {}, "");
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(handler_.tokens.empty());
}

TEST_F(SignedBackendTest, PlanRunsUnderTheRoleToken) {
  auto r = Call(Operation::kUpdate, "profiles/plan/web", Jws(Nonce()), "");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(revoked_, std::vector<std::string>{"minted-1"});
}

TEST_F(SignedBackendTest, BindingAPolicyTheAuthorLacksIsDenied) {
  auto r = Call(Operation::kUpdate, "profiles/keys/k2",
                {{"public_key", crypto::TestSigner("EdDSA").PublicPem()},
                 {"policies", "admin"},
                 {"profiles", "web"}},
                "not-root");
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(SignedBackendTest, OneKeyBindsOneRole) {
  auto r = Call(Operation::kUpdate, "profiles/keys/again",
                {{"public_key", signer_.PublicPem()}, {"policies", "p"}, {"profiles", "web"}});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("already bound as \"app\""), std::string::npos);
}

TEST_F(SignedBackendTest, JwkMayBeGivenAsAnObject) {
  crypto::TestSigner other("EdDSA");
  json::value jwk = json::parse(crypto::PublicKey::FromPem(other.PublicPem())->canonical_jwk());
  auto r = Call(Operation::kUpdate, "profiles/keys/obj",
                {{"public_key", jwk}, {"policies", "p"}, {"profiles", "web"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Call(Operation::kRead, "profiles/keys/obj")->data->at("algorithm").as_string(),
            "EdDSA");
}

TEST_F(SignedBackendTest, KeysReadListDelete) {
  auto read = Call(Operation::kRead, "profiles/keys/app");
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->data->at("algorithm").as_string(), "ES256");
  EXPECT_EQ(read->data->at("token_ttl").as_int64(), 120);
  auto list = Call(Operation::kList, "profiles/keys/");
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(json::serialize(list->data->at("keys")), R"(["app"])");
  ASSERT_TRUE(Call(Operation::kDelete, "profiles/keys/app").ok());
  auto r = Call(Operation::kUpdate, "profiles/execute/web", Jws(Nonce()), "");
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(SignedBackendTest, NonceTtlComesFromConfig) {
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/config", {{"nonce_ttl", "10s"}}).ok());
  auto n = Call(Operation::kRead, "profiles/nonce", {}, "");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->data->at("expires_in").as_int64(), 10);
  json::object body = Jws(std::string(n->data->at("nonce").as_string()));
  clock_.Advance(std::chrono::seconds(11));
  auto r = Call(Operation::kUpdate, "profiles/execute/web", body, "");
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(r.status().message().find("nonce expired"), std::string::npos);
}

TEST_F(SignedBackendTest, ConfigRefusesNonceTtlOutOfRange) {
  EXPECT_EQ(Call(Operation::kUpdate, "profiles/config", {{"nonce_ttl", "2h"}}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::profiles
