// src/core/acl_cache_test.cc: compiled ACLs are reused until a policy changes.
#include "core/acl_cache.h"

#include <gtest/gtest.h>

#include "core/policy_store.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using framework::Operation;

class AclCacheTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.Set("reader", R"(path "secret/*" { capabilities = ["read"] })").ok());
    ASSERT_TRUE(store_.Set("writer", R"(path "secret/*" { capabilities = ["update"] })").ok());
  }
  storage::MemoryStorage storage_;
  PolicyStore store_{storage_};
  AclCache cache_{store_};
};

TEST_F(AclCacheTest, SameSetSharesOneAcl) {
  auto a = cache_.Get({"reader", "writer"});
  auto b = cache_.Get({"writer", "reader", "reader"});
  auto c = cache_.Get({"reader", "reader", "writer"});  // sorted, with a duplicate
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ(a->get(), c->get());
  EXPECT_EQ(cache_.size(), 1u);
}

TEST_F(AclCacheTest, MergesSamePatternAcrossPolicies) {
  auto acl = *cache_.Get({"reader", "writer"});
  EXPECT_TRUE(acl->Authorize(Operation::kRead, "secret/x", {}).ok());
  EXPECT_TRUE(acl->Authorize(Operation::kUpdate, "secret/x", {}).ok());
}

TEST_F(AclCacheTest, PolicyChangeRecompiles) {
  auto before = *cache_.Get({"reader"});
  ASSERT_TRUE(store_.Set("reader", R"(path "secret/*" { capabilities = ["deny"] })").ok());
  auto after = *cache_.Get({"reader"});
  EXPECT_NE(before.get(), after.get());
  EXPECT_TRUE(before->Authorize(Operation::kRead, "secret/x", {}).ok());
  EXPECT_FALSE(after->Authorize(Operation::kRead, "secret/x", {}).ok());
}

TEST_F(AclCacheTest, MissingPoliciesAreSkipped) {
  auto acl = cache_.Get({"reader", "ghost"});
  ASSERT_TRUE(acl.ok());
  EXPECT_TRUE((*acl)->Authorize(Operation::kRead, "secret/x", {}).ok());
}

TEST_F(AclCacheTest, RootAllowsAll) {
  auto acl = *cache_.Get({"root"});
  EXPECT_TRUE(acl->is_root());
  EXPECT_TRUE(acl->Authorize(Operation::kUpdate, "sys/seal", {}).ok());
}

TEST_F(AclCacheTest, DefaultPolicyGrantsSelfLookup) {
  auto acl = *cache_.Get({"default"});
  EXPECT_TRUE(acl->Authorize(Operation::kRead, "auth/token/lookup-self", {}).ok());
  EXPECT_TRUE(acl->Authorize(Operation::kUpdate, "sys/capabilities-self", {}).ok());
  EXPECT_TRUE(acl->Authorize(Operation::kCreate, "cubbyhole/x", {}).ok());
  EXPECT_FALSE(acl->Authorize(Operation::kRead, "secret/x", {}).ok());
  EXPECT_FALSE(acl->Authorize(Operation::kUpdate, "auth/token/create", {}).ok());
}

TEST_F(AclCacheTest, BoundedSize) {
  AclCache small(store_, 2);
  ASSERT_TRUE(small.Get({"reader"}).ok());
  ASSERT_TRUE(small.Get({"writer"}).ok());
  ASSERT_TRUE(small.Get({"default"}).ok());
  EXPECT_LE(small.size(), 2u);
}

}  // namespace
}  // namespace cellar::core
