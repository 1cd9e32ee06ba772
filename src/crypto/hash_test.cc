// src/crypto/hash_test.cc: digests against published vectors, constant-time equality.
#include "crypto/hash.h"

#include <gtest/gtest.h>

namespace cellar::crypto {
namespace {

TEST(HashTest, Sha256OfEmpty) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HashTest, Sha256OfAbc) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256("abc").size(), 32u);
}

// RFC 4231 test case 2.
TEST(HashTest, HmacSha256Rfc4231) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HashTest, HmacSha256EmptyKeyAndMessage) {
  EXPECT_EQ(HmacSha256Hex("", ""),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HashTest, HmacDependsOnKey) { EXPECT_NE(HmacSha256("k1", "m"), HmacSha256("k2", "m")); }

struct EqualsCase {
  std::string_view a;
  std::string_view b;
  bool equal;
};

class ConstantTimeEqualsTest : public testing::TestWithParam<EqualsCase> {};

TEST_P(ConstantTimeEqualsTest, MatchesOperatorEquals) {
  EXPECT_EQ(ConstantTimeEquals(GetParam().a, GetParam().b), GetParam().equal);
}

INSTANTIATE_TEST_SUITE_P(All, ConstantTimeEqualsTest,
                         testing::Values(EqualsCase{"", "", true}, EqualsCase{"abc", "abc", true},
                                         EqualsCase{"abc", "abd", false},
                                         EqualsCase{"abc", "ab", false},
                                         EqualsCase{"", "a", false}));

}  // namespace
}  // namespace cellar::crypto
