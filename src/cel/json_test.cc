// src/cel/json_test.cc: JSON <-> value conversion, including the tagged singletons.
#include "cel/json.h"

#include <gtest/gtest.h>

namespace cellar::cel {
namespace {

struct RoundTripCase {
  std::string in;
  std::string debug;  // Value::DebugString after parsing
  std::string out;    // JSON printed back
};

class JsonRoundTripTest : public testing::TestWithParam<RoundTripCase> {};

TEST_P(JsonRoundTripTest, ParsesAndPrints) {
  auto v = ValueFromJsonText(GetParam().in);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(v->DebugString(), GetParam().debug);
  auto text = ValueToJsonText(*v);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, GetParam().out);
}

INSTANTIATE_TEST_SUITE_P(
    All, JsonRoundTripTest,
    testing::Values(RoundTripCase{"1", "1", "1"}, RoundTripCase{"2.0", "2", "2"},
                    RoundTripCase{"2.5", "2.5", "2.5"},
                    RoundTripCase{R"({"$uint": "5"})", "5u", "5"},
                    RoundTripCase{R"({"$double": 2.0})", "2", "2.0"},
                    RoundTripCase{R"({"$bytes": "aGk="})", "b\"hi\"", R"("aGk=")"},
                    RoundTripCase{R"({"$timestamp": "2009-02-13T23:31:30Z"})",
                                  "timestamp(1234567890s+0ns)", R"("2009-02-13T23:31:30Z")"},
                    RoundTripCase{R"({"$duration": "1h"})", "duration(3600s+0ns)",
                                  R"("3600s")"},
                    RoundTripCase{R"({"a": [true, null]})", "{\"a\": [true, null]}",
                                  R"({"a":[true,null]})"}));

TEST(JsonTest, RejectsBadJson) { EXPECT_FALSE(ValueFromJsonText("{").ok()); }

TEST(JsonTest, ErrorValueIsNotJson) {
  EXPECT_FALSE(ValueToJsonText(Value::Error("boom")).ok());
}

}  // namespace
}  // namespace cellar::cel
