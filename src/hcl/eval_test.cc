// src/hcl/eval_test.cc: constant evaluation with and without context variables.
#include "hcl/eval.h"

#include <gtest/gtest.h>

#include "hcl/parser.h"

namespace cellar::hcl {
namespace {

struct EvalCase {
  const char* expr;
  const char* want;  // Value::DebugString(), or the error message
};

std::string EvalToString(const char* text, const EvalContext* ctx = nullptr) {
  ParseResult r = ParseExpression(text, "e");
  if (!r.ok()) {
    return "parse error: " + r.diagnostics[0].message;
  }
  Diagnostics diags;
  std::optional<Value> v = Evaluate(*r.file->expr(), diags, ctx);
  if (!v) {
    return diags.empty() ? "no diagnostic!" : diags[0].message;
  }
  return v->DebugString();
}

class EvaluateTest : public testing::TestWithParam<EvalCase> {};

TEST_P(EvaluateTest, ProducesExpectedValue) {
  EXPECT_EQ(EvalToString(GetParam().expr), GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    All, EvaluateTest,
    testing::Values(
        EvalCase{"1 + 2 * 3", "7"}, EvalCase{"(1 + 2) * 3", "9"}, EvalCase{"10 - 3 - 2", "5"},
        EvalCase{"-2.5", "-2.5"}, EvalCase{"1e2", "100"}, EvalCase{"!true || false", "false"},
        EvalCase{"true && (1 < 2)", "true"}, EvalCase{"[1, \"a\"] == [1, \"a\"]", "true"},
        EvalCase{"{a = 1} != {a = 1}", "false"}, EvalCase{"null", "null"},
        EvalCase{"\"a\\tb\"", "\"a\\tb\""}, EvalCase{"\"${1}${2}\"", "\"12\""},
        EvalCase{"\"${[1]}\"", "[1]"},  // a lone interpolation keeps its type
        EvalCase{"{for i, v in [\"a\", \"b\"] : v => i}", "{\"a\" = 0, \"b\" = 1}"},
        EvalCase{"[for k, v in {x = 1} : \"${k}${v}\"]", "[\"x1\"]"}, EvalCase{"null[*]", "[]"},
        EvalCase{"false ? 1 : 2", "2"}, EvalCase{"true || undefined_var", "true"},  // short-circuit
        EvalCase{"1 / 0", "division by zero"},
        EvalCase{"[for x in [1, 2] : x if x]", "the for condition must be a bool, not number"}));

TEST(EvaluateContextTest, ResolvesContextVariables) {
  EvalContext ctx;
  ctx.variables["input"] = Value::MakeMap({{"name", Value::String("web")}});
  EXPECT_EQ(EvalToString("\"host-${input.name}\"", &ctx), "\"host-web\"");
}

TEST(EvaluateContextTest, ForVariablesShadowContextVariables) {
  EvalContext ctx;
  ctx.variables["x"] = Value::Number(100);
  EXPECT_EQ(EvalToString("[for x in [1] : x + 1]", &ctx), "[2]");
  EXPECT_EQ(EvalToString("x", &ctx), "100");
}

TEST(EvaluateTest, ValuesKeepSourceRanges) {
  ParseResult r = ParseExpression("[1,\n  \"two\"]", "pos.hcl");
  Diagnostics diags;
  std::optional<Value> v = Evaluate(*r.file->expr(), diags);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->as_list()[1].range().StartString(), "pos.hcl:2:3");
}

// 20^5 iterations: stopped by the step or the copy budget, whichever is spent first.
TEST(EvaluateTest, NestedForExpressionsAreBounded) {
  std::string l = "[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19]";
  std::string text = "[for a in " + l + " : [for b in " + l + " : [for c in " + l +
                     " : [for d in " + l + " : [for e in " + l + " : e]]]]]";
  ParseResult r = ParseExpression(text, "cost");
  ASSERT_TRUE(r.ok());
  Diagnostics diags;
  EXPECT_FALSE(Evaluate(*r.file->expr(), diags).has_value());
  ASSERT_FALSE(diags.empty());
  EXPECT_TRUE(diags[0].message.find("too costly") != std::string::npos ||
              diags[0].message.find("too large") != std::string::npos)
      << diags[0].message;
}

TEST(EvaluateTest, CopiedBytesAreBounded) {
  std::string big = "\"" + std::string(4000, 'x') + "\"";
  std::string l = "[";
  for (int i = 0; i < 200; ++i) {
    l += std::to_string(i) + ",";
  }
  l += "]";
  // 200 * 200 copies of a 4 KB string is 160 MB: over budget long before the step limit.
  std::string text = "[for a in " + l + " : [for b in " + l + " : " + big + "]]";
  ParseResult r = ParseExpression(text, "mem");
  ASSERT_TRUE(r.ok());
  Diagnostics diags;
  EXPECT_FALSE(Evaluate(*r.file->expr(), diags).has_value());
  ASSERT_FALSE(diags.empty());
  EXPECT_NE(diags[0].message.find("too large"), std::string::npos);
}

TEST(EvaluateTest, LargeObjectsEvaluateInLinearTime) {
  std::string text = "{";
  for (int i = 0; i < 50000; ++i) {
    text += "k" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  }
  text += "}";
  ParseResult r = ParseExpression(text, "big");
  ASSERT_TRUE(r.ok());
  Diagnostics diags;
  std::optional<Value> v = Evaluate(*r.file->expr(), diags);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->as_map().size(), 50000u);
}

}  // namespace
}  // namespace cellar::hcl
