// src/core/seal_manager_test.cc: init, unseal, seal, rekey, generate-root and dev key files.
#include "core/seal_manager.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <regex>

#include "crypto/encoding.h"
#include "crypto/shamir.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

class SealManagerTest : public testing::Test {
 protected:
  SealManager::Options Opts() {
    SealManager::Options options;
    options.version = "9.9.9";
    options.on_unseal = [this] {
      ++unseal_hooks_;
      return unseal_hook_status_;
    };
    options.on_seal = [this] { ++seal_hooks_; };
    options.mint_root_token = [this]() -> StatusOr<std::string> {
      // The token store writes through the barrier, so it must be open here.
      if (barrier_.sealed()) {
        return SealedError();
      }
      return std::string("hvs.") + std::string(24, static_cast<char>('a' + minted_++));
    };
    return options;
  }

  InitResult Init(int shares, int threshold) {
    return manager_.Initialize({shares, threshold}).value();
  }

  storage::MemoryStorage physical_;
  Barrier barrier_{physical_};
  int unseal_hooks_ = 0;
  int seal_hooks_ = 0;
  int minted_ = 0;
  Status unseal_hook_status_;
  SealManager manager_{physical_, barrier_, Opts()};
};

TEST_F(SealManagerTest, StatusBeforeInit) {
  SealStatus status = manager_.GetSealStatus().value();
  EXPECT_EQ(status.type, "shamir");
  EXPECT_FALSE(status.initialized);
  EXPECT_TRUE(status.sealed);
  EXPECT_EQ(status.t, 0);
  EXPECT_EQ(status.n, 0);
  EXPECT_EQ(status.version, "9.9.9");
  EXPECT_EQ(status.storage_type, "inmem");
}

TEST_F(SealManagerTest, InitReturnsSharesInBothEncodingsAndRootToken) {
  InitResult result = Init(5, 3);
  ASSERT_EQ(result.keys_hex.size(), 5u);
  ASSERT_EQ(result.keys_base64.size(), 5u);
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(result.keys_hex[i].size(), 66u);
    EXPECT_EQ(crypto::HexDecode(result.keys_hex[i]).value(),
              crypto::Base64Decode(result.keys_base64[i]).value());
  }
  EXPECT_EQ(result.root_token, "hvs." + std::string(24, 'a'));
  SealStatus status = manager_.GetSealStatus().value();
  EXPECT_TRUE(status.initialized);
  EXPECT_TRUE(status.sealed);  // init leaves the server sealed
  EXPECT_EQ(status.t, 3);
  EXPECT_EQ(status.n, 5);
  EXPECT_EQ(seal_hooks_, 1);  // opened for the root token, then closed
}

TEST_F(SealManagerTest, InitTwiceFails) {
  Init(1, 1);
  EXPECT_EQ(manager_.Initialize({1, 1}).status().code(), StatusCode::kAlreadyExists);
}

struct BadInit {
  int shares;
  int threshold;
};

class SealManagerBadInitTest : public SealManagerTest,
                               public testing::WithParamInterface<BadInit> {};

TEST_P(SealManagerBadInitTest, IsInvalidArgumentAndStoresNothing) {
  EXPECT_EQ(manager_.Initialize({GetParam().shares, GetParam().threshold}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(manager_.IsInitialized().value());
}

INSTANTIATE_TEST_SUITE_P(All, SealManagerBadInitTest,
                         testing::Values(BadInit{0, 0}, BadInit{256, 3}, BadInit{3, 4},
                                         BadInit{3, 1}, BadInit{3, 0}));

TEST_F(SealManagerTest, UnsealWithTwoOfThreeShares) {
  InitResult keys = Init(3, 2);
  SealStatus first = manager_.SubmitUnsealKey(keys.keys_hex[2]).value();
  EXPECT_TRUE(first.sealed);
  EXPECT_EQ(first.progress, 1);
  EXPECT_FALSE(first.nonce.empty());
  SealStatus second = manager_.SubmitUnsealKey(keys.keys_base64[0]).value();
  EXPECT_FALSE(second.sealed);
  EXPECT_EQ(second.progress, 0);
  EXPECT_EQ(second.nonce, "");
  EXPECT_FALSE(second.cluster_id.empty());
  EXPECT_TRUE(second.cluster_name.starts_with("cellar-cluster-"));
  EXPECT_FALSE(barrier_.sealed());
}

TEST_F(SealManagerTest, SameShareTwiceCountsOnce) {
  InitResult keys = Init(3, 2);
  ASSERT_TRUE(manager_.SubmitUnsealKey(keys.keys_hex[0]).ok());
  SealStatus status = manager_.SubmitUnsealKey(keys.keys_base64[0]).value();
  EXPECT_TRUE(status.sealed);
  EXPECT_EQ(status.progress, 1);
}

TEST_F(SealManagerTest, WrongShareAtThresholdResetsProgress) {
  InitResult keys = Init(3, 2);
  InitResult other;
  {
    storage::MemoryStorage other_physical;
    Barrier other_barrier(other_physical);
    SealManager other_manager(other_physical, other_barrier);
    other = other_manager.Initialize({3, 2}).value();
  }
  ASSERT_TRUE(manager_.SubmitUnsealKey(keys.keys_hex[0]).ok());
  StatusOr<SealStatus> failed = manager_.SubmitUnsealKey(other.keys_hex[1]);
  EXPECT_EQ(failed.status().code(), StatusCode::kInvalidArgument);
  SealStatus status = manager_.GetSealStatus().value();
  EXPECT_TRUE(status.sealed);
  EXPECT_EQ(status.progress, 0);
  // A correct attempt afterwards works from scratch.
  ASSERT_TRUE(manager_.SubmitUnsealKey(keys.keys_hex[0]).ok());
  EXPECT_FALSE(manager_.SubmitUnsealKey(keys.keys_hex[1]).value().sealed);
}

class UndecodableKeyTest : public SealManagerTest,
                           public testing::WithParamInterface<std::string_view> {};

TEST_P(UndecodableKeyTest, IsInvalidArgumentAndKeepsProgress) {
  InitResult keys = Init(3, 2);
  ASSERT_TRUE(manager_.SubmitUnsealKey(keys.keys_hex[0]).ok());
  EXPECT_EQ(manager_.SubmitUnsealKey(GetParam()).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(manager_.GetSealStatus()->progress, 1);
}

INSTANTIATE_TEST_SUITE_P(All, UndecodableKeyTest,
                         testing::Values("", "not a key!", "abcd", "AAAA",
                                         std::string_view("zz00")));

TEST_F(SealManagerTest, ResetForgetsProgress) {
  InitResult keys = Init(3, 2);
  ASSERT_TRUE(manager_.SubmitUnsealKey(keys.keys_hex[0]).ok());
  SealStatus status = manager_.ResetUnseal().value();
  EXPECT_EQ(status.progress, 0);
  EXPECT_EQ(status.nonce, "");
}

TEST_F(SealManagerTest, UnsealBeforeInitFails) {
  EXPECT_EQ(manager_.SubmitUnsealKey(std::string(66, 'a')).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(SealManagerTest, SealClosesBarrierAndRunsHook) {
  InitResult keys = Init(1, 1);
  ASSERT_FALSE(manager_.SubmitUnsealKey(keys.keys_hex[0])->sealed);
  int hooks_before = seal_hooks_;
  ASSERT_TRUE(manager_.Seal().ok());
  EXPECT_TRUE(barrier_.sealed());
  EXPECT_EQ(seal_hooks_, hooks_before + 1);
  EXPECT_TRUE(manager_.GetSealStatus()->sealed);
  EXPECT_EQ(manager_.GetSealStatus()->cluster_id, "");
}

TEST_F(SealManagerTest, FailingUnsealHookLeavesSealed) {
  InitResult keys = Init(1, 1);
  unseal_hook_status_ = InternalError("mount table unreadable");
  EXPECT_EQ(manager_.SubmitUnsealKey(keys.keys_hex[0]).status().code(), StatusCode::kInternal);
  EXPECT_TRUE(barrier_.sealed());
}

TEST_F(SealManagerTest, UnsealSurvivesRestart) {
  InitResult keys = Init(3, 2);
  ASSERT_TRUE(manager_.SubmitUnsealKey(keys.keys_hex[0]).ok());
  ASSERT_TRUE(manager_.SubmitUnsealKey(keys.keys_hex[1]).ok());
  ASSERT_TRUE(barrier_.Put("data", "kept").ok());
  // A new process: fresh barrier and manager over the same physical storage.
  Barrier barrier2(physical_);
  SealManager manager2(physical_, barrier2);
  EXPECT_TRUE(manager2.IsInitialized().value());
  EXPECT_EQ(manager2.GetSealStatus()->t, 2);
  ASSERT_TRUE(manager2.SubmitUnsealKey(keys.keys_base64[2]).ok());
  ASSERT_FALSE(manager2.SubmitUnsealKey(keys.keys_base64[1])->sealed);
  EXPECT_EQ(barrier2.Get("data").value(), "kept");
}

TEST_F(SealManagerTest, RotateAndKeyStatus) {
  InitResult keys = Init(1, 1);
  EXPECT_EQ(manager_.Rotate().code(), StatusCode::kSealed);
  ASSERT_FALSE(manager_.SubmitUnsealKey(keys.keys_hex[0])->sealed);
  ASSERT_TRUE(manager_.Rotate().ok());
  EXPECT_EQ(manager_.GetKeyStatus()->term, 2u);
}

// ---- rekey ----

class RekeyTest : public SealManagerTest {
 protected:
  void SetUp() override {
    keys_ = Init(3, 2);
    ASSERT_TRUE(manager_.SubmitUnsealKey(keys_.keys_hex[0]).ok());
    ASSERT_FALSE(manager_.SubmitUnsealKey(keys_.keys_hex[1])->sealed);
    ASSERT_TRUE(barrier_.Put("data", "kept").ok());
  }
  InitResult keys_;
};

TEST_F(RekeyTest, NewSharesWorkOldSharesStop) {
  RekeyStatus started = manager_.RekeyInit(5, 3).value();
  EXPECT_TRUE(started.started);
  EXPECT_EQ(started.t, 3);
  EXPECT_EQ(started.n, 5);
  EXPECT_EQ(started.required, 2);
  RekeyStatus one = manager_.RekeyUpdate(keys_.keys_hex[0], started.nonce).value();
  EXPECT_EQ(one.progress, 1);
  EXPECT_FALSE(one.complete);
  RekeyStatus done = manager_.RekeyUpdate(keys_.keys_hex[2], started.nonce).value();
  ASSERT_TRUE(done.complete);
  ASSERT_EQ(done.keys_hex.size(), 5u);
  EXPECT_EQ(done.keys_base64.size(), 5u);
  EXPECT_FALSE(manager_.GetRekeyStatus()->started);

  ASSERT_TRUE(manager_.Seal().ok());
  EXPECT_EQ(manager_.GetSealStatus()->t, 3);
  EXPECT_EQ(manager_.GetSealStatus()->n, 5);
  // Old shares: three of them (the new threshold) still cannot open it.
  ASSERT_TRUE(manager_.SubmitUnsealKey(keys_.keys_hex[0]).ok());
  ASSERT_TRUE(manager_.SubmitUnsealKey(keys_.keys_hex[1]).ok());
  EXPECT_FALSE(manager_.SubmitUnsealKey(keys_.keys_hex[2]).ok());
  // New shares do.
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(manager_.SubmitUnsealKey(done.keys_base64[i + 2]).ok());
  }
  EXPECT_FALSE(manager_.GetSealStatus()->sealed);
  EXPECT_EQ(barrier_.Get("data").value(), "kept");
}

TEST_F(RekeyTest, WrongNonceRejected) {
  ASSERT_TRUE(manager_.RekeyInit(3, 2).ok());
  EXPECT_EQ(manager_.RekeyUpdate(keys_.keys_hex[0], "wrong").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(RekeyTest, WrongSharesResetProgressAndKeepOldKeys) {
  RekeyStatus started = manager_.RekeyInit(3, 2).value();
  InitResult other;
  {
    storage::MemoryStorage p;
    Barrier b(p);
    other = SealManager(p, b).Initialize({3, 2}).value();
  }
  ASSERT_TRUE(manager_.RekeyUpdate(other.keys_hex[0], started.nonce).ok());
  EXPECT_EQ(manager_.RekeyUpdate(other.keys_hex[1], started.nonce).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(manager_.GetRekeyStatus()->progress, 0);
  EXPECT_TRUE(
      barrier_
          .VerifyRootKey(crypto::shamir::Combine(
                             std::vector<std::string>{crypto::HexDecode(keys_.keys_hex[0]).value(),
                                                      crypto::HexDecode(keys_.keys_hex[1]).value()})
                             .value())
          .ok());
}

TEST_F(RekeyTest, SecondInitWhileRunningFails) {
  ASSERT_TRUE(manager_.RekeyInit(3, 2).ok());
  EXPECT_EQ(manager_.RekeyInit(3, 2).status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(manager_.RekeyCancel().ok());
  EXPECT_TRUE(manager_.RekeyInit(3, 2).ok());
}

TEST_F(RekeyTest, BadCountsRejected) {
  EXPECT_EQ(manager_.RekeyInit(2, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(manager_.RekeyInit(3, 2, /*require_verification=*/true).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(RekeyTest, SealedRefuses) {
  ASSERT_TRUE(manager_.Seal().ok());
  EXPECT_EQ(manager_.RekeyInit(3, 2).status().code(), StatusCode::kSealed);
}

// ---- generate-root ----

TEST_F(RekeyTest, GenerateRootEncodesTokenWithOtp) {
  GenerateRootStatus started = manager_.GenerateRootInit().value();
  EXPECT_TRUE(started.started);
  EXPECT_EQ(started.required, 2);
  EXPECT_EQ(started.otp.size(), 28u);
  EXPECT_EQ(started.otp_length, 28);
  EXPECT_EQ(manager_.GetGenerateRootStatus()->otp, "");  // shown only once
  GenerateRootStatus one = manager_.GenerateRootUpdate(keys_.keys_hex[1], started.nonce).value();
  EXPECT_EQ(one.progress, 1);
  EXPECT_FALSE(one.complete);
  GenerateRootStatus done =
      manager_.GenerateRootUpdate(keys_.keys_base64[2], started.nonce).value();
  ASSERT_TRUE(done.complete);
  EXPECT_EQ(done.encoded_token, done.encoded_root_token);
  EXPECT_EQ(done.encoded_token.find('='), std::string::npos);  // unpadded
  std::string mixed = crypto::Base64Decode(done.encoded_token).value();
  ASSERT_EQ(mixed.size(), 28u);
  std::string token(28, '\0');
  for (size_t i = 0; i < 28; ++i) {
    token[i] = static_cast<char>(mixed[i] ^ started.otp[i]);
  }
  EXPECT_EQ(token, "hvs." + std::string(24, 'b'));  // the second token minted (init made 'a')
  EXPECT_FALSE(manager_.GetGenerateRootStatus()->started);
}

TEST_F(RekeyTest, GenerateRootAcceptsCallerOtp) {
  std::string otp(28, 'Z');
  GenerateRootStatus started = manager_.GenerateRootInit(otp).value();
  EXPECT_EQ(started.otp, otp);
  EXPECT_EQ(manager_.GenerateRootInit().status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(RekeyTest, GenerateRootRejectsBadOtpAndPgp) {
  EXPECT_EQ(manager_.GenerateRootInit("short").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(manager_.GenerateRootInit("", "pgpkey").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(RekeyTest, GenerateRootWrongNonceAndCancel) {
  GenerateRootStatus started = manager_.GenerateRootInit().value();
  EXPECT_EQ(manager_.GenerateRootUpdate(keys_.keys_hex[0], "nope").status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(manager_.GenerateRootCancel().ok());
  EXPECT_EQ(manager_.GenerateRootUpdate(keys_.keys_hex[0], started.nonce).status().code(),
            StatusCode::kInvalidArgument);
}

// ---- dev mode ----

class DevModeTest : public SealManagerTest {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "cellar-seal-XXXXXX").string();
    dir_ = mkdtemp(templ.data());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(DevModeTest, InitializeDevUnsealsWithOneShare) {
  InitResult result = manager_.InitializeDev().value();
  EXPECT_EQ(result.keys_base64.size(), 1u);
  SealStatus status = manager_.GetSealStatus().value();
  EXPECT_FALSE(status.sealed);
  EXPECT_EQ(status.t, 1);
  EXPECT_EQ(status.n, 1);
}

TEST_F(DevModeTest, KeyFileIsOwnerOnlyAndUnsealsAfterRestart) {
  InitResult result = manager_.InitializeDev().value();
  std::string path = dir_ + "/cellar.db.dev-key";
  ASSERT_TRUE(SealManager::WriteKeyFile(path, result.keys_base64[0]).ok());
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  Barrier barrier2(physical_);
  SealManager manager2(physical_, barrier2);
  ASSERT_TRUE(manager2.UnsealFromKeyFile(path).ok());
  EXPECT_FALSE(barrier2.sealed());
}

TEST_F(DevModeTest, MissingKeyFileIsNotFound) {
  ASSERT_TRUE(manager_.InitializeDev().ok());
  EXPECT_EQ(manager_.UnsealFromKeyFile(dir_ + "/absent").code(), StatusCode::kNotFound);
}

TEST_F(DevModeTest, KeyFileWithOneOfSeveralSharesIsNotEnough) {
  InitResult keys = Init(3, 2);
  std::string path = dir_ + "/k";
  ASSERT_TRUE(SealManager::WriteKeyFile(path, keys.keys_base64[0]).ok());
  EXPECT_EQ(manager_.UnsealFromKeyFile(path).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(manager_.GetSealStatus()->progress, 0);
}

}  // namespace
}  // namespace cellar::core
