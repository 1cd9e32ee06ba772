// src/cel/parser_test.cc: syntax acceptance/rejection, literal decoding, positions, depth limit.
#include "cel/parser.h"

#include <gtest/gtest.h>

#include <string>

namespace cellar::cel {
namespace {

struct SyntaxCase {
  std::string source;
  bool ok;
};

class ParseSyntaxTest : public testing::TestWithParam<SyntaxCase> {};

TEST_P(ParseSyntaxTest, AcceptsOrRejects) {
  auto parsed = Parse(GetParam().source);
  EXPECT_EQ(parsed.ok(), GetParam().ok) << GetParam().source << ": "
                                        << parsed.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    All, ParseSyntaxTest,
    testing::Values(SyntaxCase{"1 + 2 * 3", true}, SyntaxCase{"a.b.c[0].d(1, 2)", true},
                    SyntaxCase{"-9223372036854775808", true},
                    SyntaxCase{"9223372036854775808", false},
                    SyntaxCase{"18446744073709551615u", true},
                    SyntaxCase{"18446744073709551616u", false}, SyntaxCase{"0x1Fu", true},
                    SyntaxCase{"r'\\d+' + R\"\\w\"", true}, SyntaxCase{"b'\\xff\\377'", true},
                    SyntaxCase{"'''multi\nline'''", true}, SyntaxCase{"'no\nnewline'", false},
                    SyntaxCase{"'\\u00e9\\U0001F600\\x41\\101'", true},
                    SyntaxCase{"'\\ud800'", false}, SyntaxCase{"a.?b[?0]", true},
                    SyntaxCase{"[?a, b]", true}, SyntaxCase{"{?'k': v}", true},
                    SyntaxCase{"pkg.Msg{?f: v, g: 1,}", true}, SyntaxCase{"if", false},
                    SyntaxCase{"a.`b-c`", true}, SyntaxCase{"f(1,)", false},
                    SyntaxCase{"[1, 2,]", true}, SyntaxCase{"1 = 2", false},
                    SyntaxCase{"has(a)", false}, SyntaxCase{"has(a.b)", true},
                    SyntaxCase{"x.all(y.z, true)", false},
                    SyntaxCase{"cel.bind(x, 1, x + 1)", true}, SyntaxCase{"a ? b : c ? d : e", true},
                    SyntaxCase{"1.5e3 + .5 + 2e-2", true}, SyntaxCase{"1.", false}));

TEST(ParseTest, ErrorShowsLineColumnAndCaret) {
  auto parsed = Parse("a +\n  b +");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "ERROR: <input>:2:6: mismatched input '<EOF>' expecting expression\n |   b +\n"
            " | .....^");
}

TEST(ParseTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '(');
  deep += "1";
  deep += std::string(100000, ')');
  auto parsed = Parse(deep, ParseOptions{.max_source_bytes = 1 << 20});
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("recursion limit"), std::string::npos);
}

TEST(ParseTest, LongOperatorChainIsAnErrorNotACrash) {
  std::string chain = "a";
  for (int i = 0; i < 50000; ++i) {
    chain += "+a";
  }
  auto parsed = Parse(chain, ParseOptions{.max_source_bytes = 1 << 20});
  EXPECT_FALSE(parsed.ok());
}

// optMap copies its target, so 60 chained links would expand to 2^60 nodes (found by cel_fuzz).
TEST(ParseTest, DoublingMacroChainIsAnErrorNotExponential) {
  std::string chain = "o";
  for (int i = 0; i < 60; ++i) {
    chain += ".optMap(y, y + 1)";
  }
  auto parsed = Parse(chain);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("nodes after macro expansion"), std::string::npos)
      << parsed.status().message();
  std::string short_chain = "o";
  for (int i = 0; i < 8; ++i) {
    short_chain += ".optMap(y, y + 1)";
  }
  EXPECT_TRUE(Parse(short_chain).ok());
}

TEST(ParseTest, ExpandsExistsIntoComprehension) {
  auto parsed = Parse("[1, 2].exists(x, x > 1)");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const Expr& root = *parsed->root;
  EXPECT_EQ(root.kind, ExprKind::kComprehension);
  EXPECT_EQ(root.iter_var, "x");
  EXPECT_EQ(root.accu_var, kAccuVar);
}

TEST(ParseTest, EveryNodeHasAUniqueId) {
  auto parsed = Parse("a.b + f(c, [d, {e: 1}])");
  ASSERT_TRUE(parsed.ok());
  EXPECT_GE(parsed->max_id, 9);
}

TEST(ParseTest, DecodesStringEscapes) {
  auto parsed = Parse(R"('\a\b\f\n\r\t\v\\\'\"\`\?\x41\101\u00e9')");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->root->constant.string_value(), "\a\b\f\n\r\t\v\\'\"`?AA\xC3\xA9");
}

TEST(ParseTest, RawStringKeepsBackslashes) {
  auto parsed = Parse(R"(r'\n')");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->root->constant.string_value(), "\\n");
}

TEST(ParseTest, BytesOctalEscapeIsOneByte) {
  auto parsed = Parse(R"(b'\377')");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->root->constant.string_value(), std::string(1, '\xff'));
}

}  // namespace
}  // namespace cellar::cel
