// src/base/duration_test.cc: Vault's duration syntax, accepted and refused.
#include "base/duration.h"

#include <gtest/gtest.h>

namespace cellar {
namespace {

struct DurationCase {
  std::string_view text;
  StatusCode code;
  int64_t seconds;
};

class ParseDurationTest : public testing::TestWithParam<DurationCase> {};

TEST_P(ParseDurationTest, AcceptsVaultSyntax) {
  StatusOr<Seconds> got = ParseDuration(GetParam().text);
  EXPECT_EQ(got.status().code(), GetParam().code) << GetParam().text;
  if (got.ok()) {
    EXPECT_EQ(got->count(), GetParam().seconds) << GetParam().text;
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, ParseDurationTest,
    testing::Values(DurationCase{"", StatusCode::kOk, 0}, DurationCase{"0", StatusCode::kOk, 0},
                    DurationCase{"3600", StatusCode::kOk, 3600},
                    DurationCase{"90s", StatusCode::kOk, 90},
                    DurationCase{"1h30m", StatusCode::kOk, 5400},
                    DurationCase{"1.5h", StatusCode::kOk, 5400},
                    DurationCase{"2d", StatusCode::kOk, 172800},
                    DurationCase{"768h", StatusCode::kOk, 2764800},
                    DurationCase{"1500ms", StatusCode::kOk, 1},
                    DurationCase{"-5s", StatusCode::kInvalidArgument, 0},
                    DurationCase{"-5", StatusCode::kInvalidArgument, 0},
                    DurationCase{"5x", StatusCode::kInvalidArgument, 0},
                    DurationCase{"h", StatusCode::kInvalidArgument, 0},
                    DurationCase{"1h30", StatusCode::kInvalidArgument, 0}));

TEST(FormatDurationTest, PrintsLikeGo) {
  EXPECT_EQ(FormatDuration(Seconds(0)), "0s");
  EXPECT_EQ(FormatDuration(Seconds(5400)), "1h30m0s");
  EXPECT_EQ(FormatDuration(Seconds(61)), "1m1s");
}

}  // namespace
}  // namespace cellar
