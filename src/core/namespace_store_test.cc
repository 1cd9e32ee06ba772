// src/core/namespace_store_test.cc: namespace names, nesting, metadata, deletion and persistence.
#include "core/namespace_store.h"

#include <gtest/gtest.h>

#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

class NamespaceStoreTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(store_.Load(&storage_).ok()); }

  storage::MemoryStorage storage_;
  NamespaceStore store_;
};

const std::string kLongName(65, 'a');

TEST(NamespaceNormalizeTest, Table) {
  struct Case {
    std::string_view raw;
    std::string_view want;  // "!" = InvalidArgument
  };
  for (const Case& c : std::vector<Case>{{"a", "a/"},
                                         {"a/", "a/"},
                                         {"/a/b", "a/b/"},
                                         {"", ""},
                                         {"a//b", "!"},
                                         {"a/../b", "!"},
                                         {".", "!"},
                                         {"sys", "!"},
                                         {"root", "!"},
                                         {"a/auth", "!"},
                                         {"team-1.prod_x", "team-1.prod_x/"},
                                         {"with space", "!"},
                                         {"a/b\xff", "!"},
                                         {"tab\t", "!"},
                                         {std::string_view(kLongName), "!"}}) {
    StatusOr<std::string> got = NamespaceStore::Normalize(c.raw);
    if (c.want == "!") {
      EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument) << c.raw;
    } else {
      ASSERT_TRUE(got.ok()) << c.raw << ": " << got.status().ToString();
      EXPECT_EQ(*got, c.want) << c.raw;
    }
  }
}

TEST_F(NamespaceStoreTest, StartsEmptyAndCreateFillsIdAndPath) {
  EXPECT_TRUE(store_.empty());
  auto a = store_.Create("", "a", {{"team", "x"}});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(store_.empty());
  EXPECT_EQ(a->path, "a/");
  EXPECT_EQ(a->id.size(), 5u);
  EXPECT_EQ(a->custom_metadata.at("team").as_string(), "x");
}

TEST_F(NamespaceStoreTest, FindByIdFindsTheEntryItsTokensName) {
  auto a = store_.Create("", "a", {});
  auto b = store_.Create("a/", "b", {});
  ASSERT_TRUE(a.ok() && b.ok());
  std::shared_ptr<const NamespaceMap> table = store_.Snapshot();
  const NamespaceEntry* found = store_.FindById(*table, b->id);
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->path, "a/b/");
  EXPECT_EQ(store_.FindById(*table, "nope!"), nullptr);
}

TEST_F(NamespaceStoreTest, NestedNeedsItsParent) {
  EXPECT_EQ(store_.Create("", "a/b", {}).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(store_.Create("", "a", {}).ok());
  auto ab = store_.Create("", "a/b", {});
  ASSERT_TRUE(ab.ok()) << ab.status().ToString();
  auto abc = store_.Create("a/b/", "c", {});
  ASSERT_TRUE(abc.ok());
  EXPECT_EQ(abc->path, "a/b/c/");
}

TEST_F(NamespaceStoreTest, CreatingTwiceIsRefused) {
  ASSERT_TRUE(store_.Create("", "a", {}).ok());
  EXPECT_EQ(store_.Create("", "a/", {}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(NamespaceStoreTest, ChildrenAreDirectOnly) {
  ASSERT_TRUE(store_.Create("", "a", {}).ok());
  ASSERT_TRUE(store_.Create("", "b", {}).ok());
  ASSERT_TRUE(store_.Create("a/", "c", {}).ok());
  ASSERT_TRUE(store_.Create("a/c/", "d", {}).ok());
  std::vector<std::string> root, a;
  for (const auto& e : store_.Children("")) {
    root.push_back(e.path);
  }
  for (const auto& e : store_.Children("a/")) {
    a.push_back(e.path);
  }
  EXPECT_EQ(root, (std::vector<std::string>{"a/", "b/"}));
  EXPECT_EQ(a, (std::vector<std::string>{"a/c/"}));
}

TEST_F(NamespaceStoreTest, LongestPrefixWalksExistingNamespaces) {
  ASSERT_TRUE(store_.Create("", "a", {}).ok());
  ASSERT_TRUE(store_.Create("a/", "b", {}).ok());
  EXPECT_EQ(store_.LongestPrefix("", "a/b/secret/x"), "a/b/");
  EXPECT_EQ(store_.LongestPrefix("", "a/secret/x"), "a/");
  EXPECT_EQ(store_.LongestPrefix("", "secret/a/b"), "");
  EXPECT_EQ(store_.LongestPrefix("a/", "b/kv/x"), "a/b/");
  EXPECT_EQ(store_.LongestPrefix("", "a"), "");  // a last segment is a path
}

TEST_F(NamespaceStoreTest, PatchMergesAndNullRemoves) {
  ASSERT_TRUE(store_.Create("", "a", {{"k1", "v1"}, {"k2", "v2"}}).ok());
  boost::json::object patch{{"k1", nullptr}, {"k3", "v3"}};
  auto patched = store_.Patch("a/", patch);
  ASSERT_TRUE(patched.ok());
  EXPECT_EQ(patched->custom_metadata, (boost::json::object{{"k2", "v2"}, {"k3", "v3"}}));
  EXPECT_EQ(store_.Patch("zz/", patch).status().code(), StatusCode::kNotFound);
}

TEST_F(NamespaceStoreTest, DeleteRefusedWithChildren) {
  ASSERT_TRUE(store_.Create("", "a", {}).ok());
  ASSERT_TRUE(store_.Create("a/", "b", {}).ok());
  EXPECT_EQ(store_.Delete("a/").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(store_.Delete("a/b/").ok());
  EXPECT_TRUE(store_.Delete("a/").ok());
  EXPECT_TRUE(store_.empty());
  EXPECT_TRUE(store_.Delete("a/").ok());  // absent
}

TEST_F(NamespaceStoreTest, SurvivesReload) {
  auto a = store_.Create("", "a", {{"k", "v"}});
  ASSERT_TRUE(a.ok());
  store_.Clear();
  EXPECT_TRUE(store_.empty());
  EXPECT_EQ(store_.Create("", "b", {}).status().code(), StatusCode::kSealed);
  NamespaceStore again;
  ASSERT_TRUE(again.Load(&storage_).ok());
  auto table = again.Snapshot();
  const NamespaceEntry* found = again.Find(*table, "a/");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->id, a->id);
  EXPECT_EQ(found->custom_metadata.at("k").as_string(), "v");
}

}  // namespace
}  // namespace cellar::core
