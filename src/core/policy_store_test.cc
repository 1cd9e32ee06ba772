// src/core/policy_store_test.cc: policy CRUD, built-ins and change tracking.
#include "core/policy_store.h"

#include <gtest/gtest.h>

#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

constexpr std::string_view kReadAll = R"(path "secret/*" { capabilities = ["read"] })";

class PolicyStoreTest : public testing::Test {
 protected:
  storage::MemoryStorage storage_;
  PolicyStore store_{storage_};
};

TEST_F(PolicyStoreTest, SetThenGet) {
  ASSERT_TRUE(store_.Set("Dev", kReadAll).ok());
  StatusOr<std::shared_ptr<const Policy>> p = store_.Get("dev");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)->name, "dev");
  EXPECT_EQ((*p)->text, kReadAll);
  ASSERT_EQ((*p)->rules.size(), 1u);
}

TEST_F(PolicyStoreTest, GetMissingIsNotFound) {
  EXPECT_EQ(store_.Get("nope").status().code(), StatusCode::kNotFound);
}

TEST_F(PolicyStoreTest, SetRejectsBadText) {
  StatusOr<std::vector<std::string>> r = store_.Set("bad", "path \"a\" { nope = 1 }");
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.Get("bad").status().code(), StatusCode::kNotFound);
}

TEST_F(PolicyStoreTest, SetReturnsWarnings) {
  StatusOr<std::vector<std::string>> r = store_.Set("w", R"(path "a" {
  capabilities = ["read"]
  mfa_methods = ["x"]
})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), 1u);
}

TEST_F(PolicyStoreTest, RootIsBuiltInAndImmutable) {
  StatusOr<std::shared_ptr<const Policy>> root = store_.Get("root");
  ASSERT_TRUE(root.ok());
  EXPECT_EQ((*root)->name, "root");
  EXPECT_EQ(store_.Set("root", kReadAll).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_.Delete("root").code(), StatusCode::kInvalidArgument);
}

TEST_F(PolicyStoreTest, DefaultIsBuiltInEditableUndeletable) {
  StatusOr<std::shared_ptr<const Policy>> def = store_.Get("default");
  ASSERT_TRUE(def.ok());
  EXPECT_EQ((*def)->text, DefaultPolicyText());
  ASSERT_TRUE(store_.Set("default", kReadAll).ok());
  EXPECT_EQ((*store_.Get("default"))->text, kReadAll);
  EXPECT_EQ(store_.Delete("default").code(), StatusCode::kInvalidArgument);
}

TEST_F(PolicyStoreTest, DeleteRemoves) {
  ASSERT_TRUE(store_.Set("dev", kReadAll).ok());
  ASSERT_TRUE(store_.Get("dev").ok());  // cached
  ASSERT_TRUE(store_.Delete("dev").ok());
  EXPECT_EQ(store_.Get("dev").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(store_.Delete("dev").ok());  // absent is fine
}

TEST_F(PolicyStoreTest, ListIncludesBuiltIns) {
  ASSERT_TRUE(store_.Set("zeta", kReadAll).ok());
  ASSERT_TRUE(store_.Set("alpha", kReadAll).ok());
  ASSERT_TRUE(store_.Set("default", kReadAll).ok());
  EXPECT_EQ(*store_.List(), (std::vector<std::string>{"alpha", "default", "root", "zeta"}));
}

TEST_F(PolicyStoreTest, ChangesBumpGenerationAndNotify) {
  std::vector<std::string> seen;
  store_.OnChange([&](const std::string& name) { seen.push_back(name); });
  uint64_t g0 = store_.generation();
  ASSERT_TRUE(store_.Set("a", kReadAll).ok());
  uint64_t g1 = store_.generation();
  ASSERT_TRUE(store_.Delete("a").ok());
  store_.Invalidate();
  EXPECT_LT(g0, g1);
  EXPECT_LT(g1, store_.generation());
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "a", ""}));
}

TEST_F(PolicyStoreTest, UpdateReplacesCachedParse) {
  ASSERT_TRUE(store_.Set("a", kReadAll).ok());
  ASSERT_EQ((*store_.Get("a"))->rules[0].capabilities, kCapRead);
  ASSERT_TRUE(store_.Set("a", R"(path "secret/*" { capabilities = ["list"] })").ok());
  EXPECT_EQ((*store_.Get("a"))->rules[0].capabilities, kCapList);
}

TEST_F(PolicyStoreTest, SurvivesANewStoreOnTheSameStorage) {
  ASSERT_TRUE(store_.Set("keep", kReadAll).ok());
  PolicyStore reopened(storage_);
  EXPECT_TRUE(reopened.Get("keep").ok());
}

}  // namespace
}  // namespace cellar::core
