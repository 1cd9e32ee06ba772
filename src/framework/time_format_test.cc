// src/framework/time_format_test.cc: RFC3339Nano output matches Go's for whole and fractional
// times.
#include "framework/time_format.h"

#include <gtest/gtest.h>

namespace cellar::framework {
namespace {

struct TimeCase {
  int64_t unix_nanos;
  std::string_view want;
};

class FormatRfc3339NanoTest : public testing::TestWithParam<TimeCase> {};

TEST_P(FormatRfc3339NanoTest, MatchesGo) {
  EXPECT_EQ(FormatRfc3339Nano(FromUnixNanos(GetParam().unix_nanos)), GetParam().want);
}

TEST_P(FormatRfc3339NanoTest, BufferFormMatchesGo) {
  char buf[kRfc3339NanoMax];
  size_t len = FormatRfc3339Nano(FromUnixNanos(GetParam().unix_nanos), buf);
  EXPECT_EQ(std::string_view(buf, len), GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    All, FormatRfc3339NanoTest,
    testing::Values(TimeCase{0, "1970-01-01T00:00:00Z"},
                    TimeCase{1'700'000'000'000'000'000, "2023-11-14T22:13:20Z"},
                    TimeCase{1'700'000'000'123'456'789, "2023-11-14T22:13:20.123456789Z"},
                    TimeCase{1'700'000'000'500'000'000, "2023-11-14T22:13:20.5Z"},
                    TimeCase{951'782'400'000'000'000, "2000-02-29T00:00:00Z"},
                    TimeCase{-1'000'000'000, "1969-12-31T23:59:59Z"},
                    TimeCase{-1, "1969-12-31T23:59:59.999999999Z"},
                    TimeCase{1'000'000'001, "1970-01-01T00:00:01.000000001Z"},
                    TimeCase{1'764'565'472'788'563'980, "2025-12-01T05:04:32.78856398Z"},
                    TimeCase{4'102'444'799'999'999'000, "2099-12-31T23:59:59.999999Z"},
                    TimeCase{INT64_MIN, "1677-09-21T00:12:43.145224192Z"},
                    TimeCase{INT64_MAX, "2262-04-11T23:47:16.854775807Z"}));

TEST(UnixNanosTest, RoundTrips) {
  EXPECT_EQ(ToUnixNanos(FromUnixNanos(1'700'000'000'123'456'789)), 1'700'000'000'123'456'789);
}

}  // namespace
}  // namespace cellar::framework
