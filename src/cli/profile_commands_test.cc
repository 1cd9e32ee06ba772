// src/cli/profile_commands_test.cc: server profile errors become positioned diagnostics.
#include "cli/profile_commands.h"

#include <gtest/gtest.h>

namespace cellar::cli {
namespace {

TEST(ProfileErrorsIn, SplitsEveryPositionedError) {
  hcl::Diagnostics d = ProfileErrorsIn(
      "profile \"web\" is invalid: 2:13: request.b does not exist; 4:1: unknown block type "
      "\"x\"; did you mean \"request\"?",
      "web.hcl");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].range.start.line, 2);
  EXPECT_EQ(d[0].range.start.column, 13);
  EXPECT_EQ(d[0].message, "request.b does not exist");
  EXPECT_EQ(d[1].range.start.line, 4);
  EXPECT_EQ(d[1].message, "unknown block type \"x\"; did you mean \"request\"?");
  EXPECT_EQ(d[1].range.file, "web.hcl");
}

TEST(ProfileErrorsIn, CaretLandsUnderTheColumn) {
  hcl::Diagnostics d =
      ProfileErrorsIn("profile \"p\" is invalid: 2:10: expected an expression", "p.hcl");
  std::string shown = hcl::FormatDiagnostics(d, "request \"a\" {\n  path = \n}\n");
  EXPECT_EQ(shown, "p.hcl:2:10: expected an expression\n    path = \n           ^\n");
}

TEST(ProfileErrorsIn, MessageWithoutPositionGivesNothing) {
  EXPECT_TRUE(ProfileErrorsIn("permission denied", "p.hcl").empty());
}

}  // namespace
}  // namespace cellar::cli
