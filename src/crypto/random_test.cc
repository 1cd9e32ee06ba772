// src/crypto/random_test.cc: formats and uniqueness of random identifiers.
#include "crypto/random.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace cellar::crypto {
namespace {

TEST(RandomTest, BytesHaveRequestedLength) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(33).size(), 33u);
}

TEST(RandomTest, BytesDifferBetweenCalls) { EXPECT_NE(RandomBytes(32), RandomBytes(32)); }

TEST(RandomTest, Base62UsesOnlyAlphanumerics) {
  std::string s = RandomBase62(2000);
  ASSERT_EQ(s.size(), 2000u);
  EXPECT_TRUE(std::regex_match(s, std::regex("[0-9A-Za-z]+")));
  // 2000 draws over 62 symbols: every symbol appears (chance of a miss is ~1e-13).
  EXPECT_EQ(std::set<char>(s.begin(), s.end()).size(), 62u);
}

TEST(RandomTest, UuidIsVersion4) {
  std::regex form("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 50; ++i) {
    EXPECT_TRUE(std::regex_match(NewUuid(), form));
  }
}

TEST(RandomTest, TokenHasVaultShape) {
  std::string token = NewToken();
  EXPECT_EQ(token.size(), 28u);
  EXPECT_TRUE(std::regex_match(token, std::regex("hvs\\.[0-9A-Za-z]{24}")));
}

TEST(RandomTest, AccessorIs24Base62) {
  EXPECT_TRUE(std::regex_match(NewAccessor(), std::regex("[0-9A-Za-z]{24}")));
}

TEST(RandomTest, TokensAreUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(seen.insert(NewToken()).second);
  }
}

}  // namespace
}  // namespace cellar::crypto
