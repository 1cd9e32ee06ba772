// src/hcl/schema_test.cc: schema decoding of native and JSON bodies, and its error messages.
#include "hcl/schema.h"

#include <gtest/gtest.h>

#include "hcl/parser.h"

namespace cellar::hcl {
namespace {

BodySchema TestSchema() {
  BodySchema s;
  s.attributes = {{"name", Type::kString, /*required=*/true}, {"count", Type::kNumber}};
  BlockSpec rule;
  rule.type = "rule";
  rule.labels = {"kind", "name"};
  rule.body.attributes = {{"enabled", Type::kBool}, {"tags", Type::kStringList}};
  BlockSpec only;
  only.type = "settings";
  only.unique = true;
  s.blocks = {rule, only};
  return s;
}

Diagnostics DecodeText(const char* text, DecodedBody* out = nullptr) {
  ParseResult r = ParseConfig(text, "s.hcl");
  Diagnostics diags = r.diagnostics;
  DecodedBody body = Decode(r.body(), TestSchema(), diags);
  if (out != nullptr) {
    *out = std::move(body);
  }
  return diags;
}

std::string FirstError(const char* text) {
  Diagnostics d = DecodeText(text);
  return d.empty() ? "" : d[0].ToString();
}

TEST(DecodeTest, DecodesAttributesAndLabelledBlocks) {
  DecodedBody body;
  ASSERT_TRUE(DecodeText("name = \"n\"\nrule \"a\" \"b\" {\n  enabled = true\n}\n", &body).empty());
  EXPECT_EQ(body.Get("name")->as_string(), "n");
  ASSERT_EQ(body.BlocksOfType("rule").size(), 1u);
  const DecodedBlock* rule = body.BlocksOfType("rule")[0];
  EXPECT_EQ(rule->labels, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(rule->body.Get("enabled")->as_bool());
}

TEST(DecodeTest, JsonBlocksNestOneObjectPerLabel) {
  DecodedBody body;
  ASSERT_TRUE(
      DecodeText(R"({"name": "n", "rule": {"a": {"b": {"enabled": true}}}})", &body).empty());
  const DecodedBlock* rule = body.BlocksOfType("rule").at(0);
  EXPECT_EQ(rule->labels, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(rule->body.Get("enabled")->as_bool());
}

TEST(DecodeTest, JsonCommentKeysAreIgnoredAtEveryLevel) {
  DecodedBody body;
  ASSERT_TRUE(
      DecodeText(R"({"//": "c", "name": "n", "rule": {"//": "c", "a": {"b": {"//": 1}}}})", &body)
          .empty());
  ASSERT_EQ(body.BlocksOfType("rule").size(), 1u);
  EXPECT_EQ(body.BlocksOfType("rule")[0]->labels, (std::vector<std::string>{"a", "b"}));
}

TEST(DecodeTest, ConvertsNumbersToStringsForStringAttributes) {
  DecodedBody body;
  ASSERT_TRUE(DecodeText("name = 42\n", &body).empty());
  EXPECT_EQ(body.Get("name")->as_string(), "42");
}

TEST(DecodeTest, UnknownAttributeSuggestsCloseName) {
  EXPECT_EQ(FirstError("name = \"n\"\ncuont = 1\n"),
            "s.hcl:2:1: unknown attribute \"cuont\"; did you mean \"count\"?");
}

TEST(DecodeTest, UnknownAttributeWithoutCloseNameHasNoSuggestion) {
  EXPECT_EQ(FirstError("name = \"n\"\nzzzzzz = 1\n"), "s.hcl:2:1: unknown attribute \"zzzzzz\"");
}

TEST(DecodeTest, UnknownBlockTypeSuggests) {
  EXPECT_EQ(FirstError("name = \"n\"\nrules \"a\" \"b\" {}\n"),
            "s.hcl:2:1: unknown block type \"rules\"; did you mean \"rule\"?");
}

TEST(DecodeTest, MissingRequiredAttribute) {
  EXPECT_EQ(FirstError("count = 1\n"), "s.hcl:1:1: missing required attribute \"name\"");
}

TEST(DecodeTest, WrongLabelCount) {
  EXPECT_EQ(FirstError("name = \"n\"\nrule \"a\" {}\n"),
            "s.hcl:2:1: block \"rule\" takes 2 labels (kind, name), got 1");
}

TEST(DecodeTest, DuplicateUniqueBlock) {
  EXPECT_EQ(FirstError("name = \"n\"\nsettings {}\nsettings {}\n"),
            "s.hcl:3:1: duplicate block \"settings\"; only one is allowed, the first is at "
            "s.hcl:2:1");
}

TEST(DecodeTest, TypeMismatchNamesTheAttribute) {
  EXPECT_EQ(FirstError("name = \"n\"\ncount = \"many\"\n"),
            "s.hcl:2:9: \"count\" must be a number, not string");
}

TEST(DecodeTest, StringListItemsAreChecked) {
  EXPECT_EQ(FirstError("name = \"n\"\nrule \"a\" \"b\" {\n  tags = [\"x\", true]\n}\n"),
            "s.hcl:3:16: \"tags\" must be a list of strings; this item is a bool");
}

TEST(DecodeTest, BlockWrittenAsAttributeIsExplained) {
  EXPECT_EQ(FirstError("name = \"n\"\nsettings = {}\n"),
            "s.hcl:2:1: \"settings\" is a block, not an attribute; write settings { ... }");
}

TEST(DecodeTest, AttributeWrittenAsBlockIsExplained) {
  EXPECT_EQ(FirstError("name {}\n"),
            "s.hcl:1:1: \"name\" is an attribute, not a block; write name = ...");
}

TEST(DecodeTest, JsonAttributeRedefinedIsAnError) {
  EXPECT_EQ(FirstError(R"({"name": "a", "name": "b"})"),
            "s.hcl:1:15: attribute \"name\" redefined");
}

TEST(DecodeTest, JsonBlockMustBeAnObject) {
  EXPECT_EQ(FirstError(R"({"name": "a", "rule": 5})"),
            "s.hcl:1:23: block \"rule\" must be a JSON object keyed by kind");
}

TEST(DecodeTest, EvaluationErrorsArePositioned) {
  EXPECT_EQ(FirstError("name = var.x\n"),
            "s.hcl:1:8: unknown variable \"var\"; only constant expressions are allowed here");
}

TEST(DecodeTest, ExpressionAttributesAreKeptUnevaluated) {
  BodySchema schema;
  schema.attributes = {{"path", Type::kString}, {"data", Type::kExpression, true}};
  ParseResult r = ParseConfig("path = \"a\"\ndata = { x = input.data.y }\n", "p.hcl");
  Diagnostics diags;
  DecodedBody body = Decode(r.body(), schema, diags);
  ASSERT_TRUE(diags.empty());
  ASSERT_NE(body.GetExpr("data"), nullptr);
  EXPECT_EQ(body.GetExpr("data")->kind, ExprKind::kObject);
  EXPECT_EQ(body.Get("data"), nullptr);
}

TEST(SuggestTest, PicksTheClosestName) {
  EXPECT_EQ(Suggest("capabilites", {"capabilities", "policy"}), "capabilities");
  EXPECT_EQ(Suggest("polcy", {"capabilities", "policy"}), "policy");
  EXPECT_EQ(Suggest("xyz", {"capabilities", "policy"}), "");
}

}  // namespace
}  // namespace cellar::hcl
