// src/crypto/base64url_test.cc: base64url round trips and the characters it refuses.
#include "crypto/base64url.h"

#include <gtest/gtest.h>

namespace cellar::crypto {
namespace {

TEST(Base64Url, EncodesWithUrlAlphabetAndNoPadding) {
  EXPECT_EQ(Base64UrlEncode(std::string("\xfb\xff\xbf", 3)), "-_-_");
  EXPECT_EQ(Base64UrlEncode("a"), "YQ");
}

TEST(Base64Url, RoundTripsEveryLength) {
  std::string data;
  for (int i = 0; i < 40; ++i) {
    data.push_back(static_cast<char>(i * 37));
    ASSERT_EQ(*Base64UrlDecode(Base64UrlEncode(data)), data);
  }
}

class Base64UrlRefusesTest : public testing::TestWithParam<std::string_view> {};
TEST_P(Base64UrlRefusesTest, NonUrlText) { EXPECT_FALSE(Base64UrlDecode(GetParam()).ok()); }
INSTANTIATE_TEST_SUITE_P(All, Base64UrlRefusesTest,
                         testing::Values("YQ==", "+/+/", "Y Q", "Y", "YQ.", "ab\ncd"));

}  // namespace
}  // namespace cellar::crypto
