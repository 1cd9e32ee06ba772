// src/core/acl_test.cc: matching precedence, deny, direct-deny, parameters and sudo, from tables.
#include "core/acl.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <sstream>

namespace cellar::core {
namespace {

using framework::Operation;

// "read,list" → bits.
CapabilitySet Caps(std::string_view names) {
  CapabilitySet out = 0;
  std::stringstream in{std::string(names)};
  std::string name;
  while (std::getline(in, name, ',')) {
    out |= *ParseCapability(name);
  }
  return out;
}

struct RuleSpec {
  std::string pattern;
  std::string caps;
};

Policy MakePolicy(std::string name, std::vector<RuleSpec> rules) {
  Policy p;
  p.name = std::move(name);
  for (const RuleSpec& r : rules) {
    PathRule rule;
    rule.pattern = r.pattern;
    rule.capabilities = Caps(r.caps);
    if (rule.capabilities & kCapDeny) {
      rule.capabilities = kCapDeny;
    }
    p.rules.push_back(std::move(rule));
  }
  return p;
}

std::shared_ptr<const Acl> CompileOne(const Policy& p) { return Acl::Compile({&p}); }

// ---- which rule governs a path ------------------------------------------------------------

struct MatchCase {
  std::string name;
  std::vector<std::string> patterns;
  std::string path;
  std::string want;  // the winning pattern, "" for none
};

class AclMatchTest : public testing::TestWithParam<MatchCase> {};

TEST_P(AclMatchTest, ChoosesRule) {
  std::vector<RuleSpec> rules;
  for (const std::string& p : GetParam().patterns) {
    rules.push_back({p, "read"});
  }
  Policy policy = MakePolicy("p", rules);
  auto acl = CompileOne(policy);
  const Acl::Rule* rule = acl->Match(GetParam().path, false);
  EXPECT_EQ(rule ? rule->pattern : "", GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    Precedence, AclMatchTest,
    testing::Values(
        MatchCase{"ExactOnly", {"secret/foo"}, "secret/foo", "secret/foo"},
        MatchCase{"ExactNeedsWholePath", {"secret/foo"}, "secret/foobar", ""},
        MatchCase{"ExactBeatsGlob", {"secret/*", "secret/foo"}, "secret/foo", "secret/foo"},
        MatchCase{
            "ExactBeatsLongerGlob", {"secret/foo*", "secret/foo"}, "secret/foo", "secret/foo"},
        MatchCase{"ExactBeatsPlus", {"secret/+", "secret/foo"}, "secret/foo", "secret/foo"},
        MatchCase{"GlobMatchesItsPrefix", {"secret/*"}, "secret/", "secret/*"},
        MatchCase{"GlobMatchesDeep", {"secret/*"}, "secret/a/b/c", "secret/*"},
        MatchCase{"GlobWithoutSlash", {"secret*"}, "secret", "secret*"},
        MatchCase{"GlobNotBelow", {"secret/a*"}, "secret/b", ""},
        MatchCase{"LongestPrefixWins",
                  {"secret/*", "secret/a/*", "secret/a/b*"},
                  "secret/a/bc",
                  "secret/a/b*"},
        MatchCase{"LongestPrefixSkipsNonMatching",
                  {"secret/*", "secret/a/*", "secret/ab*"},
                  "secret/a/x",
                  "secret/a/*"},
        MatchCase{"PlusOneSegment", {"secret/+/teamb"}, "secret/x/teamb", "secret/+/teamb"},
        MatchCase{"PlusNotTwoSegments", {"secret/+/teamb"}, "secret/x/y/teamb", ""},
        MatchCase{"PlusNotZeroSegments", {"secret/+/teamb"}, "secret/teamb", ""},
        MatchCase{"TwoPluses", {"secret/+/+/teamb"}, "secret/x/y/teamb", "secret/+/+/teamb"},
        MatchCase{"PlusAtEnd", {"secret/+"}, "secret/x", "secret/+"},
        MatchCase{"PlusAtEndNotDeeper", {"secret/+"}, "secret/x/y", ""},
        MatchCase{"PlusWithGlob", {"secret/+/data/*"}, "secret/a/data/b/c", "secret/+/data/*"},
        MatchCase{
            "PlusWithGlobPartialSegment", {"secret/+/da*"}, "secret/a/data/x", "secret/+/da*"},
        MatchCase{"PlusWithGlobNeedsSegment", {"secret/+/*"}, "secret/a", ""},
        MatchCase{"PlusLiteralInsideSegment", {"secret/a+b"}, "secret/a+b", "secret/a+b"},
        MatchCase{"PlusLiteralNotWildcard", {"secret/a+b"}, "secret/axb", ""},
        // Later first wildcard wins over an earlier one, whatever the kind.
        MatchCase{"LaterWildcardBeatsEarlierPlus",
                  {"secret/+/foo/bar", "secret/a/+/bar"},
                  "secret/a/foo/bar",
                  "secret/a/+/bar"},
        MatchCase{
            "LaterPlusBeatsShorterGlob", {"secret/*", "secret/a/+"}, "secret/a/b", "secret/a/+"},
        MatchCase{
            "LaterGlobBeatsEarlierPlus", {"secret/+/b", "secret/a/*"}, "secret/a/b", "secret/a/*"},
        // Same first wildcard: no trailing '*' wins.
        MatchCase{"NoGlobBeatsGlob", {"secret/+/x*", "secret/+/xy"}, "secret/a/xy", "secret/+/xy"},
        MatchCase{
            "PlusBeatsGlobAtSameIndex", {"secret/a/*", "secret/a/+"}, "secret/a/b", "secret/a/+"},
        // Then fewer '+'.
        MatchCase{"FewerPlusesWin", {"a/+/+/d", "a/+/c/d"}, "a/b/c/d", "a/+/c/d"},
        // Then longer.
        MatchCase{"LongerWins", {"a/+/c*", "a/+/cd*"}, "a/b/cde", "a/+/cd*"},
        MatchCase{"FewerPlusesWinAtEnd", {"x/+/yy", "x/+/+"}, "x/a/yy", "x/+/yy"},
        MatchCase{"OnlyMatchingSegmentRulesCompete", {"a/+/b*", "a/+/c*"}, "a/x/b", "a/+/b*"},
        MatchCase{"LeadingSlashIgnored", {"secret/a"}, "secret/a", "secret/a"},
        MatchCase{"NoRuleNoMatch", {"secret/*"}, "kv/a", ""}));

// ---- authorisation of operations ------------------------------------------------------------

struct AuthCase {
  std::string name;
  std::vector<RuleSpec> rules;
  Operation op;
  std::string path;
  bool allowed;
  bool via_profile = false;
};

class AclAuthorizeTest : public testing::TestWithParam<AuthCase> {};

TEST_P(AclAuthorizeTest, Decides) {
  Policy policy = MakePolicy("p", GetParam().rules);
  auto acl = CompileOne(policy);
  Status s = acl->Authorize(GetParam().op, GetParam().path, {}, GetParam().via_profile);
  EXPECT_EQ(s.ok(), GetParam().allowed) << s.ToString();
  if (!s.ok()) {
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Operations, AclAuthorizeTest,
    testing::Values(
        AuthCase{"ReadWithRead", {{"s/a", "read"}}, Operation::kRead, "s/a", true},
        AuthCase{"UpdateNeedsUpdate", {{"s/a", "read"}}, Operation::kUpdate, "s/a", false},
        AuthCase{"CreateNeedsCreate", {{"s/a", "update"}}, Operation::kCreate, "s/a", false},
        AuthCase{"CreateWithCreate", {{"s/a", "create"}}, Operation::kCreate, "s/a", true},
        AuthCase{"PatchNeedsPatch", {{"s/a", "update"}}, Operation::kPatch, "s/a", false},
        AuthCase{"PatchWithPatch", {{"s/a", "patch"}}, Operation::kPatch, "s/a", true},
        AuthCase{"DeleteWithDelete", {{"s/a", "delete"}}, Operation::kDelete, "s/a", true},
        AuthCase{"ListWithList", {{"s/a/", "list"}}, Operation::kList, "s/a/", true},
        AuthCase{"ListTriesWithoutSlash", {{"s/a", "list"}}, Operation::kList, "s/a/", true},
        AuthCase{"ListExactWithoutSlashBeatsGlob",
                 {{"s/a", "list"}, {"s/*", "deny"}},
                 Operation::kList,
                 "s/a/",
                 true},
        AuthCase{
            "ListSegmentRuleWithoutSlash", {{"s/+/b", "list"}}, Operation::kList, "s/a/b/", true},
        AuthCase{"ReadDoesNotTrimSlash", {{"s/a", "read"}}, Operation::kRead, "s/a/", false},
        AuthCase{"NoRuleDenies", {{"s/a", "read"}}, Operation::kRead, "s/b", false},
        AuthCase{"EmptyPolicyDenies", {}, Operation::kRead, "s/b", false},
        AuthCase{"DenyDominatesRule",
                 {{"s/a", "read"}, {"s/a", "deny"}},
                 Operation::kRead,
                 "s/a",
                 false},
        AuthCase{"DenyOnChosenRuleOnly",
                 {{"s/*", "deny"}, {"s/a", "read"}},
                 Operation::kRead,
                 "s/a",
                 true},
        AuthCase{"DenyGlobCoversOthers",
                 {{"s/*", "deny"}, {"s/a", "read"}},
                 Operation::kRead,
                 "s/b",
                 false},
        AuthCase{"DifferentPatternsNeverCombine",
                 {{"s/*", "read"}, {"s/a", "update"}},
                 Operation::kRead,
                 "s/a",
                 false},
        AuthCase{"DirectDenyRefusesDirect",
                 {{"s/a", "read,direct-deny"}},
                 Operation::kRead,
                 "s/a",
                 false},
        AuthCase{"DirectDenyIgnoredViaProfile",
                 {{"s/a", "read,direct-deny"}},
                 Operation::kRead,
                 "s/a",
                 true,
                 true},
        AuthCase{"DirectDenyAloneGrantsNothing",
                 {{"s/a", "direct-deny"}},
                 Operation::kRead,
                 "s/a",
                 false,
                 true},
        AuthCase{
            "DenyStillDeniesViaProfile", {{"s/a", "deny"}}, Operation::kRead, "s/a", false, true},
        AuthCase{
            "SudoPathNeedsSudo", {{"sys/seal", "update"}}, Operation::kUpdate, "sys/seal", false},
        AuthCase{"SudoPathWithSudo",
                 {{"sys/seal", "update,sudo"}},
                 Operation::kUpdate,
                 "sys/seal",
                 true},
        AuthCase{
            "SudoAloneIsNotUpdate", {{"sys/seal", "sudo"}}, Operation::kUpdate, "sys/seal", false},
        AuthCase{"AuthMountNeedsSudo",
                 {{"sys/auth/*", "create,update"}},
                 Operation::kUpdate,
                 "sys/auth/userpass",
                 false},
        AuthCase{"AuthListNoSudo", {{"sys/auth", "read"}}, Operation::kRead, "sys/auth", true},
        AuthCase{"LeaseLookupListNeedsSudo",
                 {{"sys/leases/lookup/*", "list"}},
                 Operation::kList,
                 "sys/leases/lookup/secret/",
                 false},
        AuthCase{"LeaseLookupUpdateNoSudo",
                 {{"sys/leases/lookup", "update"}},
                 Operation::kUpdate,
                 "sys/leases/lookup",
                 true},
        AuthCase{"AccessorsNeedSudo",
                 {{"auth/token/accessors/", "list"}},
                 Operation::kList,
                 "auth/token/accessors/",
                 false},
        AuthCase{"AccessorsWithSudo",
                 {{"auth/token/accessors/", "list,sudo"}},
                 Operation::kList,
                 "auth/token/accessors/",
                 true}));

struct DecideCase {
  std::string name;
  std::vector<RuleSpec> rules;
  Operation op;
  std::string path;
  AclDecision want;
};

class AclDecideTest : public testing::TestWithParam<DecideCase> {};

TEST_P(AclDecideTest, GivesReason) {
  Policy policy = MakePolicy("p", GetParam().rules);
  EXPECT_EQ(CompileOne(policy)->Decide(GetParam().op, GetParam().path, {}), GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    Reasons, AclDecideTest,
    testing::Values(
        DecideCase{"Allow", {{"s/a", "read"}}, Operation::kRead, "s/a", AclDecision::kAllow},
        DecideCase{"NoRule", {{"s/a", "read"}}, Operation::kRead, "s/b", AclDecision::kNoRule},
        DecideCase{"Deny", {{"s/a", "deny"}}, Operation::kRead, "s/a", AclDecision::kDeny},
        DecideCase{"DirectDeny",
                   {{"s/a", "read,direct-deny"}},
                   Operation::kRead,
                   "s/a",
                   AclDecision::kDeny},
        DecideCase{"NoCapability",
                   {{"s/a", "read"}},
                   Operation::kDelete,
                   "s/a",
                   AclDecision::kNoCapability},
        DecideCase{"NoSudo",
                   {{"sys/rotate", "update"}},
                   Operation::kUpdate,
                   "sys/rotate",
                   AclDecision::kNoSudo}),
    [](const auto& info) { return info.param.name; });

TEST(AclTest, DecideParameters) {
  Policy policy;
  policy.name = "p";
  PathRule rule;
  rule.pattern = "s/a";
  rule.capabilities = kCapUpdate;
  rule.required_parameters = {"k"};
  policy.rules.push_back(rule);
  EXPECT_EQ(CompileOne(policy)->Decide(Operation::kUpdate, "s/a", {}), AclDecision::kParameters);
}

TEST(AclTest, SameRuleInTwoPoliciesMerges) {
  Policy a = MakePolicy("a", {{"s/x", "read"}});
  Policy b = MakePolicy("b", {{"s/x", "update"}});
  auto acl = Acl::Compile({&a, &b});
  EXPECT_TRUE(acl->Authorize(Operation::kRead, "s/x", {}).ok());
  EXPECT_TRUE(acl->Authorize(Operation::kUpdate, "s/x", {}).ok());
}

TEST(AclTest, DenyInOnePolicyDominatesMergedRule) {
  Policy a = MakePolicy("a", {{"s/x", "read"}});
  Policy b = MakePolicy("b", {{"s/x", "deny"}});
  auto acl = Acl::Compile({&a, &b});
  EXPECT_FALSE(acl->Authorize(Operation::kRead, "s/x", {}).ok());
  auto reversed = Acl::Compile({&b, &a});
  EXPECT_FALSE(reversed->Authorize(Operation::kRead, "s/x", {}).ok());
}

TEST(AclTest, RootPolicyAllowsEverything) {
  Policy root = MakePolicy("root", {});
  auto acl = CompileOne(root);
  EXPECT_TRUE(acl->is_root());
  EXPECT_TRUE(acl->Authorize(Operation::kUpdate, "sys/seal", {}).ok());
  EXPECT_EQ(acl->Capabilities("anything"), std::vector<std::string>{"root"});
}

// ---- capabilities endpoint view -------------------------------------------------------------

struct CapsCase {
  std::string name;
  std::vector<RuleSpec> rules;
  std::string path;
  std::vector<std::string> want;
};

class AclCapabilitiesTest : public testing::TestWithParam<CapsCase> {};

TEST_P(AclCapabilitiesTest, Lists) {
  Policy policy = MakePolicy("p", GetParam().rules);
  EXPECT_EQ(CompileOne(policy)->Capabilities(GetParam().path), GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    View, AclCapabilitiesTest,
    testing::Values(CapsCase{"Sorted",
                             {{"s/a", "update,read,list,create"}},
                             "s/a",
                             {"create", "list", "read", "update"}},
                    CapsCase{"NoRule", {{"s/a", "read"}}, "s/b", {"deny"}},
                    CapsCase{"Deny", {{"s/a", "deny"}}, "s/a", {"deny"}},
                    CapsCase{"DirectDenyShowsDeny", {{"s/a", "read,direct-deny"}}, "s/a", {"deny"}},
                    CapsCase{"Sudo", {{"s/a", "read,sudo"}}, "s/a", {"read", "sudo"}},
                    CapsCase{"Glob", {{"s/*", "read"}}, "s/deep/path", {"read"}}));

// ---- parameters -----------------------------------------------------------------------------

std::vector<ParameterValue> Vals(std::vector<std::string> strings) {
  std::vector<ParameterValue> out;
  for (std::string& s : strings) {
    out.push_back({.is_string = true, .text = std::move(s)});
  }
  return out;
}

struct ParamCase {
  std::string name;
  std::optional<ParameterMap> allowed;
  ParameterMap denied;
  std::vector<std::string> required;
  std::string body;  // JSON object
  bool allowed_result;
  Operation op = Operation::kUpdate;
};

class AclParametersTest : public testing::TestWithParam<ParamCase> {};

TEST_P(AclParametersTest, Checks) {
  Policy policy;
  policy.name = "p";
  PathRule rule;
  rule.pattern = "s/a";
  rule.capabilities = kCapRead | kCapCreate | kCapUpdate | kCapPatch | kCapDelete | kCapList;
  rule.allowed_parameters = GetParam().allowed;
  rule.denied_parameters = GetParam().denied;
  rule.required_parameters = GetParam().required;
  policy.rules.push_back(rule);
  auto acl = CompileOne(policy);
  boost::json::object body = boost::json::parse(GetParam().body).as_object();
  EXPECT_EQ(acl->Authorize(GetParam().op, "s/a", body).ok(), GetParam().allowed_result);
}

INSTANTIATE_TEST_SUITE_P(
    Parameters, AclParametersTest,
    testing::Values(
        ParamCase{"NoRestrictions", std::nullopt, {}, {}, R"({"a":1})", true},
        ParamCase{"RequiredPresent", std::nullopt, {}, {"a"}, R"({"a":1})", true},
        ParamCase{"RequiredMissing", std::nullopt, {}, {"a"}, R"({"b":1})", false},
        ParamCase{"RequiredMissingEmptyBody", std::nullopt, {}, {"a"}, R"({})", false},
        ParamCase{"RequiredCaseInsensitive", std::nullopt, {}, {"a"}, R"({"A":1})", true},
        ParamCase{"DeniedAnyValue", std::nullopt, {{"a", {}}}, {}, R"({"a":"x"})", false},
        ParamCase{"DeniedOtherKeyPasses", std::nullopt, {{"a", {}}}, {}, R"({"b":"x"})", true},
        ParamCase{
            "DeniedValueListed", std::nullopt, {{"a", Vals({"x"})}}, {}, R"({"a":"x"})", false},
        ParamCase{
            "DeniedValueNotListed", std::nullopt, {{"a", Vals({"x"})}}, {}, R"({"a":"y"})", true},
        ParamCase{"DeniedPrefixGlob",
                  std::nullopt,
                  {{"a", Vals({"pre-*"})}},
                  {},
                  R"({"a":"pre-x"})",
                  false},
        ParamCase{"DeniedSuffixGlob",
                  std::nullopt,
                  {{"a", Vals({"*-suf"})}},
                  {},
                  R"({"a":"x-suf"})",
                  false},
        ParamCase{"DeniedSuffixGlobMiss",
                  std::nullopt,
                  {{"a", Vals({"*-suf"})}},
                  {},
                  R"({"a":"x-sux"})",
                  true},
        ParamCase{"DeniedStarKeyRefusesAll", std::nullopt, {{"*", {}}}, {}, R"({"z":1})", false},
        ParamCase{"DeniedStarKeyEmptyBodyPasses", std::nullopt, {{"*", {}}}, {}, R"({})", true},
        ParamCase{"AllowedKeyAnyValue", ParameterMap{{"a", {}}}, {}, {}, R"({"a":"q"})", true},
        ParamCase{"AllowedOtherKeyRefused", ParameterMap{{"a", {}}}, {}, {}, R"({"b":"q"})", false},
        ParamCase{"AllowedValueListed",
                  ParameterMap{{"a", Vals({"x", "y"})}},
                  {},
                  {},
                  R"({"a":"y"})",
                  true},
        ParamCase{"AllowedValueNotListed",
                  ParameterMap{{"a", Vals({"x", "y"})}},
                  {},
                  {},
                  R"({"a":"z"})",
                  false},
        ParamCase{"AllowedGlobValue",
                  ParameterMap{{"a", Vals({"web-*"})}},
                  {},
                  {},
                  R"({"a":"web-1"})",
                  true},
        ParamCase{"AllowedStarKeyRest",
                  ParameterMap{{"a", Vals({"x"})}, {"*", {}}},
                  {},
                  {},
                  R"({"a":"x","b":"anything"})",
                  true},
        ParamCase{"AllowedStarKeyStillLimitsNamed",
                  ParameterMap{{"a", Vals({"x"})}, {"*", {}}},
                  {},
                  {},
                  R"({"a":"y"})",
                  false},
        ParamCase{"AllowedOnlyStar", ParameterMap{{"*", {}}}, {}, {}, R"({"q":1})", true},
        ParamCase{
            "DeniedBeatsAllowed", ParameterMap{{"*", {}}}, {{"a", {}}}, {}, R"({"a":1})", false},
        ParamCase{"NumberMatchesNumber",
                  ParameterMap{{"n", {ParameterValue{.is_string = false, .text = "5"}}}},
                  {},
                  {},
                  R"({"n":5})",
                  true},
        ParamCase{"NumberMismatch",
                  ParameterMap{{"n", {ParameterValue{.is_string = false, .text = "5"}}}},
                  {},
                  {},
                  R"({"n":6})",
                  false},
        ParamCase{"StringIsNotNumber",
                  ParameterMap{{"n", {ParameterValue{.is_string = false, .text = "5"}}}},
                  {},
                  {},
                  R"({"n":"5"})",
                  false},
        ParamCase{
            "ChecksOnRead", ParameterMap{{"a", {}}}, {}, {}, R"({"b":1})", false, Operation::kRead},
        ParamCase{"ChecksOnCreate",
                  ParameterMap{{"a", {}}},
                  {},
                  {},
                  R"({"b":1})",
                  false,
                  Operation::kCreate},
        ParamCase{"ChecksOnPatch",
                  ParameterMap{{"a", {}}},
                  {},
                  {},
                  R"({"b":1})",
                  false,
                  Operation::kPatch},
        ParamCase{
            "SkipsDelete", ParameterMap{{"a", {}}}, {}, {}, R"({"b":1})", true, Operation::kDelete},
        ParamCase{
            "SkipsList", ParameterMap{{"a", {}}}, {}, {}, R"({"b":1})", true, Operation::kList}));

TEST(AclTest, MergedAllowedParametersUnion) {
  Policy a;
  a.name = "a";
  PathRule ra;
  ra.pattern = "s/a";
  ra.capabilities = kCapUpdate;
  ra.allowed_parameters = ParameterMap{{"k", Vals({"x"})}};
  a.rules.push_back(ra);
  Policy b = a;
  b.name = "b";
  b.rules[0].allowed_parameters = ParameterMap{{"k", Vals({"y"})}};
  auto acl = Acl::Compile({&a, &b});
  EXPECT_TRUE(acl->Authorize(Operation::kUpdate, "s/a", {{"k", "x"}}).ok());
  EXPECT_TRUE(acl->Authorize(Operation::kUpdate, "s/a", {{"k", "y"}}).ok());
  EXPECT_FALSE(acl->Authorize(Operation::kUpdate, "s/a", {{"k", "z"}}).ok());
}

TEST(AclTest, MergedEmptyAllowedListMeansAny) {
  Policy a;
  a.name = "a";
  PathRule ra;
  ra.pattern = "s/a";
  ra.capabilities = kCapUpdate;
  ra.allowed_parameters = ParameterMap{{"k", Vals({"x"})}};
  a.rules.push_back(ra);
  Policy b = a;
  b.name = "b";
  b.rules[0].allowed_parameters = ParameterMap{{"k", {}}};
  auto acl = Acl::Compile({&a, &b});
  EXPECT_TRUE(acl->Authorize(Operation::kUpdate, "s/a", {{"k", "anything"}}).ok());
}

TEST(AclTest, AuthorizeFromRequestUsesViaProfile) {
  Policy p = MakePolicy("p", {{"s/a", "read,direct-deny"}});
  auto acl = CompileOne(p);
  framework::Request req;
  req.operation = Operation::kRead;
  req.path = "s/a";
  EXPECT_FALSE(acl->Authorize(req).ok());
  req.via_profile = true;
  EXPECT_TRUE(acl->Authorize(req).ok());
}

TEST(AclTest, HasAnyCapabilityUnder) {
  Policy p =
      MakePolicy("p", {{"secret/data/app/*", "read"}, {"kv/+/x", "read"}, {"denied/*", "deny"}});
  auto acl = CompileOne(p);
  EXPECT_TRUE(acl->HasAnyCapabilityUnder("secret/"));
  EXPECT_TRUE(acl->HasAnyCapabilityUnder("kv/"));
  EXPECT_FALSE(acl->HasAnyCapabilityUnder("denied/"));
  EXPECT_FALSE(acl->HasAnyCapabilityUnder("other/"));
}

// ---- helpers ------------------------------------------------------------------------------

struct GlobCase {
  std::string glob;
  std::string value;
  bool match;
};

class GlobMatchTest : public testing::TestWithParam<GlobCase> {};

TEST_P(GlobMatchTest, Matches) {
  EXPECT_EQ(GlobMatch(GetParam().glob, GetParam().value), GetParam().match);
}

INSTANTIATE_TEST_SUITE_P(
    Globs, GlobMatchTest,
    testing::Values(GlobCase{"abc", "abc", true}, GlobCase{"abc", "abd", false},
                    GlobCase{"ab*", "abz", true}, GlobCase{"ab*", "xab", false},
                    GlobCase{"*ab", "xab", true}, GlobCase{"*ab", "abx", false},
                    GlobCase{"*b*", "abc", true}, GlobCase{"*b*", "ac", false},
                    GlobCase{"*", "*", true}, GlobCase{"*", "x", false}));

struct SudoCase {
  Operation op;
  std::string path;
  bool sudo;
};

class RequiresSudoTest : public testing::TestWithParam<SudoCase> {};

TEST_P(RequiresSudoTest, Lists) {
  EXPECT_EQ(RequiresSudo(GetParam().op, GetParam().path), GetParam().sudo) << GetParam().path;
}

INSTANTIATE_TEST_SUITE_P(
    Paths, RequiresSudoTest,
    testing::Values(SudoCase{Operation::kUpdate, "sys/seal", true},
                    SudoCase{Operation::kUpdate, "sys/rotate", true},
                    SudoCase{Operation::kUpdate, "sys/auth/userpass", true},
                    SudoCase{Operation::kRead, "sys/auth", false},
                    SudoCase{Operation::kRead, "sys/audit", true},
                    SudoCase{Operation::kUpdate, "sys/audit/file", true},
                    SudoCase{Operation::kList, "sys/leases/lookup/secret/", true},
                    SudoCase{Operation::kUpdate, "sys/leases/lookup", false},
                    SudoCase{Operation::kUpdate, "sys/leases/revoke-prefix/secret", true},
                    SudoCase{Operation::kUpdate, "sys/leases/revoke-force/secret", true},
                    SudoCase{Operation::kList, "auth/token/accessors/", true},
                    SudoCase{Operation::kUpdate, "auth/token/revoke-orphan", true},
                    SudoCase{Operation::kUpdate, "auth/token/revoke", false},
                    SudoCase{Operation::kUpdate, "sys/profiles/debug/p", true},
                    SudoCase{Operation::kUpdate, "sys/profiles/execute/p", false},
                    SudoCase{Operation::kUpdate, "auth/jwt/cel/role/r/debug", true},
                    SudoCase{Operation::kUpdate, "pki/cel/role/r/debug", true},
                    SudoCase{Operation::kUpdate, "pki/cel/role/debug", false},
                    SudoCase{Operation::kRead, "secret/data/x", false}));

}  // namespace
}  // namespace cellar::core
