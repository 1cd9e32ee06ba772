// src/cel/cli_commands_test.cc: `cellar cel eval` / `cel check` output and exit codes.
#include "cel/cli_commands.h"

#include <gtest/gtest.h>

#include <sstream>

namespace cellar::cel {
namespace {

TEST(EvalCommandTest, PrintsJsonResult) {
  std::ostringstream out;
  std::ostringstream err;
  int rc = EvalCommand({R"(claims={"groups": ["admins", "dev"]})"}, {},
                       "claims.groups.exists(g, g == 'admins') ? [1u, 2u] : []", out, err);
  EXPECT_EQ(rc, 0) << err.str();
  EXPECT_EQ(out.str(), "[1,2]\n");
}

TEST(EvalCommandTest, PrintsTimestampsAndDurations) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(EvalCommand({}, {}, "[timestamp('2009-02-13T23:31:30Z'), duration('1h'), b'hi']",
                        out, err),
            0);
  EXPECT_EQ(out.str(), R"(["2009-02-13T23:31:30Z","3600s","aGk="])"
                       "\n");
}

TEST(EvalCommandTest, SyntaxErrorGoesToStderrWithPosition) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(EvalCommand({}, {}, "1 +", out, err), 1);
  EXPECT_TRUE(out.str().empty());
  EXPECT_NE(err.str().find("<input>:1:4"), std::string::npos) << err.str();
}

TEST(EvalCommandTest, UndeclaredVariableIsAnError) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(EvalCommand({}, {}, "nope + 1", out, err), 1);
  EXPECT_NE(err.str().find("undeclared reference to 'nope'"), std::string::npos);
}

TEST(EvalCommandTest, RuntimeErrorExitsOne) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(EvalCommand({"x=0"}, {"x=int"}, "1 / x", out, err), 1);
  EXPECT_NE(err.str().find("divide by zero"), std::string::npos);
}

TEST(CheckCommandTest, PrintsResultType) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(CheckCommand({"claims=map(string, dyn)"}, "claims.email.endsWith('@x.org')", out,
                         err),
            0);
  EXPECT_EQ(out.str(), "bool\n");
}

TEST(CheckCommandTest, TypeErrorGoesToStderrWithPosition) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(CheckCommand({"x=int"}, "x + 'a'", out, err), 1);
  EXPECT_TRUE(out.str().empty());
  EXPECT_NE(err.str().find("<input>:1:3: found no matching overload for '_+_' applied to "
                           "'(int, string)'"),
            std::string::npos)
      << err.str();
}

TEST(CheckCommandTest, KnowsTheCellarMessages) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(CheckCommand({}, "cellar.v1.Auth{policies: ['a']}.policies", out, err), 0)
      << err.str();
  EXPECT_EQ(out.str(), "list(string)\n");
}

}  // namespace
}  // namespace cellar::cel
