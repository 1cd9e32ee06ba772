// src/core/execution_scope_test.cc: RoutedStorage follows the calling thread's StorageRedirect.
#include "core/execution_scope.h"

#include <gtest/gtest.h>

#include <thread>

#include "core/token_store.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

std::string ValueOf(storage::Storage& s, std::string_view key) {
  StatusOr<std::optional<std::string>> v = s.Get(key);
  return v.ok() && v->has_value() ? **v : "";
}

TEST(RoutedStorage, GoesToThePhysicalStorageWithoutARedirect) {
  storage::MemoryStorage physical;
  RoutedStorage routed(physical);
  ASSERT_TRUE(routed.Put("k", "v").ok());
  EXPECT_EQ(ValueOf(physical, "k"), "v");
}

TEST(RoutedStorage, RedirectAppliesToThisThreadOnlyAndNests) {
  storage::MemoryStorage physical;
  storage::MemoryStorage outer;
  storage::MemoryStorage inner;
  RoutedStorage routed(physical);
  {
    StorageRedirect to_outer(&outer);
    ASSERT_TRUE(routed.Put("a", "outer").ok());
    std::thread other([&] { ASSERT_TRUE(routed.Put("a", "other thread").ok()); });
    other.join();
    {
      StorageRedirect to_inner(&inner);
      ASSERT_TRUE(routed.Put("a", "inner").ok());
      StorageRedirect to_physical(nullptr);
      EXPECT_EQ(ValueOf(routed, "a"), "other thread");
    }
    EXPECT_EQ(ValueOf(routed, "a"), "outer");
  }
  EXPECT_EQ(ValueOf(outer, "a"), "outer");
  EXPECT_EQ(ValueOf(inner, "a"), "inner");
  EXPECT_EQ(ValueOf(physical, "a"), "other thread");
}

TEST(ExecutionScope, CommitAppliesTheBufferInOneCommit) {
  storage::MemoryStorage physical;
  ExecutionScope scope(physical, /*transactional=*/true, nullptr);
  ASSERT_NE(scope.redirect(), nullptr);
  ASSERT_TRUE(scope.redirect()->Put("x", "1").ok());
  ASSERT_TRUE(scope.redirect()->Delete("y").ok());
  EXPECT_EQ(ValueOf(physical, "x"), "");
  ASSERT_TRUE(scope.Commit().ok());
  EXPECT_EQ(ValueOf(physical, "x"), "1");
}

TEST(ExecutionScope, TokenHashIsThatOfTheTokenAskedFor) {
  storage::MemoryStorage physical;
  ExecutionScope scope(physical, /*transactional=*/false, nullptr);
  for (std::string_view token : {"hvs.one", "hvs.one", "hvs.two", "hvs.one"}) {
    EXPECT_EQ(scope.TokenHash(token), HashToken(token)) << token;
  }
}

// The hash of the request being handled is taken as given (a stand-in here shows it is not
// recomputed), for that token only; the handled token ends with its HandledToken.
TEST(ExecutionScope, StartsWithTheHandledTokensHash) {
  storage::MemoryStorage physical;
  {
    HandledToken handled("hvs.one", "given-hash");
    ExecutionScope scope(physical, /*transactional=*/false, nullptr);
    EXPECT_EQ(scope.TokenHash("hvs.one"), "given-hash");
    EXPECT_EQ(scope.TokenHash("hvs.two"), HashToken("hvs.two"));
  }
  ExecutionScope later(physical, /*transactional=*/false, nullptr);
  EXPECT_EQ(later.TokenHash("hvs.one"), HashToken("hvs.one"));
}

TEST(ExecutionScope, AbortHandsOverWhatWasRecordedOnce) {
  storage::MemoryStorage physical;
  int calls = 0;
  std::vector<std::string> leases;
  std::vector<std::string> tokens;
  ExecutionScope scope(physical, /*transactional=*/false,
                       [&](const std::vector<std::string>& l, const std::vector<std::string>& t) {
                         ++calls;
                         leases = l;
                         tokens = t;
                       });
  EXPECT_EQ(scope.redirect(), nullptr);
  scope.RecordLease("lease-1");
  scope.RecordToken("hash-1");
  scope.Abort();
  scope.Abort();
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(leases, std::vector<std::string>{"lease-1"});
  EXPECT_EQ(tokens, std::vector<std::string>{"hash-1"});
}

TEST(ExecutionScope, CommittedScopeUndoesNothing) {
  storage::MemoryStorage physical;
  int calls = 0;
  {
    ExecutionScope scope(physical, /*transactional=*/false,
                         [&](const auto&, const auto&) { ++calls; });
    scope.RecordLease("lease-1");
    ASSERT_TRUE(scope.Commit().ok());
  }
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace cellar::core
