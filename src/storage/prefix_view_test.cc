// src/storage/prefix_view_test.cc: a view maps keys under its prefix and hides everything else.
#include "storage/prefix_view.h"

#include <gtest/gtest.h>

#include "storage/memory_storage.h"

namespace cellar::storage {
namespace {

TEST(PrefixViewTest, WritesLandUnderPrefix) {
  MemoryStorage inner;
  PrefixView view(inner, "logical/abc/");
  ASSERT_TRUE(view.Put("secret/x", "1").ok());
  EXPECT_EQ(inner.Get("logical/abc/secret/x").value(), "1");
}

TEST(PrefixViewTest, KeysOutsideAreInvisible) {
  MemoryStorage inner;
  ASSERT_TRUE(inner.Put("logical/abd/x", "other mount").ok());
  ASSERT_TRUE(inner.Put("logical/abc", "sibling leaf").ok());
  PrefixView view(inner, "logical/abc/");
  EXPECT_EQ(view.Get("x").value(), std::nullopt);
  EXPECT_TRUE(view.List("").value().empty());
}

TEST(PrefixViewTest, CommitPrefixesEveryOp) {
  MemoryStorage inner;
  ASSERT_TRUE(inner.Put("v/gone", "x").ok());
  PrefixView view(inner, "v/");
  std::vector<WriteOp> ops = {{WriteOp::Kind::kPut, "a", "1"},
                              {WriteOp::Kind::kDelete, "gone", ""}};
  ASSERT_TRUE(view.Commit(ops).ok());
  EXPECT_EQ(inner.List("").value(), std::vector<std::string>{"v/"});
  EXPECT_EQ(inner.List("v/").value(), std::vector<std::string>{"a"});
}

TEST(PrefixViewTest, ViewsNest) {
  MemoryStorage inner;
  PrefixView outer(inner, "ns/");
  PrefixView view(outer, "mount/");
  ASSERT_TRUE(view.Put("k", "v").ok());
  EXPECT_EQ(inner.Get("ns/mount/k").value(), "v");
  EXPECT_EQ(view.Type(), "inmem");
}

}  // namespace
}  // namespace cellar::storage
