// src/core/core_namespace_tokens_test.cc: each namespace's own policies and tokens: a namespace's
// token reaches only its namespace and the ones below, with that namespace's policies.
#include <gtest/gtest.h>

#include "core/core_namespaces_testutil.h"

namespace cellar::core {
namespace {

using framework::Operation;

constexpr char kAdminPolicy[] =
    R"(path "*" { capabilities = ["create", "read", "update", "delete", "list", "sudo"] })";

// ns1, ns2 and ns1/child, each with a kv/ mount holding a = its path; the root's secret/a.
class CoreNamespaceTokensTest : public testing_util::NamespacedCoreTest {
 protected:
  void SetUp() override {
    NamespacedCoreTest::SetUp();
    for (const char* ns : {"ns1", "ns2", "ns1/child"}) {
      Create(ns);
    }
    for (const char* ns : {"ns1/", "ns2/", "ns1/child/"}) {
      ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/kv", {{"type", "kv"}}, ns).ok()) << ns;
      ASSERT_TRUE(Do(Operation::kUpdate, "kv/a", {{"v", ns}}, ns).ok()) << ns;
    }
    ASSERT_TRUE(Do(Operation::kUpdate, "secret/a", {{"v", "root"}}).ok());
  }

  void WritePolicy(const std::string& ns, const std::string& name, const std::string& text) {
    auto r = Do(Operation::kUpdate, "sys/policies/acl/" + name, {{"policy", text}}, ns);
    ASSERT_TRUE(r.ok()) << ns << name << ": " << r.status().ToString();
  }

  // A token made by root in namespace `ns` with `policies` (names of that namespace's policies).
  std::string TokenIn(const std::string& ns, const std::string& policies) {
    auto r = Do(Operation::kUpdate, "auth/token/create", {{"policies", policies}}, ns);
    EXPECT_TRUE(r.ok() && r->auth) << r.status().ToString();
    return r.ok() && r->auth ? r->auth->client_token : std::string();
  }
};

TEST_F(CoreNamespaceTokensTest, NamespacePoliciesAreNotTheRootsPolicies) {
  WritePolicy("ns1/", "team", R"(path "kv/*" { capabilities = ["read"] })");
  EXPECT_EQ(Do(Operation::kRead, "sys/policies/acl/team").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Do(Operation::kRead, "sys/policies/acl/team", {}, "ns2/").status().code(),
            StatusCode::kNotFound);
  auto in_ns = Do(Operation::kList, "sys/policies/acl", {}, "ns1/");
  ASSERT_TRUE(in_ns.ok()) << in_ns.status().ToString();
  EXPECT_EQ(Keys(*in_ns), (std::vector<std::string>{"default", "root", "team"}));
  auto root = Do(Operation::kList, "sys/policies/acl");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(Keys(*root), (std::vector<std::string>{"default", "root"}));
}

TEST_F(CoreNamespaceTokensTest, NamespaceAdminCannotChangeRootPoliciesOrMakeRootTokens) {
  WritePolicy("ns1/", "admin", kAdminPolicy);
  std::string admin = TokenIn("ns1/", "admin");
  std::string evil = R"(path "*" { capabilities = ["sudo", "read"] })";
  // Its own namespace's policies: allowed.
  EXPECT_TRUE(Do(Operation::kUpdate, "sys/policies/acl/x", {{"policy", evil}}, "ns1/", admin).ok());
  // The root's: denied, by header or without one.
  EXPECT_EQ(
      Do(Operation::kUpdate, "sys/policies/acl/x", {{"policy", evil}}, "", admin).status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(
      Do(Operation::kUpdate, "sys/policy/default", {{"policy", evil}}, "", admin).status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(Do(Operation::kUpdate, "auth/token/create", {}, "", admin).status().code(),
            StatusCode::kPermissionDenied);
  // A token it makes is its namespace's, with its namespace's policies, never root.
  EXPECT_FALSE(
      Do(Operation::kUpdate, "auth/token/create", {{"policies", "root"}}, "ns1/", admin).ok());
  auto child = Do(Operation::kUpdate, "auth/token/create", {{"policies", "x"}}, "ns1/", admin);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  EXPECT_EQ(Do(Operation::kRead, "secret/a", {}, "", child->auth->client_token).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreNamespaceTokensTest, NamespaceTokenReachesItsNamespaceAndChildrenOnly) {
  WritePolicy("ns1/", "admin", kAdminPolicy);
  std::string admin = TokenIn("ns1/", "admin");
  auto own = Do(Operation::kRead, "kv/a", {}, "ns1/", admin);
  ASSERT_TRUE(own.ok() && own->data) << own.status().ToString();
  EXPECT_EQ(own->data->at("v").as_string(), "ns1/");
  EXPECT_TRUE(Do(Operation::kRead, "child/kv/a", {}, "ns1/", admin).ok());
  EXPECT_TRUE(Do(Operation::kRead, "kv/a", {}, "ns1/child/", admin).ok());
  EXPECT_EQ(Do(Operation::kRead, "ns2/kv/a", {}, "", admin).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Do(Operation::kRead, "kv/a", {}, "ns2/", admin).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Do(Operation::kRead, "secret/a", {}, "", admin).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreNamespaceTokensTest, PolicyPathsAreRelativeToTheTokensNamespace) {
  WritePolicy("ns1/", "kvread", R"(path "kv/*" { capabilities = ["read"] })");
  std::string reader = TokenIn("ns1/", "kvread");
  EXPECT_TRUE(Do(Operation::kRead, "kv/a", {}, "ns1/", reader).ok());
  EXPECT_TRUE(Do(Operation::kRead, "ns1/kv/a", {}, "", reader).ok());
  // "kv/*" is ns1's kv, not the child's.
  EXPECT_EQ(Do(Operation::kRead, "kv/a", {}, "ns1/child/", reader).status().code(),
            StatusCode::kPermissionDenied);
  auto caps = Do(Operation::kUpdate, "sys/capabilities-self", {{"paths", "kv/a"}}, "ns1/", reader);
  ASSERT_TRUE(caps.ok() && caps->data) << caps.status().ToString();
  EXPECT_EQ(caps->data->at("capabilities").as_array(), (boost::json::array{"read"}));
}

TEST_F(CoreNamespaceTokensTest, MakingATokenInAChildNamespaceNeedsSudo) {
  WritePolicy("ns1/", "maker", R"(path "child/auth/token/create" { capabilities = ["update"] })");
  std::string maker = TokenIn("ns1/", "maker");
  EXPECT_EQ(Do(Operation::kUpdate, "auth/token/create", {}, "ns1/child/", maker).status().code(),
            StatusCode::kInvalidArgument);
  WritePolicy("ns1/", "sudomaker",
              R"(path "child/auth/token/create" { capabilities = ["update", "sudo"] })");
  std::string sudo = TokenIn("ns1/", "sudomaker");
  auto made = Do(Operation::kUpdate, "auth/token/create", {{"policies", "p"}}, "ns1/child/", sudo);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  auto look =
      Do(Operation::kRead, "auth/token/lookup-self", {}, "ns1/child/", made->auth->client_token);
  ASSERT_TRUE(look.ok() && look->data) << look.status().ToString();
  EXPECT_EQ(look->data->at("namespace_path").as_string(), "ns1/child/");
}

TEST_F(CoreNamespaceTokensTest, CustomTokenIdsOnlyInTheRootNamespace) {
  EXPECT_EQ(Do(Operation::kUpdate, "auth/token/create", {{"id", "mine"}}, "ns1/").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(CoreNamespaceTokensTest, LookupShowsTheNamespaceAndHidesOtherNamespacesTokens) {
  std::string t = TokenIn("ns1/", "default");
  auto self = Do(Operation::kRead, "auth/token/lookup-self", {}, "ns1/", t);
  ASSERT_TRUE(self.ok() && self->data) << self.status().ToString();
  EXPECT_EQ(self->data->at("namespace_path").as_string(), "ns1/");
  auto root_self = Do(Operation::kRead, "auth/token/lookup-self");
  ASSERT_TRUE(root_self.ok() && root_self->data);
  EXPECT_FALSE(root_self->data->contains("namespace_path"));
  // From ns2, ns1's token is unknown; from the root it is visible.
  EXPECT_EQ(Do(Operation::kUpdate, "auth/token/lookup", {{"token", t}}, "ns2/").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(Do(Operation::kUpdate, "auth/token/lookup", {{"token", t}}).ok());
  // Revoking it from ns2 does nothing.
  ASSERT_TRUE(Do(Operation::kUpdate, "auth/token/revoke", {{"token", t}}, "ns2/").ok());
  EXPECT_TRUE(Do(Operation::kRead, "auth/token/lookup-self", {}, "ns1/", t).ok());
}

TEST_F(CoreNamespaceTokensTest, LoginThroughANamespacesAuthMountMakesItsToken) {
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/auth/fa", {{"type", "fakeauth"}}, "ns1/").ok());
  // The login's "default" is ns1's default, which here also reads ns1's kv.
  WritePolicy("ns1/", "default", R"(path "kv/*" { capabilities = ["read"] })");
  auto login = Do(Operation::kUpdate, "auth/fa/login/bob", {}, "ns1/", "");
  ASSERT_TRUE(login.ok() && login->auth) << login.status().ToString();
  std::string t = login->auth->client_token;
  EXPECT_TRUE(Do(Operation::kRead, "kv/a", {}, "ns1/", t).ok());
  EXPECT_EQ(Do(Operation::kRead, "secret/a", {}, "", t).status().code(),
            StatusCode::kPermissionDenied);
  auto look = Do(Operation::kUpdate, "auth/token/lookup", {{"token", t}});
  ASSERT_TRUE(look.ok() && look->data) << look.status().ToString();
  EXPECT_EQ(look->data->at("namespace_path").as_string(), "ns1/");
}

TEST_F(CoreNamespaceTokensTest, DeletingANamespaceRevokesItsTokensAndErasesItsPolicies) {
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/namespaces/gone").ok());
  WritePolicy("gone/", "p", R"(path "*" { capabilities = ["read"] })");
  std::string t = TokenIn("gone/", "p");
  ASSERT_TRUE(Do(Operation::kRead, "auth/token/lookup-self", {}, "gone/", t).ok());
  ASSERT_TRUE(Do(Operation::kDelete, "sys/namespaces/gone").ok());
  EXPECT_EQ(Do(Operation::kUpdate, "auth/token/lookup", {{"token", t}}).status().code(),
            StatusCode::kPermissionDenied);
  // Made again, it starts with only the built-in policies and the old token stays dead.
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/namespaces/gone").ok());
  auto list = Do(Operation::kList, "sys/policies/acl", {}, "gone/");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(Keys(*list), (std::vector<std::string>{"default", "root"}));
  EXPECT_EQ(Do(Operation::kRead, "auth/token/lookup-self", {}, "gone/", t).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreNamespaceTokensTest, TokensAndPoliciesSurviveSealAndUnseal) {
  WritePolicy("ns1/", "kvread", R"(path "kv/*" { capabilities = ["read"] })");
  std::string reader = TokenIn("ns1/", "kvread");
  ASSERT_TRUE(core_->Seal().ok());
  ASSERT_TRUE(core_->UnsealWithKey(unseal_key_).ok());
  EXPECT_TRUE(Do(Operation::kRead, "kv/a", {}, "ns1/", reader).ok());
  EXPECT_EQ(Do(Operation::kRead, "secret/a", {}, "", reader).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreNamespaceTokensTest, UiMountLookupIsInsideTheRequestsNamespace) {
  WritePolicy("ns1/", "admin", kAdminPolicy);
  std::string admin = TokenIn("ns1/", "admin");
  auto own = Do(Operation::kRead, "sys/internal/ui/mounts/kv/a", {}, "ns1/", admin);
  ASSERT_TRUE(own.ok() && own->data) << own.status().ToString();
  EXPECT_EQ(own->data->at("path").as_string(), "kv/");
  // The root's secret/ mount is not ns1's, and its details are not shown to ns1's admin.
  EXPECT_EQ(
      Do(Operation::kRead, "sys/internal/ui/mounts/secret/a", {}, "ns1/", admin).status().code(),
      StatusCode::kPermissionDenied);
  EXPECT_EQ(Do(Operation::kRead, "sys/internal/ui/mounts/secret/a", {}, "", admin).status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreNamespaceTokensTest, SysLeasesInANamespaceReachOnlyItsLeases) {
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/db", {{"type", "fake"}}).ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/db", {{"type", "fake"}}, "ns1/").ok());
  auto root_lease = Do(Operation::kRead, "db/lease/app");
  auto ns_lease = Do(Operation::kRead, "db/lease/app", {}, "ns1/");
  ASSERT_TRUE(root_lease.ok() && ns_lease.ok());
  EXPECT_TRUE(ns_lease->lease_id.starts_with("ns1/db/lease/app/")) << ns_lease->lease_id;
  WritePolicy("ns1/", "admin", kAdminPolicy);
  std::string admin = TokenIn("ns1/", "admin");
  auto lookup = [&](const std::string& id) {
    return Do(Operation::kUpdate, "sys/leases/lookup", {{"lease_id", id}}, "ns1/", admin);
  };
  // Its own lease by the id it was given or relative to the namespace; the root's not at all.
  EXPECT_TRUE(lookup(ns_lease->lease_id).ok());
  EXPECT_TRUE(lookup(ns_lease->lease_id.substr(4)).ok());
  EXPECT_EQ(lookup(root_lease->lease_id).status().code(), StatusCode::kInvalidArgument);
  auto listed = Do(Operation::kList, "sys/leases/lookup/db/lease/app/", {}, "ns1/", admin);
  ASSERT_TRUE(listed.ok() && listed->data) << listed.status().ToString();
  EXPECT_EQ(listed->data->at("keys").as_array().size(), 1u);
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/leases/revoke-prefix/db", {}, "ns1/", admin).ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/leases/revoke", {{"lease_id", root_lease->lease_id}},
                 "ns1/", admin)
                  .ok());  // an unknown lease, as Vault: nothing happens
  EXPECT_TRUE(
      Do(Operation::kUpdate, "sys/leases/lookup", {{"lease_id", root_lease->lease_id}}).ok());
  EXPECT_EQ(lookup(ns_lease->lease_id).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::core
