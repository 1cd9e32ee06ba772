// src/core/core_namespaces_test.cc: namespaces through the request flow: sys/namespaces, addressing
// by header and path prefix, per-namespace mounts.
#include <gtest/gtest.h>

#include "core/core.h"
#include "core/fake_backend_testutil.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using framework::Operation;
using framework::Request;
using framework::Response;

class CoreNamespacesTest : public testing::Test {
 protected:
  void SetUp() override {
    core_ = std::move(Core::Create(testing_util::FakeCoreOptions(&storage_))).value();
    auto dev = core_->InitializeDev("root-token");
    ASSERT_TRUE(dev.ok()) << dev.status().ToString();
    unseal_key_ = dev->unseal_key_base64;
  }

  StatusOr<Response> Do(Operation op, std::string path, boost::json::object body = {},
                        std::string ns = "", std::string token = "root-token") {
    Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.namespace_path = std::move(ns);
    req.caller.token = std::move(token);
    return core_->HandleRequest(req);
  }

  void Create(const std::string& path, std::string ns = "") {
    auto r = Do(Operation::kUpdate, "sys/namespaces/" + path, {}, std::move(ns));
    ASSERT_TRUE(r.ok()) << path << ": " << r.status().ToString();
  }

  static std::vector<std::string> Keys(const Response& r) {
    std::vector<std::string> out;
    if (r.data) {
      for (const auto& k : r.data->at("keys").as_array()) {
        out.emplace_back(k.as_string());
      }
    }
    return out;
  }

  storage::MemoryStorage storage_;
  std::unique_ptr<Core> core_;
  std::string unseal_key_;
};

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

}  // namespace
}  // namespace cellar::core
