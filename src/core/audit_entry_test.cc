// src/core/audit_entry_test.cc: audit entry formatting and hashing, from tables.
#include "core/audit_entry.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "crypto/hash.h"

namespace cellar::core {
namespace {

namespace json = boost::json;
using framework::Operation;

constexpr std::string_view kKey = "0123456789abcdef0123456789abcdef";

std::string H(std::string_view s) { return AuditHash(kKey, s); }

AuditRecord SampleRecord() {
  AuditRecord r;
  r.operation = Operation::kUpdate;
  r.path = "secret/data/app";
  r.mount_type = "kv";
  r.mount_accessor = "kv_1234";
  r.request_id = "req-1";
  r.remote_address = "10.0.0.1";
  r.client_token = "hvs.token";
  framework::Caller caller;
  caller.token = "hvs.token";
  caller.accessor = "acc-1";
  caller.display_name = "token-app";
  caller.policies = {"default", "app"};
  caller.metadata = {{"team", "ops"}};
  r.caller = caller;
  r.data = {{"password", "hunter2"}, {"ttl", 60}, {"tags", json::array{"a", true}}};
  return r;
}

json::object Parse(const std::string& line) {
  EXPECT_EQ(line.find('\n'), std::string::npos);
  return json::parse(line).as_object();
}

TEST(AuditHashTest, IsPrefixedHexHmacSha256) {
  // RFC 4231-style check against the crypto layer, plus Vault's prefix.
  EXPECT_EQ(AuditHash("key", "The quick brown fox jumps over the lazy dog"),
            "hmac-sha256:f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(AuditHashTest, DependsOnTheDeviceKey) {
  EXPECT_NE(AuditHash("key-a", "secret"), AuditHash("key-b", "secret"));
}

// Where a field ends up for each device setting.
struct HashCase {
  std::string name;
  bool log_raw;
  bool hmac_accessor;
  std::string want_token;     // request.client_token and auth.client_token
  std::string want_accessor;  // auth.accessor and request.client_token_accessor
  std::string want_password;  // request.data.password
};

class AuditEntryHashTest : public testing::TestWithParam<HashCase> {};

TEST_P(AuditEntryHashTest, HashesSecretsPerDeviceOptions) {
  const HashCase& c = GetParam();
  AuditFormat format{.hmac_key = kKey, .log_raw = c.log_raw, .hmac_accessor = c.hmac_accessor};
  json::object e = Parse(FormatAuditEntry(AuditEntryType::kRequest, SampleRecord(), nullptr,
                                          OkStatus(), TimePoint(), format));
  const json::object& auth = e.at("auth").as_object();
  const json::object& req = e.at("request").as_object();
  EXPECT_EQ(auth.at("client_token").as_string(), c.want_token);
  EXPECT_EQ(req.at("client_token").as_string(), c.want_token);
  EXPECT_EQ(auth.at("accessor").as_string(), c.want_accessor);
  EXPECT_EQ(req.at("client_token_accessor").as_string(), c.want_accessor);
  EXPECT_EQ(req.at("data").at("password").as_string(), c.want_password);
}

INSTANTIATE_TEST_SUITE_P(
    All, AuditEntryHashTest,
    testing::Values(HashCase{"Default", false, true, H("hvs.token"), H("acc-1"), H("hunter2")},
                    HashCase{"AccessorRaw", false, false, H("hvs.token"), "acc-1", H("hunter2")},
                    HashCase{"LogRaw", true, true, "hvs.token", "acc-1", "hunter2"}),
    [](const testing::TestParamInfo<HashCase>& info) { return info.param.name; });

TEST(AuditEntryTest, RequestEntryHasVaultShape) {
  AuditFormat format{.hmac_key = kKey};
  json::object e =
      Parse(FormatAuditEntry(AuditEntryType::kRequest, SampleRecord(), nullptr, OkStatus(),
                             TimePoint(std::chrono::seconds(1700000000)), format));
  EXPECT_EQ(e.at("type").as_string(), "request");
  EXPECT_EQ(e.at("time").as_string(), "2023-11-14T22:13:20Z");
  EXPECT_FALSE(e.contains("response"));
  EXPECT_FALSE(e.contains("error"));
  const json::object& auth = e.at("auth").as_object();
  EXPECT_EQ(auth.at("display_name").as_string(), "token-app");
  EXPECT_EQ(auth.at("policies"), (json::array{"default", "app"}));
  EXPECT_EQ(auth.at("token_policies"), (json::array{"default", "app"}));
  EXPECT_EQ(auth.at("metadata").at("team").as_string(), "ops");  // metadata is not secret
  EXPECT_EQ(auth.at("token_type").as_string(), "service");
  const json::object& req = e.at("request").as_object();
  EXPECT_EQ(req.at("id").as_string(), "req-1");
  EXPECT_EQ(req.at("operation").as_string(), "update");
  EXPECT_EQ(req.at("mount_type").as_string(), "kv");
  EXPECT_EQ(req.at("mount_accessor").as_string(), "kv_1234");
  EXPECT_EQ(req.at("path").as_string(), "secret/data/app");
  EXPECT_EQ(req.at("remote_address").as_string(), "10.0.0.1");
  EXPECT_EQ(req.at("namespace").at("id").as_string(), "root");
  EXPECT_FALSE(req.contains("profile"));
}

TEST(AuditEntryTest, DataKeepsKeysNumbersAndBoolsAndHashesNestedStrings) {
  AuditFormat format{.hmac_key = kKey};
  json::object e = Parse(FormatAuditEntry(AuditEntryType::kRequest, SampleRecord(), nullptr,
                                          OkStatus(), TimePoint(), format));
  const json::object& data = e.at("request").at("data").as_object();
  EXPECT_EQ(data.at("ttl").as_int64(), 60);
  EXPECT_EQ(data.at("tags"), (json::array{json::value(H("a")), true}));
}

TEST(AuditEntryTest, NamespacedRequestNamesItsNamespace) {
  AuditRecord r = SampleRecord();
  r.namespace_path = "ns1/";
  json::object e = Parse(FormatAuditEntry(AuditEntryType::kRequest, r, nullptr, OkStatus(),
                                          TimePoint(), AuditFormat{.hmac_key = kKey}));
  EXPECT_EQ(e.at("request").at("namespace"), (json::object{{"path", "ns1/"}}));
}

TEST(AuditEntryTest, ProfileSubRequestIsTaggedBesideItsData) {
  AuditRecord r = SampleRecord();
  r.profile_name = "web";
  r.execution_id = "exec-42";
  json::object e = Parse(FormatAuditEntry(AuditEntryType::kRequest, r, nullptr, OkStatus(),
                                          TimePoint(), AuditFormat{.hmac_key = kKey}));
  const json::object& req = e.at("request").as_object();
  EXPECT_EQ(req.at("profile").as_string(), "web");  // never hashed: not a secret
  EXPECT_EQ(req.at("profile_execution_id").as_string(), "exec-42");
}

TEST(AuditEntryTest, ResponseEntryHashesResponseDataAndNewToken) {
  framework::Response response;
  response.data = json::object{{"value", "s3cret"}, {"version", 3}};
  framework::Auth auth;
  auth.client_token = "hvs.new";
  auth.accessor = "acc-new";
  auth.policies = {"default"};
  response.auth = auth;
  response.lease_id = "secret/creds/abc";
  response.warnings = {"careful"};
  json::object e = Parse(FormatAuditEntry(AuditEntryType::kResponse, SampleRecord(), &response,
                                          OkStatus(), TimePoint(), AuditFormat{.hmac_key = kKey}));
  EXPECT_EQ(e.at("type").as_string(), "response");
  const json::object& out = e.at("response").as_object();
  EXPECT_EQ(out.at("data").at("value").as_string(), H("s3cret"));
  EXPECT_EQ(out.at("data").at("version").as_int64(), 3);
  EXPECT_EQ(out.at("auth").at("client_token").as_string(), H("hvs.new"));
  EXPECT_EQ(out.at("auth").at("accessor").as_string(), H("acc-new"));
  EXPECT_EQ(out.at("secret").at("lease_id").as_string(), "secret/creds/abc");
  EXPECT_EQ(out.at("warnings"), (json::array{"careful"}));
  EXPECT_EQ(out.at("mount_type").as_string(), "kv");
}

TEST(AuditEntryTest, FailedResponseCarriesTheErrorAndNoData) {
  json::object e = Parse(FormatAuditEntry(AuditEntryType::kResponse, SampleRecord(), nullptr,
                                          PermissionDeniedError("permission denied"), TimePoint(),
                                          AuditFormat{.hmac_key = kKey}));
  EXPECT_EQ(e.at("error").as_string(), "permission denied");
  EXPECT_FALSE(e.at("response").as_object().contains("data"));
}

TEST(AuditEntryTest, UnresolvedCallerShowsOnlyTheHashedToken) {
  AuditRecord r = SampleRecord();
  r.caller.reset();
  json::object e = Parse(FormatAuditEntry(AuditEntryType::kRequest, r, nullptr, OkStatus(),
                                          TimePoint(), AuditFormat{.hmac_key = kKey}));
  const json::object& auth = e.at("auth").as_object();
  EXPECT_EQ(auth.at("client_token").as_string(), H("hvs.token"));
  EXPECT_FALSE(auth.contains("policies"));
  EXPECT_EQ(e.at("request").at("client_token_accessor").as_string(), "");
}

}  // namespace
}  // namespace cellar::core
