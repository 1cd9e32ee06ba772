// src/core/barrier_test.cc: the barrier encrypts, binds paths, rotates, and refuses while sealed.
#include "core/barrier.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "crypto/random.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using storage::WriteOp;

class BarrierTest : public testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(barrier_.Initialize(root_key_).ok());
    ASSERT_TRUE(barrier_.Unseal(root_key_).ok());
  }

  storage::MemoryStorage physical_;
  FakeClock clock_;
  Barrier barrier_{physical_, clock_};
  std::string root_key_ = crypto::RandomBytes(32);
};

TEST_F(BarrierTest, RoundTripsValues) {
  ASSERT_TRUE(barrier_.Put("secret/a", "plaintext").ok());
  EXPECT_EQ(barrier_.Get("secret/a").value(), "plaintext");
  EXPECT_EQ(barrier_.Get("secret/missing").value(), std::nullopt);
}

TEST_F(BarrierTest, PhysicalValueIsCiphertext) {
  ASSERT_TRUE(barrier_.Put("secret/a", "plaintext-marker").ok());
  std::string stored = physical_.Get("secret/a").value().value();
  EXPECT_EQ(stored.find("plaintext-marker"), std::string::npos);
  EXPECT_EQ(stored.size(), 5 + 12 + 16 + std::string("plaintext-marker").size());
  EXPECT_EQ(stored.substr(0, 5), std::string("\0\0\0\x01\x02", 5));  // term 1, version 2
}

TEST_F(BarrierTest, TamperedCiphertextFails) {
  ASSERT_TRUE(barrier_.Put("k", "value").ok());
  std::string stored = physical_.Get("k").value().value();
  stored[stored.size() - 3] ^= 0x40;
  ASSERT_TRUE(physical_.Put("k", stored).ok());
  EXPECT_EQ(barrier_.Get("k").status().code(), StatusCode::kInternal);
}

TEST_F(BarrierTest, ValueMovedToAnotherPathFails) {
  ASSERT_TRUE(barrier_.Put("a", "value").ok());
  ASSERT_TRUE(physical_.Put("b", physical_.Get("a").value().value()).ok());
  EXPECT_EQ(barrier_.Get("b").status().code(), StatusCode::kInternal);
}

TEST_F(BarrierTest, PlaintextInPhysicalStorageFails) {
  ASSERT_TRUE(physical_.Put("raw", "not encrypted").ok());
  EXPECT_EQ(barrier_.Get("raw").status().code(), StatusCode::kInternal);
}

TEST_F(BarrierTest, SealedRefusesEveryCall) {
  ASSERT_TRUE(barrier_.Put("k", "v").ok());
  barrier_.Seal();
  EXPECT_TRUE(barrier_.sealed());
  EXPECT_EQ(barrier_.Get("k").status().code(), StatusCode::kSealed);
  EXPECT_EQ(barrier_.Put("k", "v").code(), StatusCode::kSealed);
  EXPECT_EQ(barrier_.Delete("k").code(), StatusCode::kSealed);
  EXPECT_EQ(barrier_.List("").status().code(), StatusCode::kSealed);
  std::vector<WriteOp> ops = {{WriteOp::Kind::kPut, "x", "y"}};
  EXPECT_EQ(barrier_.Commit(ops).code(), StatusCode::kSealed);
  EXPECT_EQ(barrier_.Rotate().code(), StatusCode::kSealed);
  EXPECT_EQ(barrier_.GetKeyStatus().status().code(), StatusCode::kSealed);
}

TEST_F(BarrierTest, UnsealAfterSealRestoresAccess) {
  ASSERT_TRUE(barrier_.Put("k", "v").ok());
  barrier_.Seal();
  ASSERT_TRUE(barrier_.Unseal(root_key_).ok());
  EXPECT_EQ(barrier_.Get("k").value(), "v");
}

TEST_F(BarrierTest, WrongRootKeyDoesNotUnseal) {
  barrier_.Seal();
  EXPECT_EQ(barrier_.Unseal(crypto::RandomBytes(32)).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(barrier_.sealed());
}

TEST_F(BarrierTest, InitializeTwiceFails) {
  EXPECT_EQ(barrier_.Initialize(crypto::RandomBytes(32)).code(), StatusCode::kAlreadyExists);
}

TEST_F(BarrierTest, UnsealBeforeInitializeFails) {
  storage::MemoryStorage empty;
  Barrier fresh(empty, clock_);
  EXPECT_EQ(fresh.Unseal(root_key_).code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(fresh.Initialized().value());
}

TEST_F(BarrierTest, RotateKeepsOldValuesReadable) {
  ASSERT_TRUE(barrier_.Put("old", "written under term 1").ok());
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(barrier_.Rotate().ok());
  ASSERT_TRUE(barrier_.Put("new", "written under term 2").ok());
  EXPECT_EQ(physical_.Get("new").value()->substr(0, 4), std::string("\0\0\0\x02", 4));
  EXPECT_EQ(barrier_.Get("old").value(), "written under term 1");
  EXPECT_EQ(barrier_.Get("new").value(), "written under term 2");
  KeyStatus status = barrier_.GetKeyStatus().value();
  EXPECT_EQ(status.term, 2u);
  EXPECT_EQ(status.install_time, clock_.Now());
}

TEST_F(BarrierTest, RotationPersistsAcrossSeal) {
  ASSERT_TRUE(barrier_.Put("old", "1").ok());
  ASSERT_TRUE(barrier_.Rotate().ok());
  ASSERT_TRUE(barrier_.Put("new", "2").ok());
  barrier_.Seal();
  ASSERT_TRUE(barrier_.Unseal(root_key_).ok());
  EXPECT_EQ(barrier_.GetKeyStatus()->term, 2u);
  EXPECT_EQ(barrier_.Get("old").value(), "1");
  EXPECT_EQ(barrier_.Get("new").value(), "2");
}

TEST_F(BarrierTest, EncryptionsAreCounted) {
  EXPECT_EQ(barrier_.GetKeyStatus()->encryptions, 0u);
  ASSERT_TRUE(barrier_.Put("a", "1").ok());
  std::vector<WriteOp> ops = {{WriteOp::Kind::kPut, "b", "2"}, {WriteOp::Kind::kDelete, "a", ""}};
  ASSERT_TRUE(barrier_.Commit(ops).ok());
  EXPECT_EQ(barrier_.GetKeyStatus()->encryptions, 2u);
}

TEST_F(BarrierTest, CommitEncryptsEveryPut) {
  std::vector<WriteOp> ops = {{WriteOp::Kind::kPut, "x/1", "one"},
                              {WriteOp::Kind::kPut, "x/2", "two"}};
  ASSERT_TRUE(barrier_.Commit(ops).ok());
  EXPECT_NE(physical_.Get("x/1").value(), "one");
  EXPECT_EQ(barrier_.Get("x/2").value(), "two");
  EXPECT_EQ(barrier_.List("x/").value(), (std::vector<std::string>{"1", "2"}));
}

TEST_F(BarrierTest, ReservedPathsAreRefused) {
  EXPECT_EQ(barrier_.Put(Barrier::kKeyringPath, "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(barrier_.Get(Barrier::kKeyringPath).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(barrier_.Delete("core/barrier/seal-config").code(), StatusCode::kInvalidArgument);
  std::vector<WriteOp> ops = {{WriteOp::Kind::kPut, std::string(Barrier::kKeyringPath), "x"}};
  EXPECT_EQ(barrier_.Commit(ops).code(), StatusCode::kInvalidArgument);
}

TEST_F(BarrierTest, RekeyReplacesRootKey) {
  ASSERT_TRUE(barrier_.Put("k", "v").ok());
  std::string new_root = crypto::RandomBytes(32);
  ASSERT_TRUE(barrier_.Rekey(new_root).ok());
  EXPECT_FALSE(barrier_.VerifyRootKey(root_key_).ok());
  EXPECT_TRUE(barrier_.VerifyRootKey(new_root).ok());
  barrier_.Seal();
  EXPECT_FALSE(barrier_.Unseal(root_key_).ok());
  ASSERT_TRUE(barrier_.Unseal(new_root).ok());
  EXPECT_EQ(barrier_.Get("k").value(), "v");
}

TEST_F(BarrierTest, ListHidesBarrierKeys) {
  EXPECT_TRUE(barrier_.List("").value().empty());
  ASSERT_TRUE(barrier_.Put("core/mounts", "m").ok());
  EXPECT_EQ(barrier_.List("").value(), std::vector<std::string>{"core/"});
  EXPECT_EQ(barrier_.List("core/").value(), std::vector<std::string>{"mounts"});
  EXPECT_TRUE(barrier_.List("core/barrier/").value().empty());
}

// Readers and writers keep working while terms rotate underneath them.
TEST_F(BarrierTest, RotateDuringConcurrentTraffic) {
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop.load() || i < 50; ++i) {
        std::string key = "load/" + std::to_string(t) + "/" + std::to_string(i % 20);
        std::string value = std::to_string(i);
        if (!barrier_.Put(key, value).ok() || barrier_.Get(key).value_or({}) != value) {
          ++failures;
        }
      }
    });
  }
  for (int r = 0; r < 20; ++r) {
    ASSERT_TRUE(barrier_.Rotate().ok());
  }
  stop = true;
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(barrier_.GetKeyStatus()->term, 21u);
}

TEST_F(BarrierTest, TypeComesFromPhysical) { EXPECT_EQ(barrier_.Type(), "inmem"); }

}  // namespace
}  // namespace cellar::core
