// src/storage/storage_conformance_suite.h: the behavioural suite every Storage passes, as a header.
// Include it in exactly one test file per test binary, after defining ConformanceBackends() there
// (or declare it first): the suite is instantiated once over that list. storage_test runs it over
// the storage backends; core_test runs it over the Barrier. A PostgreSQL backend joins by adding
// a StorageHarness to a list.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "storage/storage.h"

namespace cellar::storage::conformance {

// Owns one backend instance for one test.
class StorageHarness {
 public:
  virtual ~StorageHarness() = default;
  virtual Storage& storage() = 0;
  // Makes every later Commit that writes `key` fail after earlier ops were applied. False when
  // the backend cannot fail on demand (the atomicity test is then skipped).
  virtual bool InjectCommitFailure(std::string_view key) { return false; }
  // Closes and reopens the backend on the same medium. False for non-durable backends.
  virtual bool Reopen() { return false; }
};

// A fresh directory, removed with its contents when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "cellar-storage-XXXXXX").string();
    path_ = mkdtemp(templ.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

// Installs a trigger that aborts any insert of `key`, from a separate raw connection, so the
// failure happens inside SQLite in the middle of the backend's transaction.
inline bool PoisonSqliteKey(const std::string& path, std::string_view key) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    sqlite3_close(db);
    return false;
  }
  std::string sql =
      "CREATE TRIGGER poison BEFORE INSERT ON kv WHEN NEW.key = ?1 "
      "BEGIN SELECT RAISE(ABORT, 'poisoned key'); END";
  // Triggers cannot take bound parameters, so inline the key as a hex blob literal.
  static constexpr char kHex[] = "0123456789abcdef";
  std::string literal = "X'";
  for (unsigned char c : key) {
    literal.push_back(kHex[c >> 4]);
    literal.push_back(kHex[c & 15]);
  }
  literal += "'";
  sql.replace(sql.find("?1"), 2, literal);
  bool ok = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
  sqlite3_close(db);
  return ok;
}

struct Backend {
  std::string name;
  // Returns nullptr when the backend is unavailable here (e.g. no database server): its cases
  // are then skipped.
  std::function<std::unique_ptr<StorageHarness>()> make;
};

// Test names and failure messages show the backend's name, not its bytes.
inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

// Defined by the test file that includes this header.
std::vector<Backend> ConformanceBackends();

namespace {

class StorageConformanceTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    harness_ = GetParam().make();
    if (!harness_) {
      GTEST_SKIP() << GetParam().name << " is not available";
    }
  }
  Storage& s() { return harness_->storage(); }
  std::optional<std::string> Read(std::string_view key) { return s().Get(key).value(); }
  std::vector<std::string> Ls(std::string_view prefix) { return s().List(prefix).value(); }

  std::unique_ptr<StorageHarness> harness_;
};

TEST_P(StorageConformanceTest, MissingKeyIsNulloptNotError) {
  StatusOr<std::optional<std::string>> got = s().Get("nope");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
}

TEST_P(StorageConformanceTest, PutThenGet) {
  ASSERT_TRUE(s().Put("a/b", "value").ok());
  EXPECT_EQ(Read("a/b"), "value");
}

TEST_P(StorageConformanceTest, PutReplaces) {
  ASSERT_TRUE(s().Put("k", "one").ok());
  ASSERT_TRUE(s().Put("k", "two").ok());
  EXPECT_EQ(Read("k"), "two");
}

TEST_P(StorageConformanceTest, EmptyValueIsPresent) {
  ASSERT_TRUE(s().Put("empty", "").ok());
  EXPECT_EQ(Read("empty"), "");
}

TEST_P(StorageConformanceTest, BinaryValueRoundTrips) {
  std::string value("\0\x01\xff\xfe binary \0", 14);
  ASSERT_TRUE(s().Put("bin", value).ok());
  EXPECT_EQ(Read("bin"), value);
}

TEST_P(StorageConformanceTest, LargeValueRoundTrips) {
  std::string value(1 << 20, 'v');
  ASSERT_TRUE(s().Put("big", value).ok());
  EXPECT_EQ(Read("big"), value);
}

TEST_P(StorageConformanceTest, DeleteRemoves) {
  ASSERT_TRUE(s().Put("k", "v").ok());
  ASSERT_TRUE(s().Delete("k").ok());
  EXPECT_EQ(Read("k"), std::nullopt);
  EXPECT_TRUE(Ls("").empty());
}

TEST_P(StorageConformanceTest, DeleteMissingIsOk) { EXPECT_TRUE(s().Delete("never").ok()); }

TEST_P(StorageConformanceTest, TypeIsNamed) { EXPECT_FALSE(s().Type().empty()); }

class UnusualKeyTest : public testing::TestWithParam<std::tuple<Backend, std::string>> {};

TEST_P(UnusualKeyTest, RoundTripsAndLists) {
  std::unique_ptr<StorageHarness> harness = std::get<0>(GetParam()).make();
  if (!harness) {
    GTEST_SKIP() << std::get<0>(GetParam()).name << " is not available";
  }
  Storage& s = harness->storage();
  const std::string& leaf = std::get<1>(GetParam());
  std::string key = "dir/" + leaf;
  ASSERT_TRUE(s.Put(key, "v").ok());
  EXPECT_EQ(s.Get(key).value(), "v");
  EXPECT_EQ(s.List("dir/").value(), std::vector<std::string>{leaf});
  ASSERT_TRUE(s.Delete(key).ok());
  EXPECT_EQ(s.Get(key).value(), std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(
    All, UnusualKeyTest,
    testing::Combine(testing::ValuesIn(ConformanceBackends()),
                     testing::Values(std::string("with space"), std::string("nul\0byte", 8),
                                     std::string("\xff\xfe\x80"), std::string("ünïcødé-🔑"),
                                     std::string("percent%2F"), std::string(".."),
                                     std::string("quote'\"; DROP TABLE kv;--"),
                                     std::string(300, 'k'))),
    [](const testing::TestParamInfo<UnusualKeyTest::ParamType>& info) {
      return std::get<0>(info.param).name + "_" + std::to_string(info.index);
    });

struct ListCase {
  std::string name;
  std::vector<std::string> keys;
  std::string prefix;
  std::vector<std::string> want;
};

inline void PrintTo(const ListCase& c, std::ostream* os) { *os << c.name; }

class ListTest : public testing::TestWithParam<std::tuple<Backend, ListCase>> {};

TEST_P(ListTest, ListsImmediateChildren) {
  std::unique_ptr<StorageHarness> harness = std::get<0>(GetParam()).make();
  if (!harness) {
    GTEST_SKIP() << std::get<0>(GetParam()).name << " is not available";
  }
  const ListCase& c = std::get<1>(GetParam());
  for (const std::string& key : c.keys) {
    ASSERT_TRUE(harness->storage().Put(key, "v").ok());
  }
  EXPECT_EQ(harness->storage().List(c.prefix).value(), c.want);
}

const std::vector<std::string> kTree = {"a/b", "a/c/d", "e"};

INSTANTIATE_TEST_SUITE_P(
    All, ListTest,
    testing::Combine(
        testing::ValuesIn(ConformanceBackends()),
        testing::Values(
            ListCase{"Root", kTree, "", {"a/", "e"}}, ListCase{"Folder", kTree, "a/", {"b", "c/"}},
            ListCase{"Nested", kTree, "a/c/", {"d"}}, ListCase{"MissingFolder", kTree, "zz/", {}},
            ListCase{"Empty", {}, "", {}},
            ListCase{"LeafAndFolderSameName", {"a", "a/b"}, "", {"a", "a/"}},
            ListCase{"SiblingPrefixExcluded", {"ab", "a/b", "abc/d"}, "a/", {"b"}},
            ListCase{
                "PunctuationOrder", {"a-b/x", "a/b", "a0", "a.c"}, "", {"a-b/", "a.c", "a/", "a0"}},
            ListCase{"DeepFolderOnce", {"x/y/z/1", "x/y/z/2", "x/y/w"}, "x/", {"y/"}},
            ListCase{"FoldersBetweenLeaves",
                     {"f/1", "f/2/a", "f/2/b", "f/2x", "f/3"},
                     "f/",
                     {"1", "2/", "2x", "3"}},
            ListCase{"LeafEqualToPrefixIgnored", {"p", "p/q"}, "p/", {"q"}},
            ListCase{"TrailingSlashKey", {"d/"}, "", {"d/"}})),
    [](const testing::TestParamInfo<ListTest::ParamType>& info) {
      return std::get<0>(info.param).name + "_" + std::get<1>(info.param).name;
    });

// Random keys against an independent model of Vault's LIST.
TEST_P(StorageConformanceTest, ListMatchesModelOnRandomTree) {
  std::mt19937 rng(42);
  std::set<std::string> keys;
  const char* parts[] = {"a", "b", "ab", "a-", "z", "0"};
  for (int i = 0; i < 150; ++i) {
    std::string key;
    int depth = 1 + static_cast<int>(rng() % 4);
    for (int d = 0; d < depth; ++d) {
      if (d > 0) {
        key += '/';
      }
      key += parts[rng() % 6];
    }
    keys.insert(key);
  }
  for (const std::string& key : keys) {
    ASSERT_TRUE(s().Put(key, "v").ok());
  }
  for (std::string prefix : {"", "a/", "ab/", "a/b/", "z/0/", "0/a-/"}) {
    std::set<std::string> want;
    for (const std::string& key : keys) {
      if (key.size() > prefix.size() && key.starts_with(prefix)) {
        std::string rest = key.substr(prefix.size());
        size_t slash = rest.find('/');
        want.insert(slash == std::string::npos ? rest : rest.substr(0, slash + 1));
      }
    }
    EXPECT_EQ(Ls(prefix), std::vector<std::string>(want.begin(), want.end())) << prefix;
  }
}

TEST_P(StorageConformanceTest, CommitAppliesEveryOp) {
  ASSERT_TRUE(s().Put("old", "x").ok());
  std::vector<WriteOp> ops = {{WriteOp::Kind::kPut, "a", "1"},
                              {WriteOp::Kind::kPut, "b/c", "2"},
                              {WriteOp::Kind::kDelete, "old", ""}};
  ASSERT_TRUE(s().Commit(ops).ok());
  EXPECT_EQ(Read("a"), "1");
  EXPECT_EQ(Read("b/c"), "2");
  EXPECT_EQ(Read("old"), std::nullopt);
}

TEST_P(StorageConformanceTest, CommitLaterOpOnSameKeyWins) {
  std::vector<WriteOp> ops = {
      {WriteOp::Kind::kPut, "k", "1"},    {WriteOp::Kind::kPut, "k", "2"},
      {WriteOp::Kind::kDelete, "j", ""},  {WriteOp::Kind::kPut, "j", "3"},
      {WriteOp::Kind::kPut, "gone", "4"}, {WriteOp::Kind::kDelete, "gone", ""}};
  ASSERT_TRUE(s().Commit(ops).ok());
  EXPECT_EQ(Read("k"), "2");
  EXPECT_EQ(Read("j"), "3");
  EXPECT_EQ(Read("gone"), std::nullopt);
}

TEST_P(StorageConformanceTest, EmptyCommitIsOk) {
  EXPECT_TRUE(s().Commit(std::span<const WriteOp>()).ok());
}

TEST_P(StorageConformanceTest, FailingCommitLeavesNothing) {
  if (!harness_->InjectCommitFailure("poison")) {
    GTEST_SKIP() << "backend cannot fail a commit on demand";
  }
  ASSERT_TRUE(s().Put("existing", "before").ok());
  std::vector<WriteOp> ops = {{WriteOp::Kind::kPut, "first", "1"},
                              {WriteOp::Kind::kPut, "existing", "after"},
                              {WriteOp::Kind::kDelete, "existing", ""},
                              {WriteOp::Kind::kPut, "poison", "x"},
                              {WriteOp::Kind::kPut, "last", "2"}};
  EXPECT_FALSE(s().Commit(ops).ok());
  EXPECT_EQ(Read("first"), std::nullopt);
  EXPECT_EQ(Read("existing"), "before");
  EXPECT_EQ(Read("last"), std::nullopt);
  // The backend is still usable afterwards.
  EXPECT_TRUE(s().Put("after-failure", "ok").ok());
  EXPECT_EQ(Read("after-failure"), "ok");
}

TEST_P(StorageConformanceTest, WritesSurviveReopen) {
  ASSERT_TRUE(s().Put("durable/a", "1").ok());
  std::vector<WriteOp> ops = {{WriteOp::Kind::kPut, "durable/b", "2"}};
  ASSERT_TRUE(s().Commit(ops).ok());
  ASSERT_TRUE(s().Put("deleted", "x").ok());
  ASSERT_TRUE(s().Delete("deleted").ok());
  if (!harness_->Reopen()) {
    GTEST_SKIP() << "backend is not durable";
  }
  EXPECT_EQ(Read("durable/a"), "1");
  EXPECT_EQ(Read("durable/b"), "2");
  EXPECT_EQ(Read("deleted"), std::nullopt);
  EXPECT_EQ(Ls("durable/"), (std::vector<std::string>{"a", "b"}));
}

// Writers on disjoint keys plus readers listing the shared folder; every write must land.
TEST_P(StorageConformanceTest, ConcurrentWritersAndReaders) {
  constexpr int kThreads = 8;
  constexpr int kKeysPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kKeysPerThread; ++i) {
        std::string key = "c/" + std::to_string(t) + "/" + std::to_string(i);
        if (!s().Put(key, std::to_string(i)).ok()) {
          ++failures;
        }
        StatusOr<std::optional<std::string>> got = s().Get(key);
        if (!got.ok() || *got != std::to_string(i)) {
          ++failures;
        }
        if (!s().List("c/").ok()) {
          ++failures;
        }
        if (i % 2 == 1 && !s().Delete(key).ok()) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Ls("c/").size(), static_cast<size_t>(kThreads));
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(Ls("c/" + std::to_string(t) + "/").size(), static_cast<size_t>(kKeysPerThread / 2));
  }
}

INSTANTIATE_TEST_SUITE_P(All, StorageConformanceTest, testing::ValuesIn(ConformanceBackends()),
                         [](const testing::TestParamInfo<Backend>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace cellar::storage::conformance
