// src/crypto/aead_test.cc: AES-256-GCM round trips and every way a sealed value must fail to open.
#include "crypto/aead.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace cellar::crypto
