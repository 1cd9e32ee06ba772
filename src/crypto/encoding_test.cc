// src/crypto/encoding_test.cc: hex and base64 round trips and rejections.
#include "crypto/encoding.h"

#include <gtest/gtest.h>

#include "crypto/random.h"

namespace cellar::crypto {
namespace {

struct Base64Case {
  std::string_view raw;
  std::string_view padded;
  std::string_view unpadded;
};

class Base64VectorTest : public testing::TestWithParam<Base64Case> {};

// RFC 4648 §10 test vectors.
TEST_P(Base64VectorTest, EncodesAndDecodes) {
  const Base64Case& c = GetParam();
  EXPECT_EQ(Base64Encode(c.raw), c.padded);
  EXPECT_EQ(Base64EncodeUnpadded(c.raw), c.unpadded);
  EXPECT_EQ(Base64Decode(c.padded).value(), c.raw);
  EXPECT_EQ(Base64Decode(c.unpadded).value(), c.raw);
}

INSTANTIATE_TEST_SUITE_P(Rfc4648, Base64VectorTest,
                         testing::Values(Base64Case{"", "", ""}, Base64Case{"f", "Zg==", "Zg"},
                                         Base64Case{"fo", "Zm8=", "Zm8"},
                                         Base64Case{"foo", "Zm9v", "Zm9v"},
                                         Base64Case{"foob", "Zm9vYg==", "Zm9vYg"},
                                         Base64Case{"fooba", "Zm9vYmE=", "Zm9vYmE"},
                                         Base64Case{"foobar", "Zm9vYmFy", "Zm9vYmFy"}));

class Base64RejectTest : public testing::TestWithParam<std::string_view> {};

TEST_P(Base64RejectTest, IsInvalidArgument) {
  EXPECT_EQ(Base64Decode(GetParam()).status().code(), StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Bad, Base64RejectTest,
                         testing::Values("Z", "Zm9v Yg", "Zm9v-_", "Zm8==", "Zg=", "Z===", "@@@@"));

TEST(Base64Test, RoundTripsRandomBinary) {
  for (size_t n = 0; n < 70; ++n) {
    std::string data = RandomBytes(n);
    EXPECT_EQ(Base64Decode(Base64Encode(data)).value(), data);
  }
}

TEST(HexTest, EncodesLowercase) { EXPECT_EQ(HexEncode(std::string("\x00\xab\xff", 3)), "00abff"); }

TEST(HexTest, DecodesEitherCase) {
  EXPECT_EQ(HexDecode("00ABff").value(), std::string("\x00\xab\xff", 3));
}

TEST(HexTest, RejectsOddLength) {
  EXPECT_EQ(HexDecode("abc").status().code(), StatusCode::kInvalidArgument);
}

TEST(HexTest, RejectsNonHex) {
  EXPECT_EQ(HexDecode("zz").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::crypto
