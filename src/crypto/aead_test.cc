// src/crypto/aead_test.cc: AES-256-GCM round trips and every way a sealed value must fail to open.
#include "crypto/aead.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "crypto/random.h"

namespace cellar::crypto {
namespace {

class AeadTest : public testing::Test {
 protected:
  std::string key_ = RandomBytes(kAesKeySize);
};

TEST_F(AeadTest, RoundTrips) {
  for (std::string_view text : {std::string_view(), std::string_view("x"),
                                std::string_view("a longer secret value \0 with a NUL", 34)}) {
    std::string sealed = AesGcmSeal(key_, text, "path/a").value();
    EXPECT_EQ(sealed.size(), text.size() + kGcmNonceSize + kGcmTagSize);
    EXPECT_EQ(AesGcmOpen(key_, sealed, "path/a").value(), text);
  }
}

TEST_F(AeadTest, NoncesDiffer) {
  EXPECT_NE(AesGcmSeal(key_, "same", "").value(), AesGcmSeal(key_, "same", "").value());
}

TEST_F(AeadTest, WrongKeyFails) {
  std::string sealed = AesGcmSeal(key_, "secret", "aad").value();
  EXPECT_EQ(AesGcmOpen(RandomBytes(32), sealed, "aad").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(AeadTest, WrongAadFails) {
  std::string sealed = AesGcmSeal(key_, "secret", "path/a").value();
  EXPECT_FALSE(AesGcmOpen(key_, sealed, "path/b").ok());
  EXPECT_FALSE(AesGcmOpen(key_, sealed, "").ok());
}

TEST_F(AeadTest, EveryFlippedByteFails) {
  std::string sealed = AesGcmSeal(key_, "secret", "aad").value();
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_FALSE(AesGcmOpen(key_, tampered, "aad").ok()) << "byte " << i;
  }
}

TEST_F(AeadTest, TruncatedFails) {
  std::string sealed = AesGcmSeal(key_, "secret", "aad").value();
  EXPECT_FALSE(AesGcmOpen(key_, sealed.substr(0, sealed.size() - 1), "aad").ok());
  EXPECT_FALSE(AesGcmOpen(key_, sealed.substr(0, 10), "aad").ok());
}

TEST_F(AeadTest, ShortKeyRejected) {
  EXPECT_EQ(AesGcmSeal("short", "x", "").status().code(), StatusCode::kInvalidArgument);
}

// --- AesGcmKey: the same format, so either side can open what the other sealed ---

TEST_F(AeadTest, PreparedKeyOpensWhatSealOpens) {
  auto prepared = AesGcmKey::Create(key_).value();
  for (std::string_view text : {std::string_view(), std::string_view("x"),
                                std::string_view("a longer secret value \0 with a NUL", 34)}) {
    std::string sealed = prepared->Seal(text, "path/a").value();
    EXPECT_EQ(sealed.size(), text.size() + kGcmNonceSize + kGcmTagSize);
    EXPECT_EQ(AesGcmOpen(key_, sealed, "path/a").value(), text);
    EXPECT_EQ(prepared->Open(AesGcmSeal(key_, text, "path/a").value(), "path/a").value(), text);
  }
}

TEST_F(AeadTest, PreparedKeyRejectsTampering) {
  auto prepared = AesGcmKey::Create(key_).value();
  std::string sealed = prepared->Seal("secret", "aad").value();
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_EQ(prepared->Open(tampered, "aad").status().code(), StatusCode::kInvalidArgument)
        << "byte " << i;
  }
  EXPECT_FALSE(prepared->Open(sealed, "other").ok());
  EXPECT_FALSE(prepared->Open(sealed.substr(0, 20), "aad").ok());
  // A failed open leaves the key usable.
  EXPECT_EQ(prepared->Open(sealed, "aad").value(), "secret");
}

TEST_F(AeadTest, PreparedKeyWrongKeyFails) {
  auto other = AesGcmKey::Create(RandomBytes(kAesKeySize)).value();
  EXPECT_FALSE(other->Open(AesGcmSeal(key_, "secret", "aad").value(), "aad").ok());
}

TEST_F(AeadTest, PreparedKeyNeedsA32ByteKey) {
  EXPECT_EQ(AesGcmKey::Create("short").status().code(), StatusCode::kInvalidArgument);
}

// More threads than the key has contexts: some calls take the copy path.
TEST_F(AeadTest, PreparedKeyIsThreadSafe) {
  auto prepared = AesGcmKey::Create(key_).value();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      std::string text = "value-" + std::to_string(t);
      for (int i = 0; i < 300; ++i) {
        StatusOr<std::string> sealed = prepared->Seal(text, "k");
        if (!sealed.ok() || prepared->Open(*sealed, "k").value_or("") != text) {
          ++failures;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace cellar::crypto
