// src/core/policy_test.cc: parsing policies in HCL, JSON and base64, and their errors.
#include "core/policy.h"

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace cellar::core {
namespace {

constexpr std::string_view kHcl = R"(
path "secret/data/*" {
  capabilities = ["create", "read", "update", "patch", "delete", "list"]
}
path "/sys/seal" {
  capabilities = ["update", "sudo"]
}
path "secret/+/teamb" {
  capabilities = ["read", "direct-deny"]
  required_parameters = ["Owner"]
  allowed_parameters = {
    "env" = ["dev-*", "*-test", 5]
    "*" = []
  }
  denied_parameters = {
    "secret" = []
  }
  min_wrapping_ttl = "1m"
  max_wrapping_ttl = 3600
}
)";

TEST(ParsePolicyTest, ParsesHcl) {
  StatusOr<Policy> p = ParsePolicy("dev", kHcl);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->rules.size(), 3u);
  EXPECT_EQ(p->name, "dev");
  EXPECT_EQ(p->rules[0].pattern, "secret/data/*");
  EXPECT_EQ(p->rules[0].capabilities,
            kCapCreate | kCapRead | kCapUpdate | kCapPatch | kCapDelete | kCapList);
  EXPECT_EQ(p->rules[1].pattern, "sys/seal");  // leading '/' dropped
  EXPECT_EQ(p->rules[1].capabilities, kCapUpdate | kCapSudo);
  const PathRule& r = p->rules[2];
  EXPECT_EQ(r.capabilities, kCapRead | kCapDirectDeny);
  EXPECT_EQ(r.required_parameters, std::vector<std::string>{"owner"});
  ASSERT_TRUE(r.allowed_parameters.has_value());
  std::vector<ParameterValue> env = {{true, "dev-*"}, {true, "*-test"}, {false, "5"}};
  EXPECT_EQ(r.allowed_parameters->at("env"), env);
  EXPECT_TRUE(r.allowed_parameters->at("*").empty());
  EXPECT_TRUE(r.denied_parameters.at("secret").empty());
  EXPECT_EQ(r.min_wrapping_ttl, std::chrono::seconds(60));
  EXPECT_EQ(r.max_wrapping_ttl, std::chrono::seconds(3600));
}

TEST(ParsePolicyTest, ParsesJson) {
  StatusOr<Policy> p = ParsePolicy("j", R"({"path": {"secret/*": {"capabilities": ["read", "list"]},
                        "kv/a": {"policy": "write"}}})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->rules.size(), 2u);
  EXPECT_EQ(p->rules[0].pattern, "secret/*");
  EXPECT_EQ(p->rules[0].capabilities, kCapRead | kCapList);
  EXPECT_EQ(p->rules[1].pattern, "kv/a");
  EXPECT_EQ(p->rules[1].capabilities,
            kCapCreate | kCapRead | kCapUpdate | kCapPatch | kCapDelete | kCapList);
}

TEST(ParsePolicyTest, ParsesJsonPathList) {
  StatusOr<Policy> p = ParsePolicy(
      "j", R"({"path": [{"a/*": {"capabilities": ["read"]}}, {"b": {"capabilities": ["list"]}}]})");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->rules.size(), 2u);
  EXPECT_EQ(p->rules[1].pattern, "b");
  EXPECT_EQ(p->rules[1].capabilities, kCapList);
}

TEST(ParsePolicyTest, JsonUnknownKeyIsAnError) {
  StatusOr<Policy> p =
      ParsePolicy("j", R"({"path": {"a": {"capabilities": ["read"], "bogus": 1}}})");
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("bogus"), std::string::npos) << p.status().message();
}

TEST(ParsePolicyTest, ParsesBase64OfHcl) {
  std::string text = R"(path "a/*" { capabilities = ["read"] })";
  StatusOr<Policy> p = ParsePolicy("b", crypto::Base64Encode(text));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->rules.size(), 1u);
  EXPECT_EQ(p->rules[0].pattern, "a/*");
  EXPECT_EQ(p->text, text);  // reads show the decoded text
}

TEST(ParsePolicyTest, ParsesBase64OfJson) {
  std::string text = R"({"path":{"a":{"capabilities":["deny"]}}})";
  StatusOr<Policy> p = ParsePolicy("b", crypto::Base64Encode(text));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->rules[0].capabilities, kCapDeny);
}

struct LegacyCase {
  std::string policy;
  CapabilitySet want;
};

class LegacyPolicyTest : public testing::TestWithParam<LegacyCase> {};

TEST_P(LegacyPolicyTest, MapsToCapabilities) {
  StatusOr<Policy> p =
      ParsePolicy("l", "path \"a\" {\n  policy = \"" + GetParam().policy + "\"\n}\n");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->rules[0].capabilities, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(Legacy, LegacyPolicyTest,
                         testing::Values(LegacyCase{"read", kCapRead | kCapList},
                                         LegacyCase{"deny", kCapDeny},
                                         LegacyCase{"write", kCapCreate | kCapRead | kCapUpdate |
                                                                 kCapPatch | kCapDelete | kCapList},
                                         LegacyCase{"sudo", kCapCreate | kCapRead | kCapUpdate |
                                                                kCapPatch | kCapDelete | kCapList |
                                                                kCapSudo}));

TEST(ParsePolicyTest, DenyDropsOtherCapabilities) {
  StatusOr<Policy> p = ParsePolicy("d", R"(path "a" { capabilities = ["read", "deny"] })");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rules[0].capabilities, kCapDeny);
}

TEST(ParsePolicyTest, EnterpriseKeysWarn) {
  std::vector<std::string> warnings;
  StatusOr<Policy> p = ParsePolicy("e", R"(
path "a" {
  capabilities = ["read"]
  mfa_methods = ["okta"]
}
path "b" {
  capabilities = ["read"]
  control_group {
    ttl = "4h"
  }
}
)",
                                   &warnings);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[0].find("mfa_methods"), std::string::npos);
}

struct ErrorCase {
  std::string name;
  std::string text;
  std::string position;  // "line:col" expected in the message
  std::string words;     // a fragment of the message
};

class ParsePolicyErrorTest : public testing::TestWithParam<ErrorCase> {};

TEST_P(ParsePolicyErrorTest, ReportsPosition) {
  StatusOr<Policy> p = ParsePolicy("x", GetParam().text);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find(GetParam().position), std::string::npos)
      << p.status().message();
  EXPECT_NE(p.status().message().find(GetParam().words), std::string::npos) << p.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    Errors, ParsePolicyErrorTest,
    testing::Values(
        ErrorCase{"UnknownKey", "path \"a\" {\n  capabilities = [\"read\"]\n  bogus = 1\n}\n",
                  "3:3", "bogus"},
        ErrorCase{"UnknownTopLevel", "paths \"a\" {\n}\n", "1:1", "paths"},
        ErrorCase{"BadCapability", "path \"a\" {\n  capabilities = [\"read\", \"fly\"]\n}\n",
                  "2:27", "fly"},
        ErrorCase{"BadLegacy", "path \"a\" {\n  policy = \"all\"\n}\n", "2:12", "all"},
        ErrorCase{"Syntax", "path \"a\" {\n  capabilities = [\"read\"\n", "policy:", ""},
        ErrorCase{"CapabilitiesNotList", "path \"a\" {\n  capabilities = \"read\"\n}\n",
                  "2:", "capabilities"},
        ErrorCase{"ParameterValueNotList",
                  "path \"a\" {\n  allowed_parameters = {\n    \"k\" = \"v\"\n  }\n}\n",
                  "3:", "must be a list"},
        ErrorCase{"BadTtl", "path \"a\" {\n  max_wrapping_ttl = \"soon\"\n}\n", "2:", "soon"}));

TEST(ParsePolicyTest, EmptyIsAnError) {
  EXPECT_EQ(ParsePolicy("x", "  \n").status().code(), StatusCode::kInvalidArgument);
}

TEST(ParsePolicyTest, DefaultPolicyTextParses) {
  StatusOr<Policy> p = ParsePolicy("default", DefaultPolicyText());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_EQ(p->rules.size(), 7u);
  EXPECT_EQ(p->rules[0].pattern, "auth/token/lookup-self");
  EXPECT_EQ(p->rules[0].capabilities, kCapRead);
  EXPECT_EQ(p->rules[6].pattern, "cubbyhole/*");
}

TEST(CapabilityTest, NamesRoundTripSorted) {
  EXPECT_EQ(CapabilityNames(kCapUpdate | kCapCreate | kCapSudo),
            (std::vector<std::string>{"create", "sudo", "update"}));
  EXPECT_EQ(ParseCapability("direct-deny"), kCapDirectDeny);
  EXPECT_EQ(ParseCapability("write"), std::nullopt);
}

struct NameCase {
  std::string in;
  std::string out;  // "" = error
};

class PolicyNameTest : public testing::TestWithParam<NameCase> {};

TEST_P(PolicyNameTest, Normalizes) {
  StatusOr<std::string> n = NormalizePolicyName(GetParam().in);
  EXPECT_EQ(n.ok() ? *n : "", GetParam().out);
}

INSTANTIATE_TEST_SUITE_P(Names, PolicyNameTest,
                         testing::Values(NameCase{"Admin", "admin"}, NameCase{" ops ", "ops"},
                                         NameCase{"a-b_c.d", "a-b_c.d"}, NameCase{"", ""},
                                         NameCase{"a/b", ""}, NameCase{"..", ""}));

}  // namespace
}  // namespace cellar::core
