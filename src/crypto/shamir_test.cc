// src/crypto/shamir_test.cc: splits recover from every threshold subset and from no smaller one.
#include "crypto/shamir.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/random.h"

namespace cellar::crypto::shamir {
namespace {

TEST(GfTest, InverseTimesValueIsOne) {
  for (int a = 1; a < 256; ++a) {
    EXPECT_EQ(GfMul(static_cast<unsigned char>(a), GfInverse(static_cast<unsigned char>(a))), 1)
        << a;
  }
}

TEST(GfTest, KnownProduct) {
  // FIPS-197 §4.2: {57} x {83} = {c1}.
  EXPECT_EQ(GfMul(0x57, 0x83), 0xc1);
}

struct SplitCase {
  int shares;
  int threshold;
};

class ShamirSubsetTest : public testing::TestWithParam<SplitCase> {};

// Every subset of exactly `threshold` shares (enumerated by bitmask) recovers the secret.
TEST_P(ShamirSubsetTest, EveryThresholdSubsetRecovers) {
  const SplitCase& c = GetParam();
  std::string secret = RandomBytes(32);
  std::vector<std::string> parts = Split(secret, c.shares, c.threshold).value();
  ASSERT_EQ(parts.size(), static_cast<size_t>(c.shares));
  for (const std::string& part : parts) {
    EXPECT_EQ(part.size(), 33u);
  }
  for (uint32_t mask = 0; mask < (1u << c.shares); ++mask) {
    if (std::popcount(mask) != c.threshold) {
      continue;
    }
    std::vector<std::string> subset;
    for (int i = 0; i < c.shares; ++i) {
      if (mask & (1u << i)) {
        subset.push_back(parts[i]);
      }
    }
    EXPECT_EQ(Combine(subset).value(), secret) << "mask " << mask;
  }
}

// One share fewer than the threshold yields some other value.
TEST_P(ShamirSubsetTest, FewerThanThresholdDoesNotRecover) {
  const SplitCase& c = GetParam();
  if (c.threshold < 2) {
    GTEST_SKIP() << "threshold 1 has no smaller subset";
  }
  std::string secret = RandomBytes(32);
  std::vector<std::string> parts = Split(secret, c.shares, c.threshold).value();
  std::vector<std::string> subset(parts.begin(), parts.begin() + (c.threshold - 1));
  EXPECT_NE(Combine(subset).value(), secret);
}

TEST_P(ShamirSubsetTest, XCoordinatesAreDistinctAndNonZero) {
  const SplitCase& c = GetParam();
  std::vector<std::string> parts = Split("k", c.shares, c.threshold).value();
  std::set<unsigned char> xs;
  for (const std::string& part : parts) {
    unsigned char x = static_cast<unsigned char>(part.back());
    EXPECT_NE(x, 0);
    xs.insert(x);
  }
  EXPECT_EQ(xs.size(), parts.size());
}

INSTANTIATE_TEST_SUITE_P(Shapes, ShamirSubsetTest,
                         testing::Values(SplitCase{1, 1}, SplitCase{2, 2}, SplitCase{3, 2},
                                         SplitCase{5, 3}, SplitCase{5, 5}, SplitCase{8, 4}));

TEST(ShamirTest, SupersetOfThresholdRecovers) {
  std::vector<std::string> parts = Split("secret", 5, 3).value();
  EXPECT_EQ(Combine(parts).value(), "secret");
}

TEST(ShamirTest, MaximumShares) {
  std::vector<std::string> parts = Split("secret", 255, 255).value();
  EXPECT_EQ(Combine(parts).value(), "secret");
}

// With threshold 2, one share alone is uniformly distributed: across many splits of the same
// secret its first byte takes many values, so it does not reveal the secret byte.
TEST(ShamirTest, SingleShareBelowThresholdLooksRandom) {
  std::set<char> first_bytes;
  for (int i = 0; i < 200; ++i) {
    first_bytes.insert(Split("A", 3, 2).value()[0][0]);
  }
  EXPECT_GT(first_bytes.size(), 100u);
}

TEST(ShamirTest, DuplicateShareRejected) {
  std::vector<std::string> parts = Split("secret", 3, 2).value();
  std::vector<std::string> dup = {parts[0], parts[0]};
  EXPECT_EQ(Combine(dup).status().code(), StatusCode::kInvalidArgument);
}

TEST(ShamirTest, MismatchedLengthsRejected) {
  std::vector<std::string> a = Split("secret", 3, 2).value();
  std::vector<std::string> b = Split("longer secret", 3, 2).value();
  std::vector<std::string> mixed = {a[0], b[1]};
  EXPECT_EQ(Combine(mixed).status().code(), StatusCode::kInvalidArgument);
}

TEST(ShamirTest, EmptyInputRejected) {
  EXPECT_FALSE(Combine(std::vector<std::string>{}).ok());
  EXPECT_FALSE(Combine(std::vector<std::string>{"x"}).ok());
}

class ShamirBadSplitTest : public testing::TestWithParam<SplitCase> {};

TEST_P(ShamirBadSplitTest, IsInvalidArgument) {
  EXPECT_EQ(Split("secret", GetParam().shares, GetParam().threshold).status().code(),
            StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Bad, ShamirBadSplitTest,
                         testing::Values(SplitCase{0, 0}, SplitCase{256, 2}, SplitCase{3, 4},
                                         SplitCase{3, 1}, SplitCase{3, 0}, SplitCase{-1, 1}));

TEST(ShamirTest, EmptySecretRejected) { EXPECT_FALSE(Split("", 3, 2).ok()); }

}  // namespace
}  // namespace cellar::crypto::shamir
