// src/engines/kv/kv_v1_test.cc: KV v1 through PathBackend on MemoryStorage, as request scripts.
#include <gtest/gtest.h>

#include "engines/kv/kv.h"
#include "engines/kv/kv_test_util.h"

namespace cellar::engines::kv {
namespace {

using framework::Operation;
constexpr Operation kRead = Operation::kRead, kUpdate = Operation::kUpdate,
                    kCreate = Operation::kCreate, kDelete = Operation::kDelete,
                    kList = Operation::kList, kPatch = Operation::kPatch;

struct Script {
  std::string name;
  std::vector<Step> steps;
};

class KvV1ScriptTest : public testing::TestWithParam<Script> {};

TEST_P(KvV1ScriptTest, Runs) {
  KvHarness kv("1");
  EXPECT_EQ(kv.Run(GetParam().steps), "");
}

INSTANTIATE_TEST_SUITE_P(
    All, KvV1ScriptTest,
    testing::Values(
        Script{"WriteThenRead",
               {{kCreate, "app/db", R"({"user":"u","n":5})"},
                {kRead, "app/db", "{}", StatusCode::kOk, R"({"user":"u","n":5})"}}},
        Script{"WriteReplacesWholeObject",
               {{kCreate, "k", R"({"a":1,"b":2})"},
                {kUpdate, "k", R"({"c":3})"},
                {kRead, "k", "{}", StatusCode::kOk, R"({"c":3})"}}},
        Script{"ReadAbsentIsEmpty", {{kRead, "missing", "{}", StatusCode::kOk, ""}}},
        Script{"DeleteRemoves",
               {{kCreate, "k", R"({"a":1})"},
                {kDelete, "k", "{}", StatusCode::kOk, ""},
                {kRead, "k", "{}", StatusCode::kOk, ""}}},
        Script{"DeleteAbsentIsFine", {{kDelete, "nothing", "{}", StatusCode::kOk, ""}}},
        Script{"ListShowsFolders",
               {{kCreate, "a/b", R"({"x":1})"},
                {kCreate, "a/c/d", R"({"x":1})"},
                {kCreate, "e", R"({"x":1})"},
                {kList, "", "{}", StatusCode::kOk, R"({"keys":["a/","e"]})"},
                {kList, "a/", "{}", StatusCode::kOk, R"({"keys":["b","c/"]})"},
                {kList, "a", "{}", StatusCode::kOk, R"({"keys":["b","c/"]})"}}},
        Script{"ListEmptyIsEmpty", {{kList, "none/", "{}", StatusCode::kOk, ""}}},
        Script{"EmptyBodyRefused",
               {{kCreate, "k", "{}", StatusCode::kInvalidArgument, "missing data fields"}}},
        Script{"PatchUnsupported", {{kPatch, "k", R"({"a":1})", StatusCode::kUnsupported, ""}}},
        Script{"ArbitraryFieldsNoWarning",
               {{kCreate, "k", R"({"anything":{"nested":[1,2]}})"},
                {kRead, "k", "{}", StatusCode::kOk, R"({"anything":{"nested":[1,2]}})"}}}),
    [](const testing::TestParamInfo<Script>& info) { return info.param.name; });

TEST(KvV1Test, ExistenceCheckSeesWrites) {
  KvHarness kv("1");
  EXPECT_FALSE(*kv.Exists("k"));
  ASSERT_TRUE(kv.Call(kCreate, "k", R"({"a":1})").ok());
  EXPECT_TRUE(*kv.Exists("k"));
}

TEST(KvV1Test, ReadShowsMountDefaultAsLeaseDuration) {
  KvHarness kv("1");
  ASSERT_TRUE(kv.Call(kCreate, "k", R"({"a":1})").ok());
  auto resp = kv.Call(kRead, "k");
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->lease_duration, framework::Seconds(768 * 3600));
  EXPECT_TRUE(resp->lease_id.empty());
  EXPECT_FALSE(resp->lease.has_value());
}

TEST(KvV1Test, ReadShowsSecretTtlAsLeaseDuration) {
  KvHarness kv("1");
  ASSERT_TRUE(kv.Call(kCreate, "k", R"({"a":1,"ttl":"1h"})").ok());
  auto resp = kv.Call(kRead, "k");
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->lease_duration, framework::Seconds(3600));
}

TEST(KvV1Test, WriteReturnsNoWarnings) {
  KvHarness kv("1");
  auto resp = kv.Call(kCreate, "k", R"({"zzz":1})");
  ASSERT_TRUE(resp.ok());
  EXPECT_TRUE(resp->Empty());
}

struct FactoryCase {
  std::string type;
  std::string version;
  StatusCode code;
};

class KvFactoryTest : public testing::TestWithParam<FactoryCase> {};

TEST_P(KvFactoryTest, PicksVersion) {
  storage::MemoryStorage storage;
  framework::BackendConfig config;
  config.type = GetParam().type;
  if (!GetParam().version.empty()) {
    config.options["version"] = GetParam().version;
  }
  config.storage = &storage;
  auto backend = Factory(config);
  ASSERT_EQ(backend.status().code(), GetParam().code);
  if (backend.ok()) {
    EXPECT_EQ((*backend)->type(), framework::BackendType::kSecrets);
  }
}

INSTANTIATE_TEST_SUITE_P(All, KvFactoryTest,
                         testing::Values(FactoryCase{"kv", "", StatusCode::kOk},
                                         FactoryCase{"kv", "1", StatusCode::kOk},
                                         FactoryCase{"kv", "2", StatusCode::kOk},
                                         FactoryCase{"kv-v2", "", StatusCode::kOk},
                                         FactoryCase{"generic", "", StatusCode::kOk},
                                         FactoryCase{"kv", "3", StatusCode::kInvalidArgument}));

TEST(KvFactoryTest, V2MountServesConfigButV1DoesNot) {
  KvHarness v2("2");
  KvHarness v1("1");
  EXPECT_TRUE(v2.Call(kRead, "config").ok());
  auto v1_config = v1.Call(kRead, "config");
  ASSERT_TRUE(v1_config.ok());
  EXPECT_TRUE(v1_config->Empty());  // just an absent v1 secret named "config"
}

TEST(KvFactoryTest, RefusesMissingStorage) {
  framework::BackendConfig config;
  EXPECT_EQ(Factory(config).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::engines::kv
