// src/profiles/lower_test.cc: HCL expressions lowered to CEL give HCL's results.
#include "profiles/lower.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "cel/json.h"
#include "hcl/parser.h"

namespace cellar::profiles {
namespace {

constexpr std::string_view kVars = R"({
  "input": {"data": {"name": "web", "n": 3, "ttl": null, "tags": ["a", "b"]}},
  "request": {"apps": {"data": {"keys": ["x", "y"]}},
              "cfg": {"x": {"data": {"v": 1}}, "y": {"data": {"v": 2}}}},
  "each": {"key": "k1", "value": "v1"}
})";

// Lowers and evaluates `hcl_text`; returns the JSON text of the result or "error: <message>".
std::string LowerAndRun(std::string_view hcl_text) {
  hcl::ParseResult parsed = hcl::ParseExpression(hcl_text, "t.hcl");
  if (!parsed.ok()) {
    return "parse: " + hcl::FormatDiagnostics(parsed.diagnostics);
  }
  hcl::Diagnostics diags;
  std::optional<LoweredExpr> lowered = Lower(*parsed.file->expr(), diags);
  if (!lowered) {
    return "lower: " + diags.front().message;
  }
  auto program = cel::Compile(lowered->cel, ProfileEnv());
  if (!program.ok()) {
    return "compile: " + program.status().message() + " in " + lowered->cel;
  }
  auto vars_value = cel::ValueFromJsonText(kVars);
  cel::Activation vars;
  for (const auto& [k, v] : vars_value->map_value().entries()) {
    vars.Bind(k.string_value(), v);
  }
  auto result = (*program)->Evaluate(vars);
  if (!result.ok()) {
    return "limit: " + result.status().message();
  }
  if (result->is_error()) {
    return "error: " + result->error().message;
  }
  return *cel::ValueToJsonText(*result);
}

struct LowerCase {
  std::string_view hcl;
  std::string_view want;
};

class LowerTest : public testing::TestWithParam<LowerCase> {};

TEST_P(LowerTest, EvaluatesLikeHcl) { EXPECT_EQ(LowerAndRun(GetParam().hcl), GetParam().want); }

INSTANTIATE_TEST_SUITE_P(
    All, LowerTest,
    testing::Values(
        LowerCase{R"(1 + 2 * 3)", "7"}, LowerCase{R"("a\"b")", R"("a\"b")"},
        LowerCase{R"(1.5)", "1.5"}, LowerCase{R"(null)", "null"},
        LowerCase{R"(!true || false)", "false"},
        LowerCase{R"("svc-${input.data.name}-${input.data.n}")", R"("svc-web-3")"},
        LowerCase{R"("${input.data.n}")", "3"},
        LowerCase{R"(input.data.ttl != null ? input.data.ttl : "24h")", R"("24h")"},
        LowerCase{R"({ a = 1, "b-c": [true, null] })", R"({"a":1,"b-c":[true,null]})"},
        LowerCase{R"([for t in input.data.tags : upper(t)])", R"(["A","B"])"},
        LowerCase{R"([for i, t in input.data.tags : "${i}=${t}" if t != "a"])", R"(["1=b"])"},
        LowerCase{R"({for k, r in request.cfg : k => r.data.v})", R"({"x":1,"y":2})"},
        LowerCase{R"({for t in input.data.tags : "k" => t...})", R"({"k":["a","b"]})"},
        LowerCase{R"(request.apps.data.keys[1])", R"("y")"},
        LowerCase{R"(request["apps"].data["keys"][0])", R"("x")"},
        LowerCase{R"(length(input.data.tags))", "2"},
        LowerCase{R"(join(",", input.data.tags))", R"("a,b")"},
        LowerCase{R"(size(input.data.name))", "3"},
        LowerCase{R"(startsWith(input.data.name, "we"))", "true"},
        LowerCase{R"(math::greatest(1, 5))", "5"},
        LowerCase{R"(keys(request.cfg))", R"(["x","y"])"},
        LowerCase{R"([{ a = 1 }, { a = 2 }][*].a)", "[1,2]"},
        LowerCase{R"(has(input.data.missing) ? 1 : 2)", "2"},
        LowerCase{R"("${each.key}/${each.value}")", R"("k1/v1")"},
        LowerCase{R"(request.cert.data)", R"(error: missing field "cert" in request.cert)"},
        LowerCase{R"(request.apps.data.certificate)",
                  R"(error: missing field "certificate" in request.apps.data.certificate)"},
        LowerCase{R"(request.apps.data.keys[5])",
                  "error: request.apps.data.keys[5]: index 5 out of range (length 2)"},
        LowerCase{R"(foo)",
                  "lower: unknown variable \"foo\"; expressions see input, request and each"},
        LowerCase{R"(nosuch(1))", "lower: unknown function \"nosuch\" with 1 argument(s)"},
        LowerCase{R"(input.other)", "lower: input has only \"data\" (input.data.<field>)"}));

TEST(LowerRefs, CollectsRequestInputAndEachReferences) {
  hcl::ParseResult parsed =
      hcl::ParseExpression(R"({ a = request.x.data, b = input.data.f, c = each.value })", "t.hcl");
  hcl::Diagnostics diags;
  std::optional<LoweredExpr> lowered = Lower(*parsed.file->expr(), diags);
  ASSERT_TRUE(lowered.has_value());
  std::vector<std::string> names;
  for (const Reference& r : lowered->refs) {
    names.push_back(std::to_string(static_cast<int>(r.kind)) + ":" + r.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"1:x", "0:f", "0:", "2:value"}));
}

struct FieldsCase {
  std::string_view hcl;
  std::vector<std::string> want;  // "name:field.field" per request reference, sorted
};

class LowerFieldsTest : public testing::TestWithParam<FieldsCase> {};

// The attribute chain after request.<name> as far as it is only attributes: what an execution
// must convert of that request's result.
TEST_P(LowerFieldsTest, RecordsTheAttributeChainOfEachRequestReference) {
  hcl::ParseResult parsed = hcl::ParseExpression(GetParam().hcl, "t.hcl");
  ASSERT_TRUE(parsed.ok()) << hcl::FormatDiagnostics(parsed.diagnostics);
  hcl::Diagnostics diags;
  std::optional<LoweredExpr> lowered = Lower(*parsed.file->expr(), diags);
  ASSERT_TRUE(lowered.has_value()) << diags.front().message;
  std::vector<std::string> got;
  for (const Reference& r : lowered->refs) {
    if (r.kind != Reference::Kind::kRequest) {
      continue;
    }
    std::string chain;
    for (const std::string& f : r.fields) {
      chain += (chain.empty() ? "" : ".") + f;
    }
    got.push_back(r.name + ":" + chain);
  }
  std::sort(got.begin(), got.end());  // operands of + lower in an unspecified order
  EXPECT_EQ(got, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    All, LowerFieldsTest,
    testing::Values(
        FieldsCase{"request.a.data.data.password", {"a:data.data.password"}},
        FieldsCase{"request.a", {"a:"}},
        FieldsCase{R"(request.a.data["k"])", {"a:data"}},
        FieldsCase{R"(request["a"].data.x)", {"a:"}},
        FieldsCase{"request.a.data.x[0].y", {"a:data.x"}},
        FieldsCase{"has(request.a.data.x)", {"a:data"}},
        FieldsCase{"length(request.a.data.keys)", {"a:data.keys"}},
        FieldsCase{"(request.a.data).x", {"a:data"}},
        FieldsCase{"request.a.data[request.b.data.k]", {"a:data", "b:data.k"}},
        FieldsCase{R"("${request.a.data.x}-${request.b.lease_id}")", {"a:data.x", "b:lease_id"}},
        FieldsCase{"{for k, r in request.a.data : k => r.v}", {"a:data"}},
        FieldsCase{"[for request in input.data.tags : request.x]", {}}));

TEST(LowerRefs, ErrorCarriesPosition) {
  hcl::ParseResult parsed = hcl::ParseExpression("1 +\n  nope", "t.hcl");
  hcl::Diagnostics diags;
  EXPECT_FALSE(Lower(*parsed.file->expr(), diags).has_value());
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].range.start.line, 2);
  EXPECT_EQ(diags[0].range.start.column, 3);
}

}  // namespace
}  // namespace cellar::profiles
