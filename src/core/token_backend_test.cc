// src/core/token_backend_test.cc: auth/token/ requests end to end over memory storage.
#include "core/token_backend.h"

#include <gtest/gtest.h>

#include "core/acl_cache.h"
#include "core/policy_store.h"
#include "core/token_store.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using framework::Operation;
using framework::Request;
using framework::Response;

class TokenBackendTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(policies_.Set("dev", R"(path "secret/*" { capabilities = ["read"] })").ok());
    ASSERT_TRUE(policies_.Set("ops", R"(path "ops/*" { capabilities = ["read"] })").ok());
    ASSERT_TRUE(
        policies_.Set("creator", R"(path "auth/token/create" { capabilities = ["update"] })").ok());
    ASSERT_TRUE(
        policies_.Set("sudoer", R"(path "auth/token/create" { capabilities = ["update", "sudo"] })")
            .ok());
    auto backend = NewTokenBackend(tokens_, acls_);
    ASSERT_TRUE(backend.ok()) << backend.status().ToString();
    backend_ = std::move(backend).value();
    root_ = tokens_.CreateRoot("root-token").value().token;
  }

  StatusOr<Response> Call(Operation op, std::string path, boost::json::object data,
                          const std::string& token) {
    Request req;
    req.operation = op;
    req.path = std::move(path);
    req.mount_point = "auth/token/";
    req.data = std::move(data);
    req.caller.token = token;
    if (auto e = tokens_.Lookup(token); e.ok() && *e) {
      req.caller.policies = (*e)->policies;
      req.caller.accessor = (*e)->accessor;
    }
    return backend_->HandleRequest(req);
  }

  // A token created by root with `policies`.
  framework::Auth Make(boost::json::object body, const std::string& as = "") {
    auto r = Call(Operation::kUpdate, "create", std::move(body), as.empty() ? root_ : as);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && r->auth ? *r->auth : framework::Auth{};
  }

  storage::MemoryStorage storage_;
  FakeClock clock_;
  PolicyStore policies_{storage_};
  AclCache acls_{policies_};
  TokenStore tokens_{storage_, clock_};
  std::unique_ptr<TokenBackend> backend_;
  std::string root_;
};

TEST_F(TokenBackendTest, CreateReturnsAuthBlock) {
  framework::Auth auth = Make({{"policies", boost::json::array{"ops", "dev"}}, {"ttl", "1h"}});
  EXPECT_EQ(auth.client_token.substr(0, 4), "hvs.");
  EXPECT_EQ(auth.accessor.size(), 24u);
  EXPECT_EQ(auth.policies, (std::vector<std::string>{"default", "dev", "ops"}));
  EXPECT_EQ(auth.ttl, std::chrono::hours(1));
  EXPECT_TRUE(auth.renewable);
  EXPECT_FALSE(auth.orphan);  // child of the root token
}

TEST_F(TokenBackendTest, CreateOrphan) {
  auto r = Call(Operation::kUpdate, "create-orphan", {{"policies", "dev"}}, root_);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->auth->orphan);
}

TEST_F(TokenBackendTest, ChildInheritsParentPolicies) {
  framework::Auth parent = Make({{"policies", "dev,creator"}});
  framework::Auth child = Make({}, parent.client_token);
  EXPECT_EQ(child.policies, (std::vector<std::string>{"creator", "default", "dev"}));
}

TEST_F(TokenBackendTest, ChildPoliciesMustBeWithinParent) {
  framework::Auth parent = Make({{"policies", "dev,creator"}});
  auto r = Call(Operation::kUpdate, "create", {{"policies", "ops"}}, parent.client_token);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  auto ok = Call(Operation::kUpdate, "create", {{"policies", "dev,default"}}, parent.client_token);
  EXPECT_TRUE(ok.ok());
  auto root = Call(Operation::kUpdate, "create", {{"policies", "root"}}, parent.client_token);
  EXPECT_EQ(root.status().code(), StatusCode::kPermissionDenied);
}

TEST_F(TokenBackendTest, NoDefaultPolicy) {
  framework::Auth a = Make({{"policies", "dev"}, {"no_default_policy", true}});
  EXPECT_EQ(a.policies, std::vector<std::string>{"dev"});
}

struct SudoFieldCase {
  std::string name;
  boost::json::object body;
};

class TokenBackendSudoTest : public TokenBackendTest,
                             public testing::WithParamInterface<SudoFieldCase> {};

TEST_P(TokenBackendSudoTest, NeedsSudoOrRoot) {
  framework::Auth plain = Make({{"policies", "creator"}});
  framework::Auth sudoer = Make({{"policies", "sudoer"}});
  EXPECT_EQ(Call(Operation::kUpdate, "create", GetParam().body, plain.client_token).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(Call(Operation::kUpdate, "create", GetParam().body, sudoer.client_token).ok());
}

INSTANTIATE_TEST_SUITE_P(Fields, TokenBackendSudoTest,
                         testing::Values(SudoFieldCase{"Id", {{"id", "custom-token"}}},
                                         SudoFieldCase{"NoParent", {{"no_parent", true}}},
                                         SudoFieldCase{"Period", {{"period", "1h"}}}),
                         [](const auto& info) { return info.param.name; });

TEST_F(TokenBackendTest, CustomIdWorks) {
  framework::Auth a = Make({{"id", "my-token"}, {"policies", "dev"}});
  EXPECT_EQ(a.client_token, "my-token");
  EXPECT_TRUE(*tokens_.Lookup("my-token"));
}

TEST_F(TokenBackendTest, LookupSelfShape) {
  framework::Auth a = Make({{"policies", "dev"},
                            {"display_name", "ci"},
                            {"ttl", "1h"},
                            {"meta", boost::json::object{{"team", "x"}}}});
  auto r = Call(Operation::kRead, "lookup-self", {}, a.client_token);
  ASSERT_TRUE(r.ok());
  const boost::json::object& d = *r->data;
  EXPECT_EQ(d.at("id").as_string(), a.client_token);
  EXPECT_EQ(d.at("accessor").as_string(), a.accessor);
  EXPECT_EQ(d.at("display_name").as_string(), "token-ci");
  EXPECT_EQ(d.at("path").as_string(), "auth/token/create");
  EXPECT_EQ(d.at("ttl").as_int64(), 3600);
  EXPECT_EQ(d.at("meta").as_object().at("team").as_string(), "x");
  EXPECT_FALSE(d.at("orphan").as_bool());
  EXPECT_EQ(d.at("type").as_string(), "service");
}

TEST_F(TokenBackendTest, LookupOtherAndByAccessor) {
  framework::Auth a = Make({{"policies", "dev"}});
  auto r = Call(Operation::kUpdate, "lookup", {{"token", a.client_token}}, root_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data->at("accessor").as_string(), a.accessor);
  auto by_acc = Call(Operation::kUpdate, "lookup-accessor", {{"accessor", a.accessor}}, root_);
  ASSERT_TRUE(by_acc.ok());
  EXPECT_EQ(by_acc->data->at("id").as_string(), "");  // never reveals the token
  EXPECT_EQ(Call(Operation::kUpdate, "lookup", {{"token", "hvs.bad"}}, root_).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(
      Call(Operation::kUpdate, "lookup-accessor", {{"accessor", "bad"}}, root_).status().code(),
      StatusCode::kInvalidArgument);
}

TEST_F(TokenBackendTest, RenewSelfAndByAccessor) {
  framework::Auth a = Make({{"policies", "dev"}, {"ttl", "1h"}});
  clock_.Advance(std::chrono::minutes(30));
  auto r = Call(Operation::kUpdate, "renew-self", {{"increment", "2h"}}, a.client_token);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->auth->ttl, std::chrono::hours(2));
  EXPECT_EQ(r->auth->client_token, a.client_token);
  auto by_acc = Call(Operation::kUpdate, "renew-accessor", {{"accessor", a.accessor}}, root_);
  ASSERT_TRUE(by_acc.ok());
  EXPECT_EQ(by_acc->auth->ttl, std::chrono::hours(1));
  EXPECT_EQ(by_acc->auth->client_token, "");
}

TEST_F(TokenBackendTest, RenewChecksAuthMethod) {
  framework::Auth a = Make({{"policies", "dev"}});
  backend_->SetAuthRenewCheck(
      [](const TokenEntry&) { return InvalidArgumentError("role is gone"); });
  EXPECT_EQ(Call(Operation::kUpdate, "renew", {{"token", a.client_token}}, root_).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(TokenBackendTest, RevokeSelfTakesChildren) {
  framework::Auth parent = Make({{"policies", "dev,creator"}});
  framework::Auth child = Make({}, parent.client_token);
  auto r = Call(Operation::kUpdate, "revoke-self", {}, parent.client_token);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->Empty());
  EXPECT_FALSE(*tokens_.Lookup(parent.client_token));
  EXPECT_FALSE(*tokens_.Lookup(child.client_token));
}

TEST_F(TokenBackendTest, RevokeAndRevokeAccessor) {
  framework::Auth a = Make({{"policies", "dev"}});
  framework::Auth b = Make({{"policies", "dev"}});
  ASSERT_TRUE(Call(Operation::kUpdate, "revoke", {{"token", a.client_token}}, root_).ok());
  ASSERT_TRUE(Call(Operation::kUpdate, "revoke-accessor", {{"accessor", b.accessor}}, root_).ok());
  EXPECT_FALSE(*tokens_.Lookup(a.client_token));
  EXPECT_FALSE(*tokens_.Lookup(b.client_token));
  EXPECT_TRUE(Call(Operation::kUpdate, "revoke", {{"token", "hvs.unknown"}}, root_).ok());
}

TEST_F(TokenBackendTest, RevokeOrphanKeepsChildren) {
  framework::Auth parent = Make({{"policies", "dev,creator"}});
  framework::Auth child = Make({}, parent.client_token);
  ASSERT_TRUE(
      Call(Operation::kUpdate, "revoke-orphan", {{"token", parent.client_token}}, root_).ok());
  EXPECT_FALSE(*tokens_.Lookup(parent.client_token));
  auto c = *tokens_.Lookup(child.client_token);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->orphan());
}

TEST_F(TokenBackendTest, ListAccessors) {
  framework::Auth a = Make({{"policies", "dev"}});
  auto r = Call(Operation::kList, "accessors/", {}, root_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const boost::json::array& keys = r->data->at("keys").as_array();
  EXPECT_EQ(keys.size(), 2u);  // root and a
  EXPECT_NE(std::find(keys.begin(), keys.end(), boost::json::value(a.accessor)), keys.end());
}

TEST_F(TokenBackendTest, BadFieldTypeIsInvalidArgument) {
  EXPECT_EQ(Call(Operation::kUpdate, "create", {{"ttl", "soon"}}, root_).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Call(Operation::kUpdate, "create", {{"num_uses", -1}}, root_).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::core
