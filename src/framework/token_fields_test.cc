// src/framework/token_fields_test.cc: token_* fields parse, store and become an Auth.
#include "framework/token_fields.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

namespace cellar::framework {
namespace {

namespace json = boost::json;

StatusOr<TokenParams> ParseBody(std::string_view body, TokenParams start = {}) {
  auto fd = FieldData::Parse(TokenFields(), json::parse(body).as_object());
  if (!fd.ok()) {
    return fd.status();
  }
  Status s = start.ParseFrom(*fd);
  if (!s.ok()) {
    return s;
  }
  return start;
}

TEST(TokenFieldsTest, ParsesEveryField) {
  auto t = ParseBody(R"({"token_policies":"Dev,ops","token_ttl":"1h","token_max_ttl":7200,
                         "token_period":"30m","token_num_uses":"3",
                         "token_no_default_policy":true})");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->policies, (std::vector<std::string>{"dev", "ops"}));
  EXPECT_EQ(t->ttl, Seconds(3600));
  EXPECT_EQ(t->max_ttl, Seconds(7200));
  EXPECT_EQ(t->period, Seconds(1800));
  EXPECT_EQ(t->num_uses, 3);
  EXPECT_TRUE(t->no_default_policy);
}

TEST(TokenFieldsTest, LegacyPoliciesAlias) {
  auto t = ParseBody(R"({"policies":["a","b"]})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->policies, (std::vector<std::string>{"a", "b"}));
}

TEST(TokenFieldsTest, TokenPoliciesWinOverAlias) {
  auto t = ParseBody(R"({"policies":["a"],"token_policies":["b"]})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->policies, std::vector<std::string>{"b"});
}

TEST(TokenFieldsTest, UpdateKeepsUnsetFields) {
  TokenParams start;
  start.ttl = Seconds(60);
  start.policies = {"keep"};
  auto t = ParseBody(R"({"token_max_ttl":"1h"})", start);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->ttl, Seconds(60));
  EXPECT_EQ(t->policies, std::vector<std::string>{"keep"});
}

TEST(TokenFieldsTest, TtlOverMaxIsRefused) {
  EXPECT_EQ(ParseBody(R"({"token_ttl":"2h","token_max_ttl":"1h"})").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(TokenFieldsTest, NegativeNumUsesIsRefused) {
  EXPECT_EQ(ParseBody(R"({"token_num_uses":-1})").status().code(), StatusCode::kInvalidArgument);
}

TEST(TokenFieldsTest, BadBoundCidrIsRefused) {
  EXPECT_EQ(ParseBody(R"({"token_bound_cidrs":"10.0.0.0/99"})").status().code(),
            StatusCode::kInvalidArgument);
}

TEST(TokenFieldsTest, JsonRoundTrip) {
  auto t = ParseBody(R"({"token_policies":"a","token_ttl":5,"token_bound_cidrs":"10.0.0.0/8"})");
  ASSERT_TRUE(t.ok());
  TokenParams back = TokenParams::FromJson(t->ToJson());
  EXPECT_EQ(back.policies, t->policies);
  EXPECT_EQ(back.ttl, Seconds(5));
  EXPECT_EQ(back.bound_cidrs, std::vector<std::string>{"10.0.0.0/8"});
}

TEST(TokenFieldsTest, ReadViewHasLegacyPolicies) {
  TokenParams t;
  t.policies = {"p"};
  json::object out;
  t.AddTo(out);
  EXPECT_EQ(out.at("policies"), json::parse(R"(["p"])"));
  EXPECT_EQ(out.at("token_policies"), json::parse(R"(["p"])"));
  EXPECT_EQ(out.at("token_ttl"), json::value(0));
}

TEST(TokenFieldsTest, PopulateAuthUsesTighterMax) {
  TokenParams t;
  t.policies = {"p"};
  t.ttl = Seconds(10);
  t.max_ttl = Seconds(100);
  t.explicit_max_ttl = Seconds(50);
  Auth auth;
  t.PopulateAuth(auth);
  EXPECT_EQ(auth.policies, std::vector<std::string>{"p"});
  EXPECT_EQ(auth.ttl, Seconds(10));
  EXPECT_EQ(auth.max_ttl, Seconds(50));
}

}  // namespace
}  // namespace cellar::framework
