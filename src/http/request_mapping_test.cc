// src/http/request_mapping_test.cc: HTTP method, path, query, body and headers → logical Request.
#include "http/request_mapping.h"

#include <gtest/gtest.h>

namespace cellar::http {
namespace {

using framework::Operation;

WireRequest Make(std::string method, std::string target, std::string body = "") {
  WireRequest w;
  w.method = std::move(method);
  w.target = std::move(target);
  w.body = std::move(body);
  return w;
}

framework::Request MustMap(const WireRequest& w) {
  bool head = false;
  auto result = MapRequest(w, "rid", &head);
  EXPECT_TRUE(std::holds_alternative<framework::Request>(result))
      << std::get<WireResponse>(result).body;
  return std::get<framework::Request>(std::move(result));
}

int MapStatus(const WireRequest& w) {
  bool head = false;
  auto result = MapRequest(w, "rid", &head);
  if (auto* r = std::get_if<WireResponse>(&result)) {
    return r->status;
  }
  return 0;
}

struct MethodCase {
  std::string method;
  std::string target;
  Operation op;
  std::string path;
};

class MethodTest : public testing::TestWithParam<MethodCase> {};

TEST_P(MethodTest, MapsOperationAndPath) {
  WireRequest w = Make(GetParam().method, GetParam().target);
  if (GetParam().method == "PATCH") {
    w.content_type = "application/merge-patch+json";
  }
  framework::Request r = MustMap(w);
  EXPECT_EQ(r.operation, GetParam().op);
  EXPECT_EQ(r.path, GetParam().path);
}

INSTANTIATE_TEST_SUITE_P(
    All, MethodTest,
    testing::Values(
        MethodCase{"GET", "/v1/secret/data/a", Operation::kRead, "secret/data/a"},
        MethodCase{"POST", "/v1/secret/data/a", Operation::kUpdate, "secret/data/a"},
        MethodCase{"PUT", "/v1/secret/data/a", Operation::kUpdate, "secret/data/a"},
        MethodCase{"PATCH", "/v1/secret/data/a", Operation::kPatch, "secret/data/a"},
        MethodCase{"DELETE", "/v1/secret/data/a", Operation::kDelete, "secret/data/a"},
        MethodCase{"LIST", "/v1/secret/metadata", Operation::kList, "secret/metadata/"},
        MethodCase{"LIST", "/v1/secret/metadata/", Operation::kList, "secret/metadata/"},
        MethodCase{"GET", "/v1/secret/metadata?list=true", Operation::kList, "secret/metadata/"},
        MethodCase{"GET", "/v1/secret/metadata?list=True", Operation::kList, "secret/metadata/"},
        MethodCase{"GET", "/v1/secret/metadata?list=1", Operation::kList, "secret/metadata/"},
        MethodCase{"GET", "/v1/secret/a?list=false", Operation::kRead, "secret/a"},
        MethodCase{"HEAD", "/v1/sys/health", Operation::kRead, "sys/health"},
        MethodCase{"GET", "/v1/secret/a%20b", Operation::kRead, "secret/a b"},
        // Targets the URL parser is skipped for (plain pchars) and their neighbours that need it.
        MethodCase{"GET", "/v1/secret/data/a-b_c.d~e:f@g!$&'()*+,;=", Operation::kRead,
                   "secret/data/a-b_c.d~e:f@g!$&'()*+,;="},
        MethodCase{"GET", "/v1/secret//a/", Operation::kRead, "secret//a/"},
        MethodCase{"GET", "/v1/secret/a%2Fb", Operation::kRead, "secret/a/b"},
        MethodCase{"GET", "/v1/secret/a?", Operation::kRead, "secret/a"}));

struct StatusCase {
  std::string method;
  std::string target;
  std::string body;
  int status;
};

class RejectTest : public testing::TestWithParam<StatusCase> {};

TEST_P(RejectTest, AnswersWithoutCore) {
  EXPECT_EQ(MapStatus(Make(GetParam().method, GetParam().target, GetParam().body)),
            GetParam().status);
}

INSTANTIATE_TEST_SUITE_P(
    All, RejectTest,
    testing::Values(StatusCase{"GET", "/v2/secret/a", "", 404}, StatusCase{"GET", "/", "", 404},
                    StatusCase{"GET", "/v1", "", 404}, StatusCase{"TRACE", "/v1/secret/a", "", 405},
                    StatusCase{"HEAD", "/v1/secret/a", "", 405},
                    StatusCase{"PATCH", "/v1/secret/data/a", "{}", 415},
                    StatusCase{"POST", "/v1/secret/a", "[1,2]", 400},
                    StatusCase{"POST", "/v1/secret/a", "\"str\"", 400},
                    StatusCase{"POST", "/v1/secret/a", "{\"a\":", 400},
                    StatusCase{"POST", "/v1/secret/a", "{\"a\":\"\xff\xfe\"}", 400},
                    StatusCase{"POST", "/v1/secret/a", "{\"a\":\"\xc0\xaf\"}", 400},
                    StatusCase{"GET", "/v1/secret/../sys/seal", "", 400},
                    StatusCase{"GET", "/v1/secret/./a", "", 400},
                    StatusCase{"GET", "/v1/secret/%2e%2e/a", "", 400},
                    StatusCase{"GET", "/v1/secret/a%00b", "", 400},
                    StatusCase{"GET", "/v1/secret/a%ff", "", 400},
                    StatusCase{"GET", "/v1/secret/a?list=maybe", "", 400},
                    StatusCase{"GET", "/v1/secret/a?x=%ff", "", 400},
                    StatusCase{"GET", "/v1/secret/a b", "", 400},
                    StatusCase{"GET", "/v1/secret/a#frag", "", 400},
                    StatusCase{"GET", "/v1/secret/a\"b", "", 400},
                    StatusCase{"GET", "/v1/secret/a%zz", "", 400},
                    StatusCase{"GET", "v1/secret/a", "", 400}));

TEST(MapRequestTest, PatchAcceptsCharsetParameter) {
  WireRequest w = Make("PATCH", "/v1/secret/data/a", R"({"data":{}})");
  w.content_type = "application/merge-patch+json; charset=utf-8";
  EXPECT_EQ(MustMap(w).operation, Operation::kPatch);
}

TEST(MapRequestTest, BodyBecomesData) {
  framework::Request r = MustMap(Make("POST", "/v1/secret/a", R"({"k":"v","n":5})"));
  EXPECT_EQ(r.data.at("k").as_string(), "v");
  EXPECT_EQ(r.data.at("n").as_int64(), 5);
}

TEST(MapRequestTest, EmptyAndBlankBodiesAreEmptyObjects) {
  EXPECT_TRUE(MustMap(Make("POST", "/v1/secret/a", "")).data.empty());
  EXPECT_TRUE(MustMap(Make("POST", "/v1/secret/a", " \n")).data.empty());
}

TEST(MapRequestTest, NullBodyIsEmptyAsInVault) {
  EXPECT_TRUE(MustMap(Make("POST", "/v1/secret/a", "null")).data.empty());
}

TEST(MapRequestTest, QueryIsDataOnGet) {
  framework::Request r = MustMap(Make("GET", "/v1/secret/data/a?version=2&x=1&x=2"));
  EXPECT_EQ(r.data.at("version").as_string(), "2");
  ASSERT_TRUE(r.data.at("x").is_array());
  EXPECT_EQ(r.data.at("x").as_array().size(), 2u);
}

TEST(MapRequestTest, ListParameterIsNotData) {
  framework::Request r = MustMap(Make("GET", "/v1/secret/metadata?list=true&after=b"));
  EXPECT_FALSE(r.data.contains("list"));
  EXPECT_EQ(r.data.at("after").as_string(), "b");
}

TEST(MapRequestTest, QueryIgnoredOnPost) {
  framework::Request r = MustMap(Make("POST", "/v1/secret/a?x=1", R"({"y":2})"));
  EXPECT_FALSE(r.data.contains("x"));
  EXPECT_TRUE(r.data.contains("y"));
}

TEST(MapRequestTest, VaultTokenHeaderWins) {
  WireRequest w = Make("GET", "/v1/secret/a");
  w.vault_token = "hvs.one";
  w.authorization = "Bearer hvs.two";
  EXPECT_EQ(MustMap(w).caller.token, "hvs.one");
}

TEST(MapRequestTest, BearerTokenUsedWithoutVaultHeader) {
  WireRequest w = Make("GET", "/v1/secret/a");
  w.authorization = "bearer hvs.two";
  EXPECT_EQ(MustMap(w).caller.token, "hvs.two");
}

TEST(MapRequestTest, NonBearerAuthorizationIgnored) {
  WireRequest w = Make("GET", "/v1/secret/a");
  w.authorization = "Basic dXNlcjpwYXNz";
  EXPECT_EQ(MustMap(w).caller.token, "");
}

TEST(MapRequestTest, NamespaceNormalised) {
  WireRequest w = Make("GET", "/v1/secret/a");
  w.namespace_header = "/team/a";
  EXPECT_EQ(MustMap(w).namespace_path, "team/a/");
}

TEST(MapRequestTest, WrapTtlRefused) {
  WireRequest w = Make("GET", "/v1/secret/a");
  w.has_wrap_ttl = true;
  EXPECT_EQ(MapStatus(w), 400);
}

TEST(MapRequestTest, RequestIdAndRemoteCopied) {
  WireRequest w = Make("GET", "/v1/secret/a");
  w.remote_addr = "10.0.0.1";
  w.peer_certificates_der = {"der"};
  framework::Request r = MustMap(w);
  EXPECT_EQ(r.request_id, "rid");
  EXPECT_EQ(r.remote_addr, "10.0.0.1");
  EXPECT_EQ(r.peer_certificates_der.size(), 1u);
}

TEST(MapRequestTest, HeadIsFlagged) {
  bool head = false;
  auto result = MapRequest(Make("HEAD", "/v1/sys/health"), "rid", &head);
  EXPECT_TRUE(head);
}

TEST(ParseGoBoolTest, AcceptsGoSpellings) {
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"}) {
    EXPECT_EQ(ParseGoBool(t), true) << t;
  }
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"}) {
    EXPECT_EQ(ParseGoBool(f), false) << f;
  }
  for (const char* bad : {"", "yes", "tRue", "2"}) {
    EXPECT_EQ(ParseGoBool(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace cellar::http
