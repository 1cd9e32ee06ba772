// src/cli/output_test.cc: Vault-style value formatting and tables.
#include "cli/output.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <sstream>

namespace cellar::cli {
namespace {

struct FormatCase {
  std::string json;
  std::string text;
};
class FormatValueTest : public testing::TestWithParam<FormatCase> {};
TEST_P(FormatValueTest, LikeGo) {
  EXPECT_EQ(FormatValue(boost::json::parse(GetParam().json)), GetParam().text);
}
INSTANTIATE_TEST_SUITE_P(All, FormatValueTest,
                         testing::Values(FormatCase{R"("s")", "s"}, FormatCase{"null", "<nil>"},
                                         FormatCase{"true", "true"}, FormatCase{"42", "42"},
                                         FormatCase{R"(["a","b"])", "[a b]"},
                                         FormatCase{R"({"b":1,"a":"x"})", "map[a:x b:1]"}));

TEST(PrintTableTest, AlignsColumns) {
  std::ostringstream out;
  PrintTable({{"a", "1"}, {"longer", "2"}}, out);
  EXPECT_EQ(out.str(),
            "Key       Value\n"
            "---       -----\n"
            "a         1\n"
            "longer    2\n");
}

TEST(HumanDurationTest, PrintsTtlsAsVaultsCli) {
  EXPECT_EQ(HumanDuration(boost::json::value(3600)), "1h");
  EXPECT_EQ(HumanDuration(boost::json::value(2764800)), "768h");
  EXPECT_EQ(HumanDuration(boost::json::value(5400)), "1h30m");
  EXPECT_EQ(HumanDuration(boost::json::value(3601)), "1h0m1s");
  EXPECT_EQ(HumanDuration(boost::json::value(90)), "1m30s");
  EXPECT_EQ(HumanDuration(boost::json::value(60)), "1m");
  EXPECT_EQ(HumanDuration(boost::json::value(45)), "45s");
  EXPECT_EQ(HumanDuration(boost::json::value(0)), "∞");
}

TEST(PrintJsonTest, Indents) {
  std::ostringstream out;
  PrintJson(boost::json::parse(R"({"a":[1],"b":{}})"), out);
  EXPECT_EQ(out.str(), "{\n    \"a\": [\n        1\n    ],\n    \"b\": {}\n}\n");
}

}  // namespace
}  // namespace cellar::cli
