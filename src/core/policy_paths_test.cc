// src/core/policy_paths_test.cc: sys/policy, sys/policies/acl and sys/capabilities* handlers.
#include "core/policy_paths.h"

#include <gtest/gtest.h>

// Designated initialisers below name only the fields each case sets.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "core/acl_cache.h"
#include "core/namespace_policies.h"
#include "core/namespace_store.h"
#include "core/policy_store.h"
#include "core/token_store.h"
#include "crypto/encoding.h"
#include "framework/path_backend.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using framework::Operation;
using framework::Request;
using framework::Response;

constexpr std::string_view kDev = R"(path "secret/*" {
  capabilities = ["read", "list"]
}
path "secret/admin" {
  capabilities = ["deny"]
}
)";

class PolicyPathsTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(sys_.SetPaths(PolicyPaths(namespaced_, tokens_)).ok()); }

  StatusOr<Response> Call(Operation op, std::string path, boost::json::object data = {},
                          std::vector<std::string> caller_policies = {}) {
    Request req;
    req.operation = op;
    req.path = std::move(path);
    req.mount_point = "sys/";
    req.data = std::move(data);
    req.caller.policies = std::move(caller_policies);
    if (op == Operation::kUpdate) {
      auto exists = sys_.Exists(req);
      if (exists.ok() && !*exists) {
        req.operation = Operation::kCreate;
      }
    }
    return sys_.HandleRequest(req);
  }

  storage::MemoryStorage storage_;
  FakeClock clock_;
  PolicyStore policies_{storage_};
  AclCache acls_{policies_};
  TokenStore tokens_{storage_, clock_};
  NamespaceStore namespaces_;
  NamespacePolicies namespaced_{storage_, policies_, acls_, namespaces_};
  framework::PathBackend sys_{framework::BackendType::kSecrets};
};

TEST_F(PolicyPathsTest, AclWriteReadListDelete) {
  auto w = Call(Operation::kUpdate, "policies/acl/dev", {{"policy", kDev}});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_TRUE(w->Empty());
  auto r = Call(Operation::kRead, "policies/acl/dev");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data->at("name").as_string(), "dev");
  EXPECT_EQ(r->data->at("policy").as_string(), kDev);
  auto l = Call(Operation::kList, "policies/acl/");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->data->at("keys").as_array(), (boost::json::array{"default", "dev", "root"}));
  ASSERT_TRUE(Call(Operation::kDelete, "policies/acl/dev").ok());
  EXPECT_EQ(Call(Operation::kRead, "policies/acl/dev").status().code(), StatusCode::kNotFound);
}

TEST_F(PolicyPathsTest, AclAcceptsBase64) {
  ASSERT_TRUE(Call(Operation::kUpdate, "policies/acl/b64",
                   {{"policy", crypto::Base64Encode(std::string(kDev))}})
                  .ok());
  EXPECT_EQ(Call(Operation::kRead, "policies/acl/b64")->data->at("policy").as_string(), kDev);
}

TEST_F(PolicyPathsTest, AclNeedsPolicyField) {
  EXPECT_EQ(Call(Operation::kUpdate, "policies/acl/x", {{"rules", kDev}}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(PolicyPathsTest, ParseErrorHasPosition) {
  auto w = Call(Operation::kUpdate, "policies/acl/bad",
                {{"policy", "path \"a\" {\n  capabilities = [\"read\"]\n  oops = 1\n}\n"}});
  ASSERT_EQ(w.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(w.status().message().find("3:3"), std::string::npos) << w.status().message();
}

TEST_F(PolicyPathsTest, LegacyPolicyEndpoint) {
  ASSERT_TRUE(Call(Operation::kUpdate, "policy/dev", {{"rules", kDev}}).ok());
  auto r = Call(Operation::kRead, "policy/dev");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data->at("rules").as_string(), kDev);
  auto l = Call(Operation::kRead, "policy");
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(l->data->at("policies").as_array(), (boost::json::array{"default", "dev", "root"}));
  EXPECT_EQ(l->data->at("keys"), l->data->at("policies"));
}

TEST_F(PolicyPathsTest, BuiltInsProtected) {
  EXPECT_EQ(Call(Operation::kUpdate, "policies/acl/root", {{"policy", kDev}}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Call(Operation::kDelete, "policies/acl/root").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Call(Operation::kDelete, "policy/default").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(Call(Operation::kUpdate, "policies/acl/default", {{"policy", kDev}}).ok());
  auto r = Call(Operation::kRead, "policies/acl/default");
  EXPECT_EQ(r->data->at("policy").as_string(), kDev);
}

TEST_F(PolicyPathsTest, ExistenceCheckDecidesCreate) {
  Request req;
  req.operation = Operation::kUpdate;
  req.path = "policies/acl/new";
  req.mount_point = "sys/";
  EXPECT_FALSE(*sys_.Exists(req));
  req.path = "policies/acl/default";
  EXPECT_TRUE(*sys_.Exists(req));
}

TEST_F(PolicyPathsTest, CapabilitiesForToken) {
  ASSERT_TRUE(policies_.Set("dev", kDev).ok());
  CreatedToken t = *tokens_.Create({.policies = {"default", "dev"}});
  auto r = Call(Operation::kUpdate, "capabilities",
                {{"token", t.token}, {"paths", boost::json::array{"secret/a", "secret/admin"}}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data->at("secret/a").as_array(), (boost::json::array{"list", "read"}));
  EXPECT_EQ(r->data->at("secret/admin").as_array(), (boost::json::array{"deny"}));
  EXPECT_FALSE(r->data->contains("capabilities"));  // only for a single path
}

TEST_F(PolicyPathsTest, CapabilitiesSelfSinglePath) {
  ASSERT_TRUE(policies_.Set("dev", kDev).ok());
  auto r = Call(Operation::kUpdate, "capabilities-self", {{"path", "secret/x"}}, {"dev"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data->at("secret/x").as_array(), (boost::json::array{"list", "read"}));
  EXPECT_EQ(r->data->at("capabilities").as_array(), (boost::json::array{"list", "read"}));
}

TEST_F(PolicyPathsTest, CapabilitiesRootAndNone) {
  CreatedToken root = *tokens_.CreateRoot();
  auto r = Call(Operation::kUpdate, "capabilities", {{"token", root.token}, {"paths", "sys/seal"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data->at("capabilities").as_array(), (boost::json::array{"root"}));
  auto none = Call(Operation::kUpdate, "capabilities-self", {{"paths", "kv/x"}}, {"default"});
  EXPECT_EQ(none->data->at("capabilities").as_array(), (boost::json::array{"deny"}));
}

TEST_F(PolicyPathsTest, CapabilitiesAccessor) {
  ASSERT_TRUE(policies_.Set("dev", kDev).ok());
  CreatedToken t = *tokens_.Create({.policies = {"dev"}});
  auto r = Call(Operation::kUpdate, "capabilities-accessor",
                {{"accessor", t.entry.accessor}, {"paths", "secret/x"}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->data->at("capabilities").as_array(), (boost::json::array{"list", "read"}));
  EXPECT_EQ(Call(Operation::kUpdate, "capabilities-accessor",
                 {{"accessor", "nope"}, {"paths", "secret/x"}})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::core
