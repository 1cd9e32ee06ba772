// src/profiles/shape_test.cc: which outputs are plain shapes, and that a shape builds what CEL
// gives for it or declines.
#include "profiles/shape.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>

#include "cel/json.h"
#include "hcl/parser.h"
#include "profiles/lower.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;

class FakeSource : public ShapeSource {
 public:
  std::map<std::string, framework::Response, std::less<>> responses;
  json::object input;

  const framework::Response* Response(std::string_view request) const override {
    auto it = responses.find(request);
    return it == responses.end() ? nullptr : &it->second;
  }
  const json::object& InputData() const override { return input; }
};

FakeSource Source() {
  FakeSource s;
  framework::Response db = framework::Response::WithData(json::parse(R"({
    "data": {"user": "u", "pass": "p", "n": 2.0, "big": 18446744073709551615, "half": 0.5,
             "meta": {"b": 2, "a": [1, 2.0]}},
    "note": null
  })").as_object());
  db.lease_id = "db/L1";
  db.lease_duration = std::chrono::seconds(60);
  db.renewable = true;
  s.responses["db"] = db;
  framework::Response empty;
  empty.warnings = {"careful"};
  s.responses["empty"] = empty;
  s.input = {{"name", "web"}, {"ttl", nullptr}};
  return s;
}

// The same expression through lower.cc and CEL (with the envelope executor.cc gives CEL).
std::string ThroughCel(const hcl::Expr& e, const FakeSource& source) {
  hcl::Diagnostics diags;
  std::optional<LoweredExpr> lowered = Lower(e, diags);
  auto program = cel::Compile(lowered->cel, ProfileEnv());
  if (!program.ok()) {
    return "compile: " + program.status().message();
  }
  json::object request;
  for (const auto& [name, r] : source.responses) {
    request[name] = {{"data", r.data ? json::value(*r.data) : json::value(nullptr)},
                     {"lease_id", r.lease_id},
                     {"lease_duration", r.lease_duration.count()},
                     {"renewable", r.renewable},
                     {"warnings", r.warnings.empty() ? json::value(nullptr)
                                                     : json::value_from(r.warnings)},
                     {"auth", nullptr}};
  }
  cel::Activation vars;
  vars.Bind("request", *cel::ValueFromJson(request, {.tagged = false}));
  vars.Bind("input",
            *cel::ValueFromJson(json::object{{"data", source.input}}, {.tagged = false}));
  auto v = (*program)->Evaluate(vars);
  if (!v.ok() || v->is_error()) {
    return "error";
  }
  return json::serialize(*cel::ValueToJson(*v));
}

struct ShapeCase {
  std::string_view hcl;
  std::string_view want;  // the built JSON; "declines" (CEL decides); "no shape"
};

class ShapeTest : public testing::TestWithParam<ShapeCase> {};

TEST_P(ShapeTest, BuildsWhatCelGivesOrDeclines) {
  hcl::ParseResult parsed = hcl::ParseExpression(GetParam().hcl, "t.hcl");
  ASSERT_TRUE(parsed.ok()) << hcl::FormatDiagnostics(parsed.diagnostics);
  const hcl::Expr& e = *parsed.file->expr();
  FakeSource source = Source();
  std::optional<Shape> shape = ShapeOf(e);
  std::string got = "no shape";
  if (shape) {
    std::optional<json::value> built = BuildShape(*shape, source);
    got = built ? json::serialize(*built) : "declines";
  }
  EXPECT_EQ(got, GetParam().want);
  if (shape && got != "declines") {
    EXPECT_EQ(got, ThroughCel(e, source)) << "a shape must build exactly what CEL gives";
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, ShapeTest,
    testing::Values(
        ShapeCase{"request.db.data.data.user", R"("u")"},
        ShapeCase{R"({ a = request.db.data.data.user, "b-c": [1, 1.5, true, null, "s"] })",
                  R"({"a":"u","b-c":[1,1.5E0,true,null,"s"]})"},
        ShapeCase{"request.db.data.data.n", "2"},
        ShapeCase{"request.db.data.data.big", "18446744073709551615"},
        ShapeCase{"request.db.data.data.half", "5E-1"},
        ShapeCase{"request.db.data.data.meta", R"({"b":2,"a":[1,2]})"},
        ShapeCase{"request.db.data", R"({"data":{"user":"u","pass":"p","n":2,)"
                                     R"("big":18446744073709551615,"half":5E-1,)"
                                     R"("meta":{"b":2,"a":[1,2]}},"note":null})"},
        ShapeCase{"request.db.data.note", "null"},
        ShapeCase{"[request.db.lease_id, request.db.lease_duration, request.db.renewable]",
                  R"(["db/L1",60,true])"},
        ShapeCase{R"("${request.db.data.data.user}:${request.db.data.data.pass}")", R"("u:p")"},
        ShapeCase{R"("${request.db.data.data.n}")", "2"},
        ShapeCase{R"("x${request.db.data.data.n}")", "declines"},
        ShapeCase{R"({ "k" = input.data.name, t = input.data.ttl })",
                  R"({"k":"web","t":null})"},
        ShapeCase{"input.data", R"({"name":"web","ttl":null})"},
        ShapeCase{"request.empty.data", "null"},
        ShapeCase{"request.empty.data.x", "declines"},
        ShapeCase{"request.empty.warnings", "declines"},
        ShapeCase{"request.db.data.data.nope", "declines"},
        ShapeCase{"request.db.data.data.user.x", "declines"},
        ShapeCase{"request.db.auth", "declines"},
        ShapeCase{"request.db", "declines"},
        ShapeCase{"request.other.data", "declines"},
        ShapeCase{"{ a = 1, a = 2 }", "no shape"},
        ShapeCase{"request.db.data.data.meta.a[0]", "no shape"},
        ShapeCase{"upper(request.db.data.data.user)", "no shape"},
        ShapeCase{"request.db.data.data.n + 1", "no shape"},
        ShapeCase{"{ for k, v in request.db.data.data : k => v }", "no shape"}));

}  // namespace
}  // namespace cellar::profiles
