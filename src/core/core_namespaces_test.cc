// src/core/core_namespaces_test.cc: namespaces through the request flow: sys/namespaces, addressing
// by header and path prefix, per-namespace mounts.
#include <gtest/gtest.h>

#include "core/core_namespaces_testutil.h"

namespace cellar::core {
namespace {

using framework::Operation;

using CoreNamespacesTest = testing_util::NamespacedCoreTest;

TEST_F(CoreNamespacesTest, CreateReturnsIdPathAndMetadata) {
  auto r = Do(Operation::kUpdate, "sys/namespaces/ns1", {{"custom_metadata", {{"team", "a"}}}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->data);
  EXPECT_EQ(r->data->at("path").as_string(), "ns1/");
  EXPECT_EQ(r->data->at("id").as_string().size(), 5u);
  EXPECT_EQ(r->data->at("custom_metadata").at("team").as_string(), "a");
  auto read = Do(Operation::kRead, "sys/namespaces/ns1");
  ASSERT_TRUE(read.ok() && read->data);
  EXPECT_EQ(read->data->at("id"), r->data->at("id"));
}

TEST_F(CoreNamespacesTest, MetadataMustBeStrings) {
  auto r = Do(Operation::kUpdate, "sys/namespaces/ns1", {{"custom_metadata", {{"n", 5}}}});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CoreNamespacesTest, ListShowsDirectChildrenWithKeyInfo) {
  Create("a");
  Create("b");
  Create("a/c");
  auto root = Do(Operation::kList, "sys/namespaces");
  ASSERT_TRUE(root.ok()) << root.status().ToString();
  EXPECT_EQ(Keys(*root), (std::vector<std::string>{"a/", "b/"}));
  EXPECT_EQ(root->data->at("key_info").at("a/").at("path").as_string(), "a/");
  auto in_a = Do(Operation::kList, "sys/namespaces", {}, "a/");
  ASSERT_TRUE(in_a.ok()) << in_a.status().ToString();
  EXPECT_EQ(Keys(*in_a), (std::vector<std::string>{"c/"}));
  EXPECT_EQ(in_a->data->at("key_info").at("c/").at("path").as_string(), "a/c/");
}

TEST_F(CoreNamespacesTest, PatchChangesMetadata) {
  Create("a");
  auto r = Do(Operation::kPatch, "sys/namespaces/a", {{"custom_metadata", {{"k", "v"}}}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto read = Do(Operation::kRead, "sys/namespaces/a");
  ASSERT_TRUE(read.ok() && read->data);
  EXPECT_EQ(read->data->at("custom_metadata").at("k").as_string(), "v");
}

TEST_F(CoreNamespacesTest, DeleteWithChildrenIs400ThenWorks) {
  Create("a");
  Create("a/b");
  EXPECT_EQ(Do(Operation::kDelete, "sys/namespaces/a").status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(Do(Operation::kDelete, "sys/namespaces/a/b").ok());
  ASSERT_TRUE(Do(Operation::kDelete, "sys/namespaces/a").ok());
  auto read = Do(Operation::kRead, "sys/namespaces/a");
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->data);  // 404
}

TEST_F(CoreNamespacesTest, SurviveSealAndUnseal) {
  Create("a");
  auto before = Do(Operation::kRead, "sys/namespaces/a");
  ASSERT_TRUE(before.ok() && before->data);
  ASSERT_TRUE(core_->Seal().ok());
  ASSERT_TRUE(core_->UnsealWithKey(unseal_key_).ok());
  auto after = Do(Operation::kRead, "sys/namespaces/a");
  ASSERT_TRUE(after.ok() && after->data) << after.status().ToString();
  EXPECT_EQ(after->data->at("id"), before->data->at("id"));
}

TEST_F(CoreNamespacesTest, NameTakenByAMountIsRefused) {
  EXPECT_EQ(Do(Operation::kUpdate, "sys/namespaces/secret").status().code(),
            StatusCode::kInvalidArgument);
}

// --- Addressing: header and path prefix, per-namespace mounts. ---

class CoreNamespaceAddressingTest : public CoreNamespacesTest {
 protected:
  void SetUp() override {
    CoreNamespacesTest::SetUp();
    Create("ns1");
    auto mounted = Do(Operation::kUpdate, "sys/mounts/kv", {{"type", "kv"}}, "ns1/");
    ASSERT_TRUE(mounted.ok()) << mounted.status().ToString();
  }
};

TEST_F(CoreNamespaceAddressingTest, HeaderAndPrefixReachTheSameData) {
  ASSERT_TRUE(Do(Operation::kUpdate, "kv/a", {{"v", "1"}}, "ns1/").ok());
  auto by_prefix = Do(Operation::kRead, "ns1/kv/a");
  ASSERT_TRUE(by_prefix.ok()) << by_prefix.status().ToString();
  ASSERT_TRUE(by_prefix->data);
  EXPECT_EQ(by_prefix->data->at("v").as_string(), "1");
  ASSERT_TRUE(Do(Operation::kUpdate, "ns1/kv/b", {{"v", "2"}}).ok());
  auto by_header = Do(Operation::kRead, "kv/b", {}, "ns1");
  ASSERT_TRUE(by_header.ok() && by_header->data) << by_header.status().ToString();
  EXPECT_EQ(by_header->data->at("v").as_string(), "2");
}

TEST_F(CoreNamespaceAddressingTest, HeaderAndPrefixCombineForNestedNamespaces) {
  Create("ns1/child");
  ASSERT_TRUE(Do(Operation::kUpdate, "child/sys/mounts/kv2", {{"type", "kv"}}, "ns1/").ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "ns1/child/kv2/x", {{"v", "3"}}).ok());
  auto read = Do(Operation::kRead, "kv2/x", {}, "ns1/child/");
  ASSERT_TRUE(read.ok() && read->data) << read.status().ToString();
  EXPECT_EQ(read->data->at("v").as_string(), "3");
  // ns1's own mount is not the child's.
  EXPECT_EQ(Do(Operation::kRead, "kv/x", {}, "ns1/child/").status().code(), StatusCode::kNotFound);
}

TEST_F(CoreNamespaceAddressingTest, UnknownNamespaceHeaderIs404) {
  EXPECT_EQ(Do(Operation::kRead, "sys/mounts", {}, "nope/").status().code(), StatusCode::kNotFound);
}

TEST_F(CoreNamespaceAddressingTest, RootDoesNotListTheNamespaceMount) {
  auto root = Do(Operation::kRead, "sys/mounts");
  ASSERT_TRUE(root.ok() && root->data);
  EXPECT_FALSE(root->data->contains("kv/"));
  EXPECT_TRUE(root->data->contains("secret/"));
  auto in_ns = Do(Operation::kRead, "sys/mounts", {}, "ns1/");
  ASSERT_TRUE(in_ns.ok() && in_ns->data) << in_ns.status().ToString();
  EXPECT_TRUE(in_ns->data->contains("kv/"));
  EXPECT_TRUE(in_ns->data->contains("sys/"));
  EXPECT_FALSE(in_ns->data->contains("secret/"));
}

TEST_F(CoreNamespaceAddressingTest, RootMountsAreNotReachableFromANamespace) {
  ASSERT_TRUE(Do(Operation::kUpdate, "secret/x", {{"v", "r"}}).ok());
  EXPECT_EQ(Do(Operation::kRead, "secret/x", {}, "ns1/").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Do(Operation::kRead, "ns1/secret/x").status().code(), StatusCode::kNotFound);
}

TEST_F(CoreNamespaceAddressingTest, SameMountPathInTwoNamespacesIsTwoStores) {
  Create("ns2");
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/kv", {{"type", "kv"}}, "ns2/").ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "ns1/kv/a", {{"v", "one"}}).ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "ns2/kv/a", {{"v", "two"}}).ok());
  auto a1 = Do(Operation::kRead, "ns1/kv/a");
  auto a2 = Do(Operation::kRead, "ns2/kv/a");
  ASSERT_TRUE(a1.ok() && a1->data && a2.ok() && a2->data);
  EXPECT_EQ(a1->data->at("v").as_string(), "one");
  EXPECT_EQ(a2->data->at("v").as_string(), "two");
}

TEST_F(CoreNamespaceAddressingTest, RootOnlySysPathsAre400InANamespace) {
  EXPECT_EQ(Do(Operation::kRead, "sys/audit", {}, "ns1/").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(Do(Operation::kUpdate, "ns1/sys/seal").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(CoreNamespaceAddressingTest, NamespaceMountsBlockDeleteAndDisableWorks) {
  EXPECT_EQ(Do(Operation::kDelete, "sys/namespaces/ns1").status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(Do(Operation::kDelete, "sys/mounts/kv", {}, "ns1/").ok());
  EXPECT_TRUE(Do(Operation::kDelete, "sys/namespaces/ns1").ok());
}

TEST_F(CoreNamespaceAddressingTest, MountsSurviveSealAndUnseal) {
  ASSERT_TRUE(Do(Operation::kUpdate, "ns1/kv/a", {{"v", "1"}}).ok());
  ASSERT_TRUE(core_->Seal().ok());
  ASSERT_TRUE(core_->UnsealWithKey(unseal_key_).ok());
  auto read = Do(Operation::kRead, "kv/a", {}, "ns1/");
  ASSERT_TRUE(read.ok() && read->data) << read.status().ToString();
  EXPECT_EQ(read->data->at("v").as_string(), "1");
}

TEST_F(CoreNamespaceAddressingTest, RootMountOverANamespaceIsRefused) {
  EXPECT_EQ(Do(Operation::kUpdate, "sys/mounts/ns1", {{"type", "kv"}}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::core
