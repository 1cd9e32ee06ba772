// src/hcl/parser_test.cc: parse entry points, positions, limits and error collection.
#include "hcl/parser.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

namespace cellar::hcl {
namespace {

TEST(ParseConfigTest, DetectsJsonByLeadingBrace) {
  ParseResult r = ParseConfig("  \n{\"a\": 1}", "x");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.body().json);
  ASSERT_EQ(r.body().attributes.size(), 1u);
  EXPECT_EQ(r.body().attributes[0].name, "a");
}

TEST(ParseConfigTest, ParsesNativeOtherwise) {
  ParseResult r = ParseConfig("a = 1\n", "x");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.body().json);
}

TEST(ParseConfigTest, EveryNodeCarriesFileLineAndColumn) {
  ParseResult r = ParseConfig("\n  block \"l\" {\n    attr = [1, \"two\"]\n  }\n", "f.hcl");
  ASSERT_TRUE(r.ok());
  const Block& b = r.body().blocks.at(0);
  EXPECT_EQ(b.range.file, "f.hcl");
  EXPECT_EQ(b.range.start.line, 2);
  EXPECT_EQ(b.range.start.column, 3);
  EXPECT_EQ(b.range.end.line, 4);
  EXPECT_EQ(b.range.end.column, 4);
  EXPECT_EQ(b.labels.at(0).range.start.column, 9);
  const Expr* tuple = b.body.attributes.at(0).expr;
  EXPECT_EQ(tuple->range.SpanString(), "3:12-3:22");
  EXPECT_EQ(tuple->children[1]->range.SpanString(), "3:16-3:21");
  EXPECT_EQ(tuple->children[1]->range.start.offset, 30);
}

TEST(ParseConfigTest, ColumnsCountCodePointsNotBytes) {
  ParseResult r = ParseConfig("a = \"é\" + ]\n", "f.hcl");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].range.start.column, 11);
}

TEST(ParseConfigTest, HundredThousandNestedBracketsIsAnErrorNotACrash) {
  std::string text = "a = " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  ParseResult r = ParseConfig(text, "deep.hcl");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.diagnostics[0].message.find("nesting too deep"), std::string::npos);
}

TEST(ParseConfigTest, HundredThousandNestedJsonArraysIsAnErrorNotACrash) {
  std::string text = "{\"a\": " + std::string(100000, '[') + std::string(100000, ']') + "}";
  ParseResult r = ParseConfig(text, "deep.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.diagnostics[0].message.find("nesting too deep"), std::string::npos);
}

TEST(ParseConfigTest, DepthLimitAllowsExactly256Brackets) {
  std::string ok = "a = " + std::string(256, '[') + std::string(256, ']') + "\n";
  EXPECT_TRUE(ParseConfig(ok, "x").ok());
  std::string bad = "a = " + std::string(257, '[') + std::string(257, ']') + "\n";
  EXPECT_FALSE(ParseConfig(bad, "x").ok());
}

TEST(ParseConfigTest, RejectsInputOverTheSizeLimit) {
  ParseOptions options;
  options.max_bytes = 10;
  ParseResult r = ParseConfig("a = \"0123456789\"\n", "big.hcl", options);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_NE(r.diagnostics[0].message.find("input too large"), std::string::npos);
}

TEST(ParseConfigTest, InvalidUtf8IsAnErrorWithPosition) {
  ParseResult r = ParseConfig("a = 1\nb = \"\xc3\x28\"\n", "bad.hcl");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].ToString(), "bad.hcl:2:6: invalid UTF-8 byte 0xc3");
}

TEST(ParseConfigTest, CollectsAtMostTwentyErrors) {
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text += "a" + std::to_string(i) + " = ]\n";
  }
  ParseResult r = ParseConfig(text, "many.hcl");
  EXPECT_EQ(r.diagnostics.size(), 20u);
}

TEST(ParseConfigTest, CollectsErrorsFromSeveralLines) {
  ParseResult r = ParseConfig("a = ]\nb = 1\nc = )\n", "two.hcl");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_EQ(r.diagnostics[0].range.start.line, 1);
  EXPECT_EQ(r.diagnostics[1].range.start.line, 3);
  EXPECT_NE(r.body().FindAttribute("b"), nullptr);  // recovery kept the good line
}

TEST(ParseConfigTest, ResultOutlivesTheInputText) {
  ParseResult r;
  {
    std::string text = "name = \"kept\"\n";
    r = ParseConfig(text, "x");
    text.assign(text.size(), 'X');
  }
  EXPECT_EQ(r.body().attributes.at(0).expr->text, "kept");
}

TEST(ParseConfigTest, SourceLargerThanAnArenaChunkIsCopiedWhole) {
  std::string text;
  for (int i = 0; text.size() < (3u << 20); ++i) {
    text += "b \"l" + std::to_string(i) + "\" {\n  a = [1, \"two\"]\n}\n";
  }
  ParseResult r = ParseConfig(text, "big.hcl");
  ASSERT_TRUE(r.ok());
  std::string dump = DumpBody(r.body());
  const size_t blocks = r.body().blocks.size();
  std::string copy = text;
  text.assign(text.size(), 'X');
  EXPECT_EQ(r.file->source(), copy);
  EXPECT_EQ(r.body().blocks.back().labels.at(0).value, "l" + std::to_string(blocks - 1));
  // A second parse reuses the chunks the first one pooled; it must see none of its old contents.
  r = ParseResult();
  ParseResult again = ParseConfig(copy, "big.hcl");
  EXPECT_EQ(DumpBody(again.body()), dump);
}

TEST(ParseConfigTest, EmptySourceGivesAnEmptyBody) {
  ParseResult r = ParseConfig("", "empty.hcl");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.file->source().empty());
  EXPECT_TRUE(r.body().attributes.empty());
  EXPECT_TRUE(r.body().blocks.empty());
}

TEST(ParseExpressionTest, NumberLiteralsConvertExactly) {
  // Short integers take a fast path; the rest go through from_chars. Both must agree with strtod.
  for (const char* literal : {"0", "007", "42", "123456789012345", "1234567890123456",
                              "9007199254740993", "99999999999999999999", "1.5", "1e3", "2E-2"}) {
    ParseResult r = ParseExpression(literal, "e");
    ASSERT_TRUE(r.ok()) << literal;
    ASSERT_EQ(r.file->expr()->kind, ExprKind::kNumber) << literal;
    EXPECT_EQ(r.file->expr()->number, std::strtod(literal, nullptr)) << literal;
    EXPECT_EQ(r.file->expr()->text, literal);
  }
}

TEST(ParseExpressionTest, ForExpressionKeepsItsLoopVariables) {
  // key_var and value_var share storage with fields a for expression does not use.
  ParseResult r = ParseExpression("[for k, v in m : v if k != 1]", "e");
  ASSERT_TRUE(r.ok());
  const Expr* e = r.file->expr();
  ASSERT_EQ(e->kind, ExprKind::kFor);
  EXPECT_EQ(e->key_var, "k");
  EXPECT_EQ(e->value_var, "v");
  EXPECT_EQ(e->children[0]->text, "m");
  EXPECT_EQ(e->children[3]->children[1]->number, 1);
}

TEST(ParseExpressionTest, ParsesAStandaloneExpression) {
  ParseResult r = ParseExpression("a.b[0] + 1", "e");
  ASSERT_TRUE(r.ok());
  ASSERT_NE(r.file->expr(), nullptr);
  EXPECT_EQ(r.file->expr()->kind, ExprKind::kBinary);
  EXPECT_EQ(r.file->expr()->op, Op::kAdd);
}

TEST(ParseExpressionTest, ExpressionMaySpanLines) {
  ParseResult r = ParseExpression("[\n  1,\n  2\n]\n", "e");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.file->expr()->children.size(), 2u);
}

TEST(ParseJsonTest, KeepsDuplicateTopLevelKeysForTheDecoder) {
  ParseResult r = ParseJson(R"({"path": {"a": {}}, "path": {"b": {}}})", "x.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.body().attributes.size(), 2u);
}

TEST(ParseJsonTest, StringsWithInterpolationBecomeTemplates) {
  ParseResult r = ParseJson(R"({"a": "x-${y}", "b": "plain"})", "x.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.body().attributes[0].expr->kind, ExprKind::kTemplate);
  EXPECT_EQ(r.body().attributes[1].expr->kind, ExprKind::kString);
}

}  // namespace
}  // namespace cellar::hcl
