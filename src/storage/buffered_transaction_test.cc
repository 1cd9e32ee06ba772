// src/storage/buffered_transaction_test.cc: buffered writes merge over inner and apply atomically.
#include "storage/buffered_transaction.h"

#include <gtest/gtest.h>

#include "storage/memory_storage.h"

namespace cellar::storage {
namespace {

// A MemoryStorage whose Commit can be made to fail, to check Apply keeps the buffer.
class FailingStorage : public MemoryStorage {
 public:
  Status Commit(std::span<const WriteOp> ops) override {
    ++commits;
    if (fail) {
      return UnavailableError("injected");
    }
    return MemoryStorage::Commit(ops);
  }
  bool fail = false;
  int commits = 0;
};

class BufferedTransactionTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(inner_.Put("a/x", "inner").ok());
    ASSERT_TRUE(inner_.Put("a/y/z", "inner").ok());
    ASSERT_TRUE(inner_.Put("b", "inner").ok());
  }
  std::vector<std::string> Ls(std::string_view prefix) { return txn_.List(prefix).value(); }

  FailingStorage inner_;
  BufferedTransaction txn_{inner_};
};

TEST_F(BufferedTransactionTest, WritesStayBufferedUntilApply) {
  ASSERT_TRUE(txn_.Put("new", "1").ok());
  EXPECT_EQ(txn_.Get("new").value(), "1");
  EXPECT_EQ(inner_.Get("new").value(), std::nullopt);
  EXPECT_EQ(inner_.commits, 0);
}

TEST_F(BufferedTransactionTest, BufferedDeleteHidesInnerValue) {
  ASSERT_TRUE(txn_.Delete("b").ok());
  EXPECT_EQ(txn_.Get("b").value(), std::nullopt);
  EXPECT_EQ(Ls(""), (std::vector<std::string>{"a/"}));
}

TEST_F(BufferedTransactionTest, FolderVanishesWhenAllItsKeysAreDeleted) {
  ASSERT_TRUE(txn_.Delete("a/x").ok());
  EXPECT_EQ(Ls(""), (std::vector<std::string>{"a/", "b"}));  // a/y/z remains
  ASSERT_TRUE(txn_.Delete("a/y/z").ok());
  EXPECT_EQ(Ls(""), (std::vector<std::string>{"b"}));
  EXPECT_TRUE(Ls("a/").empty());
}

TEST_F(BufferedTransactionTest, BufferedPutRevivesFolder) {
  ASSERT_TRUE(txn_.Delete("a/x").ok());
  ASSERT_TRUE(txn_.Delete("a/y/z").ok());
  ASSERT_TRUE(txn_.Put("a/new", "1").ok());
  EXPECT_EQ(Ls(""), (std::vector<std::string>{"a/", "b"}));
  EXPECT_EQ(Ls("a/"), (std::vector<std::string>{"new"}));
}

TEST_F(BufferedTransactionTest, ListMergesWithoutDuplicates) {
  ASSERT_TRUE(txn_.Put("a/x", "overwritten").ok());
  ASSERT_TRUE(txn_.Put("a/w", "1").ok());
  ASSERT_TRUE(txn_.Put("a/y/q", "1").ok());
  EXPECT_EQ(Ls("a/"), (std::vector<std::string>{"w", "x", "y/"}));
}

TEST_F(BufferedTransactionTest, ApplyCommitsOnceAndEmptiesBuffer) {
  ASSERT_TRUE(txn_.Put("n1", "1").ok());
  ASSERT_TRUE(txn_.Delete("b").ok());
  ASSERT_TRUE(txn_.Apply().ok());
  EXPECT_EQ(inner_.commits, 1);
  EXPECT_EQ(txn_.pending_count(), 0u);
  EXPECT_EQ(inner_.Get("n1").value(), "1");
  EXPECT_EQ(inner_.Get("b").value(), std::nullopt);
}

TEST_F(BufferedTransactionTest, FailedApplyChangesNothingAndKeepsBuffer) {
  ASSERT_TRUE(txn_.Put("n1", "1").ok());
  inner_.fail = true;
  EXPECT_EQ(txn_.Apply().code(), StatusCode::kUnavailable);
  EXPECT_EQ(inner_.Get("n1").value(), std::nullopt);
  EXPECT_EQ(txn_.pending_count(), 1u);
  inner_.fail = false;
  ASSERT_TRUE(txn_.Apply().ok());
  EXPECT_EQ(inner_.Get("n1").value(), "1");
}

TEST_F(BufferedTransactionTest, DiscardDropsEverything) {
  ASSERT_TRUE(txn_.Put("n1", "1").ok());
  ASSERT_TRUE(txn_.Delete("b").ok());
  txn_.Discard();
  EXPECT_EQ(txn_.Get("b").value(), "inner");
  EXPECT_EQ(txn_.Get("n1").value(), std::nullopt);
  ASSERT_TRUE(txn_.Apply().ok());
  EXPECT_EQ(inner_.Get("n1").value(), std::nullopt);
}

TEST_F(BufferedTransactionTest, CommitIsBufferedInOrder) {
  std::vector<WriteOp> ops = {{WriteOp::Kind::kPut, "k", "1"}, {WriteOp::Kind::kDelete, "k", ""}};
  ASSERT_TRUE(txn_.Commit(ops).ok());
  EXPECT_EQ(inner_.commits, 0);
  EXPECT_EQ(txn_.Get("k").value(), std::nullopt);
}

}  // namespace
}  // namespace cellar::storage
