// src/engines/kv/kv_v2_test.cc: KV v2 through PathBackend on MemoryStorage, as request scripts,
// plus time, storage-layout and concurrency checks.
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>
#include <thread>

#include "engines/kv/kv_test_util.h"

namespace cellar::engines::kv {
namespace {

using framework::Operation;
constexpr Operation kRead = Operation::kRead, kUpdate = Operation::kUpdate,
                    kCreate = Operation::kCreate, kDelete = Operation::kDelete,
                    kList = Operation::kList, kPatch = Operation::kPatch;
constexpr StatusCode kOk = StatusCode::kOk, kInvalid = StatusCode::kInvalidArgument;

// FakeClock's default start, as Go prints it.
constexpr std::string_view kT0 = "2023-11-14T22:13:20Z";

struct Script {
  std::string name;
  std::vector<Step> steps;
};

class KvV2ScriptTest : public testing::TestWithParam<Script> {};

TEST_P(KvV2ScriptTest, Runs) {
  KvHarness kv("2");
  EXPECT_EQ(kv.Run(GetParam().steps), "");
}

const std::string kVm1 = R"({"version":1,"created_time":"2023-11-14T22:13:20Z","deletion_time":"",
                            "destroyed":false,"custom_metadata":null})";

INSTANTIATE_TEST_SUITE_P(
    All, KvV2ScriptTest,
    testing::Values(
        Script{"WriteReturnsVersionMetadata",
               {{kCreate, "data/app", R"({"data":{"a":1}})", kOk, kVm1}}},
        Script{"ReadLatest",
               {{kCreate, "data/app", R"({"data":{"a":1}})", kOk, kVm1},
                {kUpdate, "data/app", R"({"data":{"a":2}})", kOk, R"({"version":2})"},
                {kRead, "data/app", "{}", kOk, R"({"data":{"a":2},"metadata":{"version":2}})"}}},
        Script{"ReadOlderVersion",
               {{kCreate, "data/app", R"({"data":{"a":1}})"},
                {kUpdate, "data/app", R"({"data":{"a":2}})"},
                {kRead, "data/app", R"({"version":"1"})", kOk,
                 R"({"data":{"a":1},"metadata":{"version":1}})"}}},
        Script{"NonPositiveVersionReadsLatest",
               {{kCreate, "data/app", R"({"data":{"a":1}})"},
                {kUpdate, "data/app", R"({"data":{"a":2}})"},
                {kRead, "data/app", R"({"version":-1})", kOk, R"({"data":{"a":2}})"},
                {kRead, "data/app", R"({"version":0})", kOk, R"({"data":{"a":2}})"}}},
        Script{"TrailingSlashIsNotASecret",
               {{kCreate, "data/dir/", R"({"data":{"a":1}})", StatusCode::kUnknownPath, ""}}},
        Script{"ReadAbsentIsEmpty", {{kRead, "data/none", "{}", kOk, ""}}},
        Script{"ReadUnknownVersionIsEmpty",
               {{kCreate, "data/app", R"({"data":{"a":1}})"},
                {kRead, "data/app", R"({"version":7})", kOk, ""}}},
        Script{"WriteWithoutDataRefused",
               {{kCreate, "data/app", "{}", kInvalid, "no data provided"}}},
        Script{"CasZeroCreatesOnlyOnce",
               {{kCreate, "data/c", R"({"data":{"a":1},"options":{"cas":0}})", kOk, kVm1},
                {kUpdate, "data/c", R"({"data":{"a":2},"options":{"cas":0}})",
                 StatusCode::kFailedPrecondition,
                 "check-and-set parameter did not match the current version"},
                {kUpdate, "data/c", R"({"data":{"a":2},"options":{"cas":"1"}})", kOk,
                 R"({"version":2})"}}},
        Script{"CasBadTypeRefused",
               {{kCreate, "data/c", R"({"data":{"a":1},"options":{"cas":"x"}})", kInvalid,
                 "error parsing check-and-set parameter"}}},
        Script{"CasRequiredByMount",
               {{kUpdate, "config", R"({"cas_required":true})"},
                {kCreate, "data/c", R"({"data":{"a":1}})", kInvalid,
                 "check-and-set parameter required for this call"},
                {kCreate, "data/c", R"({"data":{"a":1},"options":{"cas":0}})", kOk,
                 R"({"version":1})"}}},
        Script{"CasRequiredByKey",
               {{kCreate, "metadata/c", R"({"cas_required":"true"})"},
                {kCreate, "data/c", R"({"data":{"a":1}})", kInvalid, "required"},
                {kCreate, "data/other", R"({"data":{"a":1}})", kOk, R"({"version":1})"}}},
        Script{"SoftDeleteLatestHidesData",
               {{kCreate, "data/d", R"({"data":{"a":1}})"},
                {kDelete, "data/d", "{}", kOk, ""},
                {kRead, "data/d", "{}", kOk,
                 R"({"data":null,"metadata":{"version":1,"deletion_time":"2023-11-14T22:13:20Z",
                     "destroyed":false}})",
                 404}}},
        Script{
            "UndeleteRestores",
            {{kCreate, "data/d", R"({"data":{"a":1}})"},
             {kDelete, "data/d", "{}", kOk, ""},
             {kUpdate, "undelete/d", R"({"versions":[1]})"},
             {kRead, "data/d", "{}", kOk, R"({"data":{"a":1},"metadata":{"deletion_time":""}})"}}},
        Script{"DeleteVersionsByList",
               {{kCreate, "data/d", R"({"data":{"a":1}})"},
                {kUpdate, "data/d", R"({"data":{"a":2}})"},
                {kUpdate, "delete/d", R"({"versions":"1"})"},
                {kRead, "data/d", R"({"version":1})", kOk, R"({"data":null})", 404},
                {kRead, "data/d", "{}", kOk, R"({"data":{"a":2}})"}}},
        Script{"DeleteNeedsVersions",
               {{kCreate, "data/d", R"({"data":{"a":1}})"},
                {kUpdate, "delete/d", "{}", kInvalid, "no version number provided"}}},
        Script{"DeleteBadVersionRefused",
               {{kUpdate, "delete/d", R"({"versions":["x"]})", kInvalid, "\"versions\""}}},
        Script{"DestroyIsPermanent",
               {{kCreate, "data/d", R"({"data":{"a":1}})"},
                {kUpdate, "destroy/d", R"({"versions":[1]})"},
                {kRead, "data/d", "{}", kOk, R"({"data":null,"metadata":{"destroyed":true}})", 404},
                {kUpdate, "undelete/d", R"({"versions":[1]})"},
                {kRead, "data/d", "{}", kOk, R"({"data":null})", 404}}},
        Script{"PatchMerges",
               {{kCreate, "data/p", R"({"data":{"a":1,"b":{"c":2,"d":3}}})"},
                {kPatch, "data/p", R"({"data":{"a":null,"b":{"c":9},"e":5}})", kOk,
                 R"({"version":2})"},
                {kRead, "data/p", "{}", kOk, R"({"data":{"b":{"c":9,"d":3},"e":5}})"}}},
        Script{"PatchAbsentIsNotFound",
               {{kPatch, "data/p", R"({"data":{"a":1}})", StatusCode::kNotFound, ""}}},
        Script{"PatchDeletedIsNotFound",
               {{kCreate, "data/p", R"({"data":{"a":1}})"},
                {kDelete, "data/p", "{}", kOk, ""},
                {kPatch, "data/p", R"({"data":{"a":2}})", kOk,
                 R"({"version":1,"deletion_time":"2023-11-14T22:13:20Z"})", 404}}},
        Script{"PatchChecksCasBeforeDeletion",
               {{kCreate, "data/p", R"({"data":{"a":1}})"},
                {kDelete, "data/p", "{}", kOk, ""},
                {kPatch, "data/p", R"({"data":{"a":2},"options":{"cas":9}})",
                 StatusCode::kFailedPrecondition, "did not match"}}},
        Script{"PatchChecksCas",
               {{kCreate, "data/p", R"({"data":{"a":1}})"},
                {kPatch, "data/p", R"({"data":{"a":2},"options":{"cas":5}})",
                 StatusCode::kFailedPrecondition, "did not match"},
                {kPatch, "data/p", R"({"data":{"a":2},"options":{"cas":1}})", kOk,
                 R"({"version":2})"}}},
        Script{"MaxVersionsPrunesOldest",
               {{kUpdate, "config", R"({"max_versions":2})"},
                {kCreate, "data/m", R"({"data":{"v":1}})"},
                {kUpdate, "data/m", R"({"data":{"v":2}})"},
                {kUpdate, "data/m", R"({"data":{"v":3}})"},
                {kRead, "data/m", R"({"version":1})", kOk, ""},
                {kRead, "data/m", R"({"version":2})", kOk, R"({"data":{"v":2}})"},
                {kRead, "metadata/m", "{}", kOk,
                 R"({"current_version":3,"oldest_version":2,
                     "versions":{"2":{"destroyed":false},"3":{"destroyed":false}}})"}}},
        Script{"KeyMaxVersionsWinsOverMount",
               {{kUpdate, "config", R"({"max_versions":5})"},
                {kCreate, "metadata/m", R"({"max_versions":1})"},
                {kCreate, "data/m", R"({"data":{"v":1}})"},
                {kUpdate, "data/m", R"({"data":{"v":2}})"},
                {kRead, "data/m", R"({"version":1})", kOk, ""},
                {kRead, "metadata/m", "{}", kOk, R"({"oldest_version":2,"max_versions":1})"}}},
        Script{"MetadataShape",
               {{kCreate, "data/s", R"({"data":{"a":1}})"},
                {kRead, "metadata/s", "{}", kOk,
                 R"({"cas_required":false,"created_time":"2023-11-14T22:13:20Z",
                     "current_version":1,"custom_metadata":null,"delete_version_after":"0s",
                     "max_versions":0,"oldest_version":0,
                     "updated_time":"2023-11-14T22:13:20Z",
                     "versions":{"1":{"created_time":"2023-11-14T22:13:20Z",
                                      "deletion_time":"","destroyed":false}}})"}}},
        Script{
            "MetadataWriteWithoutFieldsCreatesNothing",
            {{kCreate, "metadata/empty", "{}", kOk, ""}, {kRead, "metadata/empty", "{}", kOk, ""}}},
        Script{"LoweredMaxVersionsPrunesOnNextWrite",
               {{kCreate, "data/m", R"({"data":{"v":1}})"},
                {kUpdate, "data/m", R"({"data":{"v":2}})"},
                {kUpdate, "data/m", R"({"data":{"v":3}})"},
                {kUpdate, "metadata/m", R"({"max_versions":1})", kOk, ""},
                {kRead, "data/m", R"({"version":1})", kOk, R"({"data":{"v":1}})"},
                {kUpdate, "data/m", R"({"data":{"v":4}})"},
                {kRead, "data/m", R"({"version":3})", kOk, ""},
                {kRead, "metadata/m", "{}", kOk,
                 R"({"oldest_version":4,"versions":{"4":{"destroyed":false}}})"}}},
        Script{"KeyCannotOptOutOfMountCas",
               {{kUpdate, "config", R"({"cas_required":true})"},
                {kCreate, "metadata/k", R"({"cas_required":false})", kOk, "*"},
                {kCreate, "data/k", R"({"data":{"a":1}})", kInvalid, "required"}}},
        Script{"MetadataAbsentIsEmpty", {{kRead, "metadata/none", "{}", kOk, ""}}},
        Script{"CustomMetadataShowsInVersionMetadata",
               {{kCreate, "metadata/cm", R"({"custom_metadata":{"owner":"ops","n":3}})"},
                {kCreate, "data/cm", R"({"data":{"a":1}})", kOk,
                 R"({"custom_metadata":{"owner":"ops","n":"3"}})"},
                {kRead, "data/cm", "{}", kOk,
                 R"({"metadata":{"custom_metadata":{"owner":"ops","n":"3"}}})"}}},
        Script{"MetadataPostReplacesCustomMetadata",
               {{kCreate, "metadata/cm", R"({"custom_metadata":{"a":"1","b":"2"}})"},
                {kUpdate, "metadata/cm", R"({"custom_metadata":{"c":"3"}})"},
                {kRead, "metadata/cm", "{}", kOk, R"({"custom_metadata":{"c":"3"}})"}}},
        Script{"MetadataPatchMergesCustomMetadata",
               {{kCreate, "metadata/cm", R"({"custom_metadata":{"a":"1","b":"2"}})"},
                {kPatch, "metadata/cm", R"({"custom_metadata":{"a":null,"c":"3"}})"},
                {kRead, "metadata/cm", "{}", kOk, R"({"custom_metadata":{"b":"2","c":"3"}})"}}},
        Script{"MetadataPatchKeepsUnsetSettings",
               {{kCreate, "metadata/cm", R"({"max_versions":4,"cas_required":true})"},
                {kPatch, "metadata/cm", R"({"max_versions":6})"},
                {kRead, "metadata/cm", "{}", kOk, R"({"max_versions":6,"cas_required":true})"}}},
        Script{"MetadataPatchAbsentIsNotFound",
               {{kPatch, "metadata/none", R"({"max_versions":1})", StatusCode::kNotFound, ""}}},
        Script{"MetadataDeleteErasesEverything",
               {{kCreate, "data/x", R"({"data":{"a":1}})"},
                {kUpdate, "data/x", R"({"data":{"a":2}})"},
                {kDelete, "metadata/x", "{}", kOk, ""},
                {kRead, "data/x", "{}", kOk, ""},
                {kRead, "data/x", R"({"version":1})", kOk, ""},
                {kRead, "metadata/x", "{}", kOk, ""}}},
        Script{"MetadataList",
               {{kCreate, "data/app/one", R"({"data":{"a":1}})"},
                {kCreate, "data/app/sub/two", R"({"data":{"a":1}})"},
                {kCreate, "data/top", R"({"data":{"a":1}})"},
                {kList, "metadata/", "{}", kOk, R"({"keys":["app/","top"]})"},
                {kList, "metadata", "{}", kOk, R"({"keys":["app/","top"]})"},
                {kList, "metadata/app/", "{}", kOk, R"({"keys":["one","sub/"]})"},
                {kList, "metadata/nothing/", "{}", kOk, ""}}},
        Script{"CustomMetadataTooManyKeys",
               {{kCreate, "metadata/cm",
                 [] {
                   std::string body = R"({"custom_metadata":{)";
                   for (int i = 0; i < 65; ++i) {
                     body += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":\"v\"";
                   }
                   return body + "}}";
                 }(),
                 kInvalid, "at most 64 keys"}}},
        Script{"ConfigDefaults",
               {{kRead, "config", "{}", kOk,
                 R"({"max_versions":0,"cas_required":false,"delete_version_after":"0s"})"}}},
        Script{"ConfigWriteAndRead",
               {{kUpdate, "config", R"({"max_versions":"7","delete_version_after":"1h30m"})"},
                {kUpdate, "config", R"({"cas_required":"true"})"},
                {kRead, "config", "{}", kOk,
                 R"({"max_versions":7,"cas_required":true,"delete_version_after":"1h30m0s"})"}}},
        Script{"ConfigBadTypeNamesField",
               {{kUpdate, "config", R"({"max_versions":"abc"})", kInvalid,
                 R"(error converting input "abc" for field "max_versions")"}}},
        Script{"ConfigNegativeMaxVersionsRefused",
               {{kUpdate, "config", R"({"max_versions":-1})", kInvalid, "negative"}}},
        Script{"SubkeysHidesValues",
               {{kCreate, "data/s", R"({"data":{"a":1,"b":{"c":{"d":2}},"e":[1]}})"},
                {kRead, "subkeys/s", "{}", kOk,
                 R"({"subkeys":{"a":null,"b":{"c":{"d":null}},"e":null},
                     "metadata":{"version":1}})"},
                {kRead, "subkeys/s", R"({"depth":1})", kOk,
                 R"({"subkeys":{"a":null,"b":null,"e":null}})"},
                {kRead, "subkeys/none", "{}", kOk, ""}}},
        Script{"SubkeysOfDeletedIs404",
               {{kCreate, "data/s", R"({"data":{"a":1}})"},
                {kDelete, "data/s", "{}", kOk, ""},
                {kRead, "subkeys/s", "{}", kOk, R"({"subkeys":null})", 404}}},
        Script{"UnknownPath", {{kRead, "bogus/x", "{}", StatusCode::kUnknownPath, ""}}},
        Script{"ListOnDataUnsupported", {{kList, "data/", "{}", StatusCode::kUnknownPath, ""}}},
        Script{"DeleteAbsentIsFine",
               {{kDelete, "data/none", "{}", kOk, ""}, {kDelete, "metadata/none", "{}", kOk, ""}}}),
    [](const testing::TestParamInfo<Script>& info) { return info.param.name; });

TEST(KvV2Test, ExistenceCheckSeesFirstWrite) {
  KvHarness kv("2");
  EXPECT_FALSE(*kv.Exists("data/k"));
  EXPECT_FALSE(*kv.Exists("metadata/k"));
  ASSERT_TRUE(kv.Call(kCreate, "data/k", R"({"data":{"a":1}})").ok());
  EXPECT_TRUE(*kv.Exists("data/k"));
  EXPECT_TRUE(*kv.Exists("metadata/k"));
  EXPECT_TRUE(*kv.Exists("config"));  // no check: always update
}

TEST(KvV2Test, MetadataOnlyKeyExists) {
  KvHarness kv("2");
  ASSERT_TRUE(kv.Call(kCreate, "metadata/k", R"({"max_versions":3})").ok());
  EXPECT_TRUE(*kv.Exists("data/k"));
}

TEST(KvV2Test, CasOptOutWarns) {
  KvHarness kv("2");
  ASSERT_TRUE(kv.Call(kUpdate, "config", R"({"cas_required":true})").ok());
  auto resp = kv.Call(kCreate, "metadata/k", R"({"cas_required":false})");
  ASSERT_TRUE(resp.ok());
  ASSERT_EQ(resp->warnings.size(), 1u);
  EXPECT_NE(resp->warnings[0].find("mandated by backend config"), std::string::npos);
}

TEST(KvV2Test, MetadataWriteKeepsUpdatedTime) {
  KvHarness kv("2");
  ASSERT_TRUE(kv.Call(kCreate, "data/k", R"({"data":{"a":1}})").ok());
  kv.clock().Advance(std::chrono::seconds(5));
  ASSERT_TRUE(kv.Call(kUpdate, "metadata/k", R"({"max_versions":3})").ok());
  auto meta = kv.Call(kRead, "metadata/k");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->data->at("updated_time").as_string(), kT0);
}

TEST(KvV2Test, UnknownFieldsWarn) {
  KvHarness kv("2");
  auto resp = kv.Call(kCreate, "data/k", R"({"data":{"a":1},"extra":true})");
  ASSERT_TRUE(resp.ok());
  ASSERT_EQ(resp->warnings.size(), 1u);
  EXPECT_EQ(resp->warnings[0], "Endpoint ignored these unrecognized parameters: [extra]");
}

TEST(KvV2Test, DeleteVersionAfterHidesVersionLater) {
  KvHarness kv("2");
  ASSERT_TRUE(kv.Call(kCreate, "metadata/t", R"({"delete_version_after":"1h"})").ok());
  auto written = kv.Call(kCreate, "data/t", R"({"data":{"a":1}})");
  ASSERT_TRUE(written.ok());
  EXPECT_EQ(written->data->at("deletion_time").as_string(), "2023-11-14T23:13:20Z");
  auto before = kv.Call(kRead, "data/t");
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->http_status, 0);
  kv.clock().Advance(std::chrono::hours(2));
  auto after = kv.Call(kRead, "data/t");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->http_status, 404);
  EXPECT_TRUE(after->data->at("data").is_null());
}

TEST(KvV2Test, UpdatedTimeFollowsClock) {
  KvHarness kv("2");
  ASSERT_TRUE(kv.Call(kCreate, "data/t", R"({"data":{"a":1}})").ok());
  kv.clock().Advance(std::chrono::milliseconds(1500));
  ASSERT_TRUE(kv.Call(kUpdate, "data/t", R"({"data":{"a":2}})").ok());
  auto meta = kv.Call(kRead, "metadata/t");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->data->at("created_time").as_string(), kT0);
  EXPECT_EQ(meta->data->at("updated_time").as_string(), "2023-11-14T22:13:21.5Z");
  EXPECT_EQ(meta->data->at("versions").at("2").at("created_time").as_string(),
            "2023-11-14T22:13:21.5Z");
}

TEST(KvV2Test, StoresOneRecordPerVersionAndDropsPruned) {
  KvHarness kv("2");
  ASSERT_TRUE(kv.Call(kUpdate, "config", R"({"max_versions":2})").ok());
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(kv.Call(kUpdate, "data/k", R"({"data":{"i":)" + std::to_string(i) + "}}").ok());
  }
  EXPECT_FALSE(kv.storage().Get("versions/k/1")->has_value());
  EXPECT_EQ(**kv.storage().Get("versions/k/3"), R"({"i":3})");
  EXPECT_TRUE(kv.storage().Get("metadata/k")->has_value());
}

TEST(KvV2Test, DestroyErasesStoredData) {
  KvHarness kv("2");
  ASSERT_TRUE(kv.Call(kCreate, "data/k", R"({"data":{"a":1}})").ok());
  ASSERT_TRUE(kv.storage().Get("versions/k/1")->has_value());
  ASSERT_TRUE(kv.Call(kUpdate, "destroy/k", R"({"versions":[1]})").ok());
  EXPECT_FALSE(kv.storage().Get("versions/k/1")->has_value());
}

TEST(KvV2Test, ConcurrentWritesGetDistinctVersions) {
  KvHarness kv("2");
  constexpr int kThreads = 4, kWrites = 25;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&kv] {
      for (int i = 0; i < kWrites; ++i) {
        (void)kv.Call(kUpdate, "data/shared", R"({"data":{"x":1}})");
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  auto meta = kv.Call(kRead, "metadata/shared");
  ASSERT_TRUE(meta.ok());
  EXPECT_EQ(meta->data->at("current_version").as_int64(), kThreads * kWrites);
}

TEST(KvV2Test, ConcurrentCasLetsOneWriterWinPerVersion) {
  KvHarness kv("2");
  std::atomic<int> wins{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      if (kv.Call(kUpdate, "data/once", R"({"data":{"x":1},"options":{"cas":0}})").ok()) {
        ++wins;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(wins.load(), 1);
}

}  // namespace
}  // namespace cellar::engines::kv
