// src/crypto/password_test.cc: scrypt hashes verify, reject wrong passwords and malformed input.
#include "crypto/password.h"

#include <gtest/gtest.h>

namespace cellar::crypto {
namespace {

// Cheap parameters keep the suite fast; the format and code path are the same as the default.
constexpr ScryptParams kFast{.log2_n = 4, .r = 8, .p = 1};

TEST(PasswordTest, CorrectPasswordVerifies) {
  std::string encoded = HashPassword("hunter2", kFast).value();
  EXPECT_TRUE(VerifyPassword("hunter2", encoded));
}

TEST(PasswordTest, WrongPasswordFails) {
  std::string encoded = HashPassword("hunter2", kFast).value();
  EXPECT_FALSE(VerifyPassword("hunter3", encoded));
  EXPECT_FALSE(VerifyPassword("", encoded));
}

TEST(PasswordTest, EncodingNamesParameters) {
  std::string encoded = HashPassword("pw", kFast).value();
  EXPECT_TRUE(encoded.starts_with("$scrypt$ln=4,r=8,p=1$")) << encoded;
}

TEST(PasswordTest, SaltMakesHashesDiffer) {
  EXPECT_NE(HashPassword("pw", kFast).value(), HashPassword("pw", kFast).value());
}

TEST(PasswordTest, DefaultParametersVerify) {
  std::string encoded = HashPassword("pw").value();
  EXPECT_TRUE(encoded.starts_with("$scrypt$ln=14,r=8,p=1$"));
  EXPECT_TRUE(VerifyPassword("pw", encoded));
}

class MalformedHashTest : public testing::TestWithParam<std::string_view> {};

TEST_P(MalformedHashTest, NeverVerifies) { EXPECT_FALSE(VerifyPassword("pw", GetParam())); }

INSTANTIATE_TEST_SUITE_P(
    All, MalformedHashTest,
    testing::Values("", "pw", "$scrypt$", "$scrypt$ln=4,r=8,p=1$c2FsdA",
                    "$scrypt$ln=99,r=8,p=1$c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                    "$scrypt$ln=4,r=8$c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                    "$scrypt$ln=4,r=8,p=1$c2FsdA$!!", "$bcrypt$ln=4,r=8,p=1$a$b"));

TEST(PasswordTest, BadParametersRejected) {
  EXPECT_EQ(HashPassword("pw", {.log2_n = 0}).status().code(), StatusCode::kInvalidArgument);
}

TEST(PasswordTest, DummyVerifyIsFalse) { EXPECT_FALSE(DummyVerify("anything")); }

}  // namespace
}  // namespace cellar::crypto
