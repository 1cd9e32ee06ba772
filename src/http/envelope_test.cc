// src/http/envelope_test.cc: the Vault envelope keys, 200/204/404 choice, raw bodies, top-level
// copy.
#include "http/envelope.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cellar::http {
namespace {

using framework::Operation;

framework::Request Req(Operation op, std::string path) {
  framework::Request r;
  r.operation = op;
  r.path = std::move(path);
  r.request_id = "11111111-2222-4333-8444-555555555555";
  return r;
}

boost::json::object Parse(const std::string& body) { return boost::json::parse(body).as_object(); }

TEST(EnvelopeTest, HasEveryKey) {
  framework::Response resp = framework::Response::WithData({{"k", "v"}});
  resp.mount_type = "kv";
  WireResponse w = RenderResponse(resp, Req(Operation::kRead, "secret/data/a"));
  EXPECT_EQ(w.status, 200);
  EXPECT_EQ(w.content_type, "application/json");
  boost::json::object env = Parse(w.body);
  for (const char* key : {"request_id", "lease_id", "renewable", "lease_duration", "data",
                          "wrap_info", "warnings", "auth", "mount_type"}) {
    EXPECT_TRUE(env.contains(key)) << key;
  }
  EXPECT_EQ(env.size(), 9u);
  EXPECT_EQ(env.at("request_id").as_string(), "11111111-2222-4333-8444-555555555555");
  EXPECT_EQ(env.at("data").at("k").as_string(), "v");
  EXPECT_TRUE(env.at("wrap_info").is_null());
  EXPECT_TRUE(env.at("warnings").is_null());
  EXPECT_TRUE(env.at("auth").is_null());
  EXPECT_EQ(env.at("mount_type").as_string(), "kv");
}

// Clients and tests compare bodies byte for byte: the key order and spacing are Vault's.
TEST(EnvelopeTest, ExactBytes) {
  framework::Response resp =
      framework::Response::WithData({{"k", "v\"q"}, {"n", 1}, {"list", {1, 2}}, {"o", nullptr}});
  resp.mount_type = "kv";
  resp.warnings = {"w1"};
  resp.lease_duration = std::chrono::seconds(7);
  WireResponse w = RenderResponse(resp, Req(Operation::kRead, "secret/data/a"));
  EXPECT_EQ(w.body,
            R"({"request_id":"11111111-2222-4333-8444-555555555555","lease_id":"",)"
            R"("renewable":false,"lease_duration":7,"data":{"k":"v\"q","n":1,"list":[1,2],)"
            R"("o":null},"wrap_info":null,"warnings":["w1"],"auth":null,"mount_type":"kv"})");
}

TEST(EnvelopeTest, CopiedKeysFollowTheEnvelope) {
  framework::Response resp = framework::Response::WithData({{"b/", 1}, {"data", 2}, {"a/", 3}});
  WireResponse w = RenderResponse(resp, Req(Operation::kRead, "sys/mounts"));
  EXPECT_EQ(w.body,
            R"({"request_id":"11111111-2222-4333-8444-555555555555","lease_id":"",)"
            R"("renewable":false,"lease_duration":0,"data":{"b/":1,"data":2,"a/":3},)"
            R"("wrap_info":null,"warnings":null,"auth":null,"mount_type":"","b/":1,"a/":3})");
}

// A body larger than any buffer the serializer starts with.
TEST(EnvelopeTest, LargeDataIsComplete) {
  boost::json::object data;
  data["blob"] = std::string(100000, 'x');
  framework::Response resp = framework::Response::WithData(data);
  WireResponse w = RenderResponse(resp, Req(Operation::kRead, "secret/data/a"));
  EXPECT_EQ(Parse(w.body).at("data").at("blob").as_string().size(), 100000u);
}

TEST(EnvelopeTest, EmptyWriteIs204) {
  WireResponse w = RenderResponse(framework::Response{}, Req(Operation::kUpdate, "secret/a"));
  EXPECT_EQ(w.status, 204);
  EXPECT_TRUE(w.body.empty());
}

TEST(EnvelopeTest, EmptyReadIs404WithNoErrors) {
  WireResponse w = RenderResponse(framework::Response{}, Req(Operation::kRead, "secret/a"));
  EXPECT_EQ(w.status, 404);
  EXPECT_EQ(w.body, R"({"errors":[]})");
}

TEST(EnvelopeTest, WarningsOnlyIs200) {
  framework::Response resp;
  resp.warnings = {"Endpoint ignored these unrecognized parameters: [a]"};
  WireResponse w = RenderResponse(resp, Req(Operation::kUpdate, "secret/a"));
  EXPECT_EQ(w.status, 200);
  EXPECT_EQ(Parse(w.body).at("warnings").as_array().size(), 1u);
  EXPECT_TRUE(Parse(w.body).at("data").is_null());
}

TEST(EnvelopeTest, ForcedStatusKeepsBody) {
  framework::Response resp = framework::Response::WithData({{"data", nullptr}});
  resp.http_status = 404;
  WireResponse w = RenderResponse(resp, Req(Operation::kRead, "secret/data/a"));
  EXPECT_EQ(w.status, 404);
  EXPECT_TRUE(Parse(w.body).at("data").at("data").is_null());
}

TEST(EnvelopeTest, RawWrittenAsIs) {
  framework::Response resp;
  resp.raw = framework::RawBody{503, "application/json", R"({"sealed":true})"};
  WireResponse w = RenderResponse(resp, Req(Operation::kRead, "sys/health"));
  EXPECT_EQ(w.status, 503);
  EXPECT_EQ(w.body, R"({"sealed":true})");
}

TEST(EnvelopeTest, RawKeepsContentType) {
  framework::Response resp;
  resp.raw = framework::RawBody{200, "application/pem-certificate-chain", "-----BEGIN"};
  WireResponse w = RenderResponse(resp, Req(Operation::kRead, "pki/ca/pem"));
  EXPECT_EQ(w.content_type, "application/pem-certificate-chain");
}

TEST(EnvelopeTest, AuthBlock) {
  framework::Response resp;
  framework::Auth auth;
  auth.client_token = "hvs.x";
  auth.accessor = "acc";
  auth.policies = {"default", "dev"};
  auth.token_policies = {"dev"};
  auth.metadata = {{"username", "bob"}};
  auth.ttl = std::chrono::seconds(3600);
  auth.orphan = true;
  resp.auth = auth;
  WireResponse w = RenderResponse(resp, Req(Operation::kUpdate, "auth/userpass/login/bob"));
  EXPECT_EQ(w.status, 200);
  boost::json::object a = Parse(w.body).at("auth").as_object();
  EXPECT_EQ(a.at("client_token").as_string(), "hvs.x");
  EXPECT_EQ(a.at("lease_duration").as_int64(), 3600);
  EXPECT_EQ(a.at("policies").as_array().size(), 2u);
  EXPECT_EQ(a.at("metadata").at("username").as_string(), "bob");
  EXPECT_EQ(a.at("token_type").as_string(), "service");
  EXPECT_TRUE(a.at("orphan").as_bool());
}

TEST(EnvelopeTest, LeaseFields) {
  framework::Response resp = framework::Response::WithData({{"username", "u"}});
  resp.lease_id = "database/creds/app/abc";
  resp.lease_duration = std::chrono::seconds(60);
  resp.renewable = true;
  boost::json::object env =
      Parse(RenderResponse(resp, Req(Operation::kRead, "database/creds/app")).body);
  EXPECT_EQ(env.at("lease_id").as_string(), "database/creds/app/abc");
  EXPECT_EQ(env.at("lease_duration").as_int64(), 60);
  EXPECT_TRUE(env.at("renewable").as_bool());
}

TEST(EnvelopeTest, MountsCopiesDataToTopLevel) {
  framework::Response resp = framework::Response::WithData({{"secret/", {{"type", "kv"}}}});
  boost::json::object env = Parse(RenderResponse(resp, Req(Operation::kRead, "sys/mounts")).body);
  EXPECT_EQ(env.at("secret/").at("type").as_string(), "kv");
  EXPECT_EQ(env.at("data").at("secret/").at("type").as_string(), "kv");
}

TEST(EnvelopeTest, EnvelopeKeysWinOverData) {
  framework::Response resp = framework::Response::WithData({{"auth", "x"}});
  boost::json::object env = Parse(RenderResponse(resp, Req(Operation::kRead, "sys/policy")).body);
  EXPECT_TRUE(env.at("auth").is_null());
}

TEST(EnvelopeTest, SecretReadDoesNotCopy) {
  framework::Response resp = framework::Response::WithData({{"k", "v"}});
  boost::json::object env = Parse(RenderResponse(resp, Req(Operation::kRead, "secret/a")).body);
  EXPECT_FALSE(env.contains("k"));
}

struct CopyCase {
  std::string path;
  bool copies;
};
class CopiesTest : public testing::TestWithParam<CopyCase> {};
TEST_P(CopiesTest, ByPath) { EXPECT_EQ(CopiesDataToTopLevel(GetParam().path), GetParam().copies); }
INSTANTIATE_TEST_SUITE_P(
    All, CopiesTest,
    testing::Values(CopyCase{"sys/mounts", true}, CopyCase{"sys/mounts/secret", true},
                    CopyCase{"sys/auth", true}, CopyCase{"sys/audit", true},
                    CopyCase{"sys/audit-hash/file", true}, CopyCase{"sys/audit-x", false},
                    CopyCase{"sys/policy", true}, CopyCase{"sys/policy/dev", true},
                    CopyCase{"sys/capabilities-self", true}, CopyCase{"sys/capabilities", true},
                    CopyCase{"sys/policies/acl/dev", false}, CopyCase{"sys/authx", false},
                    CopyCase{"secret/sys/mounts", false}, CopyCase{"sys/health", false}));

}  // namespace
}  // namespace cellar::http
