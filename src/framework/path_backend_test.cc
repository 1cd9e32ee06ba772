// src/framework/path_backend_test.cc: routing, operation fallback, fields and warnings of
// PathBackend.
#include "framework/path_backend.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace cellar::framework {
namespace {

namespace json = boost::json;

// A handler that echoes which path and operation ran, plus the converted fields it saw.
OperationHandler Echo(std::string tag) {
  return [tag](Request& req, const FieldData& data) -> StatusOr<Response> {
    json::object out;
    out["tag"] = tag;
    out["op"] = std::string(OperationName(req.operation));
    if (const json::value* name = data.Get("name")) {
      out["name"] = *name;
    }
    if (const json::value* path = data.Get("path")) {
      out["path"] = *path;
    }
    return Response::WithData(std::move(out));
  };
}

class PathBackendTest : public testing::Test {
 protected:
  void SetUp() override {
    std::vector<Path> paths = {
        {.pattern = R"(config)",
         .fields = {{"max_versions", FieldType::kInt, "Versions.", 10},
                    {"required_thing", FieldType::kString, "Needed on writes.", nullptr, true}},
         .operations = {{Operation::kRead, Echo("config")}, {Operation::kUpdate, Echo("config")}}},
        {.pattern = R"(roles/?$)", .operations = {{Operation::kList, Echo("roles-list")}}},
        {.pattern = R"(roles/(?P<name>\w[\w.-]*))",
         .fields = {{"name", FieldType::kString, "Role name."},
                    {"ttl", FieldType::kDuration, "TTL."}},
         .operations = {{Operation::kRead, Echo("role")},
                        {Operation::kCreate, Echo("role-create")},
                        {Operation::kDelete, Echo("role")}},
         .existence_check = [](Request&, const FieldData& d) -> StatusOr<bool> {
           return d.GetString("name") == "existing";
         }},
        {.pattern = R"(data/(?P<path>.+))",
         .fields = {{"path", FieldType::kString, "Secret path."}},
         .operations = {{Operation::kUpdate, Echo("data")}, {Operation::kPatch, Echo("data")}}},
        {.pattern = R"(alpha|beta)", .operations = {{Operation::kRead, Echo("alternation")}}},
        {.pattern = R"(.*)",
         .operations = {{Operation::kRead, Echo("catchall")}},
         .takes_arbitrary_input = true},
    };
    ASSERT_TRUE(backend_.SetPaths(std::move(paths)).ok());
  }

  StatusOr<Response> Call(Operation op, std::string path, std::string_view body = "{}") {
    Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = json::parse(body).as_object();
    return backend_.HandleRequest(req);
  }

  PathBackend backend_{BackendType::kSecrets};
};

struct RouteCase {
  Operation op;
  std::string_view path;
  StatusCode code;
  std::string_view tag;  // which path answered
  std::string_view op_seen;
};

class RoutingTest : public PathBackendTest, public testing::WithParamInterface<RouteCase> {};

TEST_P(RoutingTest, PicksPathAndHandler) {
  const RouteCase& c = GetParam();
  auto resp = Call(c.op, std::string(c.path), R"({"required_thing":"x"})");
  ASSERT_EQ(resp.status().code(), c.code) << c.path << ": " << resp.status().ToString();
  if (resp.ok()) {
    EXPECT_EQ(resp->data->at("tag").as_string(), c.tag);
    EXPECT_EQ(resp->data->at("op").as_string(), c.op_seen);
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, RoutingTest,
    testing::Values(
        RouteCase{Operation::kRead, "config", StatusCode::kOk, "config", "read"},
        RouteCase{Operation::kUpdate, "config", StatusCode::kOk, "config", "update"},
        // No create handler: create runs the update handler.
        RouteCase{Operation::kCreate, "config", StatusCode::kOk, "config", "create"},
        RouteCase{Operation::kDelete, "config", StatusCode::kUnsupported, "", ""},
        RouteCase{Operation::kList, "roles/", StatusCode::kOk, "roles-list", "list"},
        RouteCase{Operation::kList, "roles", StatusCode::kOk, "roles-list", "list"},
        RouteCase{Operation::kRead, "roles/web", StatusCode::kOk, "role", "read"},
        // No update handler: update runs the create handler.
        RouteCase{Operation::kUpdate, "roles/web", StatusCode::kOk, "role-create", "update"},
        RouteCase{Operation::kPatch, "roles/web", StatusCode::kUnsupported, "", ""},
        RouteCase{Operation::kPatch, "data/a/b", StatusCode::kOk, "data", "patch"},
        // First match in table order wins over the catch-all.
        RouteCase{Operation::kRead, "roles/web/extra", StatusCode::kOk, "catchall", "read"},
        // Either side of a top-level alternation routes.
        RouteCase{Operation::kRead, "alpha", StatusCode::kOk, "alternation", "read"},
        RouteCase{Operation::kRead, "beta", StatusCode::kOk, "alternation", "read"},
        RouteCase{Operation::kRead, "anything/else", StatusCode::kOk, "catchall", "read"},
        RouteCase{Operation::kDelete, "anything", StatusCode::kUnsupported, "", ""}));

TEST_F(PathBackendTest, CapturesBecomeFields) {
  auto resp = Call(Operation::kUpdate, "data/a/b/c");
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->data->at("path").as_string(), "a/b/c");
}

TEST_F(PathBackendTest, CaptureWinsOverBodyField) {
  auto resp = Call(Operation::kRead, "roles/web", R"({"name":"other"})");
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->data->at("name").as_string(), "web");
}

TEST_F(PathBackendTest, NoMatchIsUnknownPath) {
  PathBackend empty(BackendType::kSecrets);
  ASSERT_TRUE(
      empty.SetPaths({{.pattern = "config", .operations = {{Operation::kRead, Echo("c")}}}}).ok());
  Request req;
  req.path = "nope";
  EXPECT_EQ(empty.HandleRequest(req).status().code(), StatusCode::kUnknownPath);
}

TEST_F(PathBackendTest, BadFieldTypeIsInvalidArgumentNamingField) {
  auto resp = Call(Operation::kUpdate, "config", R"({"max_versions":"abc","required_thing":"x"})");
  ASSERT_EQ(resp.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(resp.status().message().find("\"max_versions\""), std::string::npos);
}

TEST_F(PathBackendTest, MissingRequiredFieldRefusesWrite) {
  auto resp = Call(Operation::kUpdate, "config", "{}");
  ASSERT_EQ(resp.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(resp.status().message().find("required_thing"), std::string::npos);
}

TEST_F(PathBackendTest, MissingRequiredFieldIsFineOnRead) {
  EXPECT_TRUE(Call(Operation::kRead, "config", "{}").ok());
}

TEST_F(PathBackendTest, UnknownFieldsGiveSortedWarning) {
  auto resp = Call(Operation::kUpdate, "config", R"({"zeta":1,"alpha":2,"required_thing":"x"})");
  ASSERT_TRUE(resp.ok());
  ASSERT_EQ(resp->warnings.size(), 1u);
  EXPECT_EQ(resp->warnings[0], "Endpoint ignored these unrecognized parameters: [alpha zeta]");
}

TEST_F(PathBackendTest, ArbitraryInputPathsDoNotWarn) {
  auto resp = Call(Operation::kRead, "free/form", R"({"anything":1})");
  ASSERT_TRUE(resp.ok());
  EXPECT_TRUE(resp->warnings.empty());
}

struct ExistsCase {
  std::string_view path;
  bool want;
};

class ExistsTest : public PathBackendTest, public testing::WithParamInterface<ExistsCase> {};

TEST_P(ExistsTest, UsesExistenceCheckElseUpdate) {
  Request req;
  req.operation = Operation::kUpdate;
  req.path = std::string(GetParam().path);
  auto exists = backend_.Exists(req);
  ASSERT_TRUE(exists.ok());
  EXPECT_EQ(*exists, GetParam().want) << GetParam().path;
}

INSTANTIATE_TEST_SUITE_P(All, ExistsTest,
                         testing::Values(ExistsCase{"roles/existing", true},
                                         ExistsCase{"roles/new", false},
                                         ExistsCase{"config", true},  // no check: update
                                         ExistsCase{"data/x", true}));

TEST(PathBackendSetupTest, RejectsBadPattern) {
  PathBackend b(BackendType::kSecrets);
  EXPECT_EQ(b.SetPaths({{.pattern = "roles/(unclosed"}}).code(), StatusCode::kInvalidArgument);
}

TEST(PathBackendSetupTest, RejectsUndeclaredCapture) {
  PathBackend b(BackendType::kSecrets);
  EXPECT_EQ(b.SetPaths({{.pattern = R"(roles/(?P<name>\w+))"}}).code(),
            StatusCode::kInvalidArgument);
}

TEST(PathBackendSetupTest, ReportsUnauthenticatedPaths) {
  PathBackend b(BackendType::kCredential);
  b.SetUnauthenticatedPaths({"login/*"});
  EXPECT_EQ(b.UnauthenticatedPaths(), std::vector<std::string>{"login/*"});
  EXPECT_EQ(b.type(), BackendType::kCredential);
}

// Patterns of the shapes routing matches without the regex, each beside a spelling of the same
// regex it does not recognise: both must route every path alike.
struct ShortcutCase {
  std::string_view shortcut;
  std::string_view regex_only;
};

class RouteShortcutTest : public testing::TestWithParam<ShortcutCase> {};

StatusOr<Response> RouteOne(std::string_view pattern, const std::string& path) {
  PathBackend b(BackendType::kSecrets);
  Status set = b.SetPaths({{.pattern = std::string(pattern),
                            .fields = {{"path", FieldType::kString, "Secret path."}},
                            .operations = {{Operation::kRead, Echo("one")}}}});
  if (!set.ok()) {
    return set;
  }
  Request req;
  req.operation = Operation::kRead;
  req.path = path;
  return b.HandleRequest(req);
}

TEST_P(RouteShortcutTest, MatchesAsTheRegex) {
  const std::string paths[] = {
      "data/a",    "data/a/b",      "data/a/",  "data/",    "data",          "dat",       "data//",
      "data/a b",  "data/\n",       "data/a\n", "data/\t/", "data/\xc3\xa9", "data/\xff", "xdata/a",
      "data/a\n/", "data/a.b-c_D9", "data/.a",  "data/_",   "data/-a",       "data/a~"};
  for (const std::string& path : paths) {
    StatusOr<Response> fast = RouteOne(GetParam().shortcut, path);
    StatusOr<Response> slow = RouteOne(GetParam().regex_only, path);
    ASSERT_EQ(fast.status().code(), slow.status().code()) << path;
    if (fast.ok()) {
      EXPECT_EQ(json::serialize(*fast->data), json::serialize(*slow->data)) << path;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    All, RouteShortcutTest,
    testing::Values(ShortcutCase{R"(data/(?P<path>.+))", R"(data/(?P<path>(?:.+)))"},
                    ShortcutCase{R"(data/(?P<path>.*))", R"(data/(?P<path>(?:.*)))"},
                    ShortcutCase{R"(data/(?P<path>.*[^/]))", R"(data/(?P<path>(?:.*[^/])))"},
                    ShortcutCase{R"(^data/(?P<path>.*[^/])$)", R"(data/(?P<path>(?:.*[^/])))"},
                    ShortcutCase{R"(data/(?P<path>[^/]+))", R"(data/(?P<path>(?:[^/]+)))"},
                    ShortcutCase{R"(data/(?P<path>\w[\w.-]*))",
                                 R"(data/(?P<path>(?:\w[\w.-]*)))"}));

}  // namespace
}  // namespace cellar::framework
