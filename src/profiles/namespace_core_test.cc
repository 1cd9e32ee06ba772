// src/profiles/namespace_core_test.cc: profiles stored in a namespace, through a real Core: each
// namespace has its own profiles, and a profile's requests stay inside its namespace.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

#include "profiles/core_testutil.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;
using framework::Operation;

// Reads kv/data/a relative to wherever the profile is stored.
constexpr char kReadA[] = R"(
request "a" { path = "kv/data/a" }
output { data = { v = request.a.data.data.v } }
)";

class NamespaceProfileTest : public DevCoreTest {
 protected:
  void SetUp() override {
    StartCoreWithProfiles();
    // The same mount path, with different values, at the root and in ns1.
    Must(Operation::kUpdate, "sys/namespaces/ns1", {});
    Must(Operation::kUpdate, "sys/mounts/kv", {{"type", "kv"}, {"options", {{"version", "2"}}}});
    Must(Operation::kUpdate, "ns1/sys/mounts/kv",
         {{"type", "kv"}, {"options", {{"version", "2"}}}});
    Must(Operation::kUpdate, "kv/data/a", {{"data", {{"v", "root"}}}});
    Must(Operation::kUpdate, "ns1/kv/data/a", {{"data", {{"v", "ns1"}}}});
  }

  // A root-token request made in namespace `ns` ("" = root) by the X-Vault-Namespace header.
  StatusOr<framework::Response> In(std::string ns, Operation op, std::string path,
                                   json::object body = {}) {
    framework::Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.caller.token = "root";
    req.namespace_path = std::move(ns);
    return core_->HandleRequest(req);
  }

  // The `v` an execution of `name` in `ns` returns, or the error's code name.
  std::string ExecuteIn(const std::string& ns, const std::string& name) {
    auto r = In(ns, Operation::kUpdate, "sys/profiles/execute/" + name);
    if (!r.ok()) {
      return std::string(StatusCodeName(r.status().code()));
    }
    return std::string(r->data->at("v").as_string());
  }
};

TEST_F(NamespaceProfileTest, ProfileReadsItsOwnNamespacesMount) {
  ASSERT_TRUE(In("ns1/", Operation::kUpdate, "sys/profiles/modify/p", {{"profile", kReadA}}).ok());
  EXPECT_EQ(ExecuteIn("ns1/", "p"), "ns1");
  // The same profile addressed by path prefix instead of the header.
  auto by_prefix = In("", Operation::kUpdate, "ns1/sys/profiles/execute/p");
  ASSERT_TRUE(by_prefix.ok()) << by_prefix.status().ToString();
  EXPECT_EQ(by_prefix->data->at("v").as_string(), "ns1");
}

TEST_F(NamespaceProfileTest, EachNamespaceHasItsOwnProfiles) {
  ASSERT_TRUE(In("ns1/", Operation::kUpdate, "sys/profiles/modify/p", {{"profile", kReadA}}).ok());
  EXPECT_EQ(In("", Operation::kRead, "sys/profiles/modify/p").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(ExecuteIn("", "p"), StatusCodeName(StatusCode::kNotFound));
  // The same name at the root is another profile.
  ASSERT_TRUE(In("", Operation::kUpdate, "sys/profiles/modify/p", {{"profile", kReadA}}).ok());
  EXPECT_EQ(ExecuteIn("", "p"), "root");
  EXPECT_EQ(ExecuteIn("ns1/", "p"), "ns1");
  auto listed = In("ns1/", Operation::kList, "sys/profiles/modify");
  ASSERT_TRUE(listed.ok() && listed->data) << listed.status().ToString();
  EXPECT_EQ(json::serialize(listed->data->at("keys")), R"(["p"])");
  ASSERT_TRUE(In("", Operation::kDelete, "sys/profiles/modify/p").ok());
  EXPECT_EQ(ExecuteIn("ns1/", "p"), "ns1");
}

TEST_F(NamespaceProfileTest, ProfileCannotReachTheRootsMounts) {
  // secret/ exists only at the root: inside ns1 there is no such mount.
  Must(Operation::kUpdate, "secret/data/x", {{"data", {{"v", "root-secret"}}}});
  Must(Operation::kUpdate, "sys/namespaces/ns2", {});
  Must(Operation::kUpdate, "ns2/sys/mounts/kv", {{"type", "kv"}, {"options", {{"version", "2"}}}});
  Must(Operation::kUpdate, "ns2/kv/data/a", {{"data", {{"v", "ns2"}}}});
  constexpr char kRootSecret[] = R"(
input { data = { path = "string" } }
request "x" { path = input.data.path }
output { data = { v = request.x.data.data.v } }
)";
  ASSERT_TRUE(
      In("ns1/", Operation::kUpdate, "sys/profiles/modify/esc", {{"profile", kRootSecret}}).ok());
  for (const char* path :
       {"secret/data/x", "../secret/data/x", "ns2/kv/data/a", "../ns2/kv/data/a"}) {
    auto r = In("ns1/", Operation::kUpdate, "sys/profiles/execute/esc", {{"path", path}});
    EXPECT_FALSE(r.ok()) << path;
  }
  // A literal path that climbs out is refused when the profile is written.
  constexpr char kClimb[] = R"(
request "x" { path = "../secret/data/x" }
)";
  EXPECT_EQ(In("ns1/", Operation::kUpdate, "sys/profiles/modify/climb", {{"profile", kClimb}})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  // So is one to a sys endpoint only the root namespace serves.
  constexpr char kSeal[] = R"(
request "s" {
  path      = "sys/seal"
  operation = "update"
}
output { data = { done = true } }
)";
  auto sealed = In("ns1/", Operation::kUpdate, "sys/profiles/modify/seal", {{"profile", kSeal}});
  EXPECT_EQ(sealed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(sealed.status().message().find("only available in the root namespace"),
            std::string::npos)
      << sealed.status().ToString();
  EXPECT_TRUE(In("", Operation::kUpdate, "sys/profiles/modify/seal", {{"profile", kSeal}}).ok());
}

TEST_F(NamespaceProfileTest, ChildNamespaceIsInsideItsParent) {
  Must(Operation::kUpdate, "ns1/sys/namespaces/child", {});
  Must(Operation::kUpdate, "ns1/child/sys/mounts/kv",
       {{"type", "kv"}, {"options", {{"version", "2"}}}});
  Must(Operation::kUpdate, "ns1/child/kv/data/a", {{"data", {{"v", "child"}}}});
  constexpr char kChild[] = R"(
request "a" { path = "child/kv/data/a" }
output { data = { v = request.a.data.data.v } }
)";
  ASSERT_TRUE(In("ns1/", Operation::kUpdate, "sys/profiles/modify/c", {{"profile", kChild}}).ok());
  EXPECT_EQ(ExecuteIn("ns1/", "c"), "child");
}

TEST_F(NamespaceProfileTest, DeletedNamespaceTakesItsProfiles) {
  ASSERT_TRUE(In("ns1/", Operation::kUpdate, "sys/profiles/modify/p", {{"profile", kReadA}}).ok());
  ASSERT_TRUE(In("ns1/", Operation::kDelete, "sys/mounts/kv").ok());
  ASSERT_TRUE(In("", Operation::kDelete, "sys/namespaces/ns1").ok());
  Must(Operation::kUpdate, "sys/namespaces/ns1", {});
  EXPECT_EQ(In("ns1/", Operation::kRead, "sys/profiles/modify/p").status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace cellar::profiles
