// src/profiles/profile_test.cc: parsing, validation errors with positions, and stages.
#include "profiles/profile.h"

#include <gtest/gtest.h>

#include <functional>

namespace cellar::profiles {
namespace {

constexpr std::string_view kExample = R"(
input {
  authenticated = true
  data = {
    common_name = "string"
    ttl         = "string?"
  }
}

request "cert" {
  path      = "/v1/pki/issue/web"
  operation = "update"
  data = {
    common_name = input.data.common_name
    ttl         = input.data.ttl != null ? input.data.ttl : "24h"
  }
}

request "dbpass" {
  path = "database/creds/app"
  err  = ignore
}

request "apps" {
  path      = "secret/metadata/apps"
  operation = "list"
}

request "app_config" {
  for_each  = request.apps.data.keys
  path      = "secret/data/apps/${each.value}"
  depends_on = [request.dbpass]
}

output {
  data = {
    cert   = request.cert.data.certificate
    config = { for k, r in request.app_config : k => r.data.data }
  }
}
)";

TEST(ParseProfile, AcceptsTheExample) {
  ProfileParseResult r = ParseProfile(kExample);
  ASSERT_NE(r.profile, nullptr) << hcl::FormatDiagnostics(r.diagnostics);
  const Profile& p = *r.profile;
  ASSERT_EQ(p.inputs.size(), 2u);
  EXPECT_EQ(p.inputs[1].name, "ttl");
  EXPECT_TRUE(p.inputs[1].optional);
  EXPECT_EQ(p.requests.size(), 4u);
  EXPECT_EQ(p.FindRequest("cert")->literal_path, "pki/issue/web");
  EXPECT_EQ(p.FindRequest("cert")->operation, framework::Operation::kUpdate);
  EXPECT_EQ(p.FindRequest("dbpass")->on_error, OnError::kIgnore);
  EXPECT_FALSE(p.FindRequest("app_config")->literal_path.has_value());
  EXPECT_EQ(p.FindRequest("app_config")->dependencies,
            (std::vector<std::string>{"apps", "dbpass"}));
  EXPECT_EQ(p.stages,
            (std::vector<std::vector<std::string>>{{"cert", "dbpass", "apps"}, {"app_config"}}));
  EXPECT_EQ(p.max_requests, 64);
}

TEST(ParseProfile, AcceptsJson) {
  ProfileParseResult r = ParseProfile(R"({
    "input": {"data": {"name": "string"}},
    "request": {"a": {"path": "secret/data/${input.data.name}"}},
    "output": {"data": {"v": "${request.a.data}"}}
  })");
  ASSERT_NE(r.profile, nullptr) << hcl::FormatDiagnostics(r.diagnostics);
  EXPECT_EQ(r.profile->stages, (std::vector<std::vector<std::string>>{{"a"}}));
}

struct ErrorCase {
  std::string_view name;
  std::string_view text;
  std::string_view want;  // "line:col: message fragment"
};

class ProfileErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(ProfileErrorTest, ReportsPositionedError) {
  ProfileParseResult r = ParseProfile(GetParam().text);
  EXPECT_EQ(r.profile, nullptr);
  std::string all;
  for (const hcl::Diagnostic& d : r.diagnostics) {
    all += std::to_string(d.range.start.line) + ":" + std::to_string(d.range.start.column) + ": " +
           d.message + "\n";
  }
  EXPECT_NE(all.find(GetParam().want), std::string::npos) << all;
}

constexpr std::string_view kOut = "\noutput { data = 1 }\n";

INSTANTIATE_TEST_SUITE_P(
    All, ProfileErrorTest,
    testing::Values(
        ErrorCase{"Syntax", "request \"a\" {\n  path = \n}", "2:10: expected an expression"},
        ErrorCase{"UnknownBlock", "requst \"a\" { path = \"x\" }", "1:1: unknown block type"},
        ErrorCase{"UnknownAttribute", "request \"a\" {\n  pth = \"x\"\n}",
                  "2:3: unknown attribute \"pth\""},
        ErrorCase{"UnknownOperation", "request \"a\" {\n  path = \"x\"\n  operation = \"get\"\n}",
                  "3:15: request \"a\": unknown operation \"get\""},
        ErrorCase{"UnknownRequest", "request \"a\" {\n  path = \"x/${request.b.data.k}\"\n}",
                  "2:15: request.b does not exist"},
        ErrorCase{"UnknownInput", "request \"a\" {\n  path = \"x/${input.data.nope}\"\n}",
                  "2:15: input.data.nope is not declared"},
        ErrorCase{"EachOutsideForEach", "request \"a\" {\n  path = \"x/${each.value}\"\n}",
                  "2:15: each.value is only available"},
        ErrorCase{"Cycle",
                  "request \"a\" { path = \"x/${request.b.data.k}\" }\n"
                  "request \"b\" { path = \"x/${request.a.data.k}\" }",
                  "dependency cycle: request a -> b -> a"},
        ErrorCase{"SelfCycle", "request \"a\" {\n path = \"x\"\n depends_on = [request.a]\n}",
                  "1:1: dependency cycle: request a -> a"},
        ErrorCase{"LeavesNamespace", "request \"a\" {\n  path = \"secret/../../sys/x\"\n}",
                  "2:10: path \"secret/../../sys/x\" leaves the profile's namespace"},
        ErrorCase{"BadOnError", "request \"a\" {\n  path = \"x\"\n  err = maybe\n}",
                  "3:9: request \"a\": on_error must be fatal or ignore"},
        ErrorCase{"BadInputType", "input {\n  data = { a = \"strng\" }\n}",
                  "2:16: input \"a\": type must be"},
        ErrorCase{"UnknownFunction", "request \"a\" {\n  path = \"x/${nope(1)}\"\n}",
                  "2:15: unknown function \"nope\""},
        ErrorCase{"DuplicateRequest",
                  "request \"a\" { path = \"x\" }\nrequest \"a\" { path = \"y\" }",
                  "2:9: request \"a\" is defined twice"},
        ErrorCase{"UnauthenticatedWithoutAuth", "input { authenticated = false }\n",
                  "needs an auth block"},
        ErrorCase{"SignedWithAuth", "input { signed = true }\nauth {\n  path = \"auth/x/login\"\n}",
                  "2:1: input { signed = true } runs under the signing key's role"},
        ErrorCase{"AuthUsesRequest",
                  "auth {\n  path = \"auth/x/login/${request.a.data}\"\n}\n"
                  "request \"a\" { path = \"x\" }",
                  "2:26: the auth block runs before every request"},
        ErrorCase{"BadMaxRequests", "max_requests = 0\nrequest \"a\" { path = \"x\" }",
                  "1:16: max_requests must be a whole number"},
        ErrorCase{"BadTimeout", "timeout = \"0ms\"\nrequest \"a\" { path = \"x\" }",
                  "1:11: timeout must be a positive duration"}),
    [](const testing::TestParamInfo<ErrorCase>& info) { return std::string(info.param.name); });

TEST(ParseProfile, SignedInputNeedsNoAuthBlock) {
  ProfileParseResult r = ParseProfile(
      "input {\n  signed = true\n  authenticated = false\n  data = { a = \"string\" }\n}\n"
      "request \"x\" { path = \"secret/data/${input.data.a}\" }\n"
      "output { data = request.x.data }");
  ASSERT_NE(r.profile, nullptr) << hcl::FormatDiagnostics(r.diagnostics);
  EXPECT_TRUE(r.profile->signed_input);
}

TEST(ParseProfile, ReadsTheExecutionSettings) {
  struct Case {
    std::string settings;
    bool transaction;
    int max_requests;
    int64_t timeout_ms;
  };
  const Case cases[] = {
      {"", false, 64, 0},
      {"transaction = true\n", true, 64, 0},
      {"transaction = false\nmax_requests = 3\n", false, 3, 0},
      {"timeout = \"30s\"\n", false, 64, 30000},
      {"timeout = \"250ms\"\n", false, 64, 250},
      {"timeout = 2\n", false, 64, 2000},
  };
  for (const Case& c : cases) {
    ProfileParseResult r =
        ParseProfile(c.settings + "request \"a\" { path = \"x\" }\noutput { data = 1 }");
    ASSERT_NE(r.profile, nullptr) << c.settings << hcl::FormatDiagnostics(r.diagnostics);
    EXPECT_EQ(r.profile->transaction, c.transaction) << c.settings;
    EXPECT_EQ(r.profile->max_requests, c.max_requests) << c.settings;
    EXPECT_EQ(r.profile->timeout.count(), c.timeout_ms) << c.settings;
  }
}

// Every expression's chains after request.<name>, merged per request: what an execution
// converts of each result.
TEST(ParseProfile, RecordsWhatEachRequestsResultIsReadFor) {
  ProfileParseResult r = ParseProfile(R"(
    request "a" { path = "secret/data/a" }
    request "b" {
      path = "secret/data/b/${request.a.data.data.name}"
    }
    request "c" { path = "secret/data/c" }
    request "d" {
      for_each = request.a.data.data.keys
      path     = "secret/data/d/${each.value}"
    }
    request "e" { path = "secret/data/e" }
    output {
      data = {
        user  = request.b.data.data.user
        pass  = request.b.data.data.pass
        all   = request.c.data
        inner = request.c.data.data.x
        lease = request.e.lease_id
        d     = request.d
      }
    }
  )");
  ASSERT_NE(r.profile, nullptr) << hcl::FormatDiagnostics(r.diagnostics);
  // A tree as text: "*" for whole, else {field:tree,...}.
  std::function<std::string(const FieldTree&)> text = [&](const FieldTree& t) {
    if (t.whole) {
      return std::string("*");
    }
    std::string out = "{";
    for (const auto& [k, sub] : t.fields) {
      out += (out.size() > 1 ? "," : "") + k + ":" + text(sub);
    }
    return out + "}";
  };
  const Profile& p = *r.profile;
  EXPECT_EQ(text(p.FindRequest("a")->used), "{data:{data:{keys:*,name:*}}}");
  EXPECT_EQ(text(p.FindRequest("b")->used), "{data:{data:{pass:*,user:*}}}");
  EXPECT_EQ(text(p.FindRequest("c")->used), "{data:*}");
  EXPECT_EQ(text(p.FindRequest("d")->used), "*");  // a for_each result stays whole
  EXPECT_EQ(text(p.FindRequest("e")->used), "{lease_id:*}");
}

TEST(ParseProfile, ReportsEveryErrorAtOnce) {
  ProfileParseResult r = ParseProfile(
      "request \"a\" {\n  path = \"x/${request.nope.data}\"\n  operation = \"get\"\n}\n"
      "request \"b\" {\n  path = \"${input.data.missing}\"\n}\noutput { data = 1 }");
  EXPECT_EQ(r.diagnostics.size(), 3u) << hcl::FormatDiagnostics(r.diagnostics);
}

TEST(ComputeStages, IndependentRequestsShareAStage) {
  std::vector<RequestSpec> rs(4);
  rs[0].name = "a";
  rs[1].name = "b";
  rs[2].name = "c";
  rs[2].dependencies = {"a", "b"};
  rs[3].name = "d";
  rs[3].dependencies = {"c"};
  hcl::Diagnostics diags;
  EXPECT_EQ(ComputeStages(rs, diags),
            (std::vector<std::vector<std::string>>{{"a", "b"}, {"c"}, {"d"}}));
  EXPECT_TRUE(diags.empty());
}

struct PathCase {
  std::string_view path;
  bool ok;
};
class PathEscapeTest : public testing::TestWithParam<PathCase> {};
TEST_P(PathEscapeTest, RejectsDotSegments) {
  EXPECT_EQ(!PathEscapeReason(NormalizeApiPath(GetParam().path)).has_value(), GetParam().ok);
}
INSTANTIATE_TEST_SUITE_P(All, PathEscapeTest,
                         testing::Values(PathCase{"secret/data/a", true},
                                         PathCase{"/v1/secret/data/a", true},
                                         PathCase{"secret/metadata/", true},
                                         PathCase{"secret/../x", false}, PathCase{"./x", false},
                                         PathCase{"a//b", false}, PathCase{"", false}));

}  // namespace
}  // namespace cellar::profiles
