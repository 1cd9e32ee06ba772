// src/engines/kv/key_metadata_test.cc: version bookkeeping and the storage round trip.
#include "engines/kv/key_metadata.h"

#include <gtest/gtest.h>

namespace cellar::engines::kv {
namespace {

TimePoint At(int64_t secs) { return TimePoint(std::chrono::seconds(secs)); }

struct PruneCase {
  int64_t key_max;
  int64_t mount_max;
  int writes;
  int64_t want_oldest;
  size_t want_kept;
};

class PruneTest : public testing::TestWithParam<PruneCase> {};

TEST_P(PruneTest, KeepsNewestVersions) {
  const PruneCase& c = GetParam();
  KvConfig config;
  config.max_versions = c.mount_max;
  KeyMetadata meta;
  meta.max_versions = c.key_max;
  for (int i = 0; i < c.writes; ++i) {
    meta.AddVersion(At(100 + i), config);
  }
  EXPECT_EQ(meta.current_version, c.writes);
  EXPECT_EQ(meta.oldest_version, c.want_oldest);
  EXPECT_EQ(meta.versions.size(), c.want_kept);
  EXPECT_EQ(meta.versions.rbegin()->first, c.writes);
}

INSTANTIATE_TEST_SUITE_P(All, PruneTest,
                         testing::Values(PruneCase{0, 0, 3, 0, 3},    // default 10
                                         PruneCase{0, 0, 12, 3, 10},  // default 10
                                         PruneCase{0, 2, 5, 4, 2},    // mount's
                                         PruneCase{3, 2, 5, 3, 3},    // key's wins
                                         PruneCase{1, 0, 4, 4, 1}));

TEST(KeyMetadataTest, AddVersionReturnsDroppedVersions) {
  KvConfig config;
  config.max_versions = 1;
  KeyMetadata meta;
  EXPECT_TRUE(meta.AddVersion(At(1), config).empty());
  EXPECT_EQ(meta.AddVersion(At(2), config), std::vector<int64_t>{1});
}

TEST(KeyMetadataTest, DeleteVersionAfterSetsFutureDeletion) {
  KvConfig config;
  config.delete_version_after = 60;
  KeyMetadata meta;
  meta.AddVersion(At(1000), config);
  const VersionInfo& v = meta.versions.at(1);
  EXPECT_FALSE(v.DeletedAt(At(1059)));
  EXPECT_TRUE(v.DeletedAt(At(1060)));
}

TEST(KeyMetadataTest, SerializeRoundTrips) {
  KeyMetadata meta;
  meta.max_versions = 4;
  meta.cas_required = true;
  meta.delete_version_after = 30;
  meta.custom_metadata["owner"] = "ops";
  meta.AddVersion(At(5), KvConfig{});
  meta.AddVersion(At(6), KvConfig{});
  meta.versions[1].destroyed = true;
  meta.versions[2].deletion_ns = 77;
  auto back = KeyMetadata::Parse(meta.Serialize());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->Serialize(), meta.Serialize());
  EXPECT_TRUE(back->versions.at(1).destroyed);
  EXPECT_EQ(back->versions.at(2).deletion_ns, 77);
}

TEST(KeyMetadataTest, CorruptRecordIsInternal) {
  EXPECT_EQ(KeyMetadata::Parse("not json").status().code(), StatusCode::kInternal);
  EXPECT_EQ(KeyMetadata::Parse(R"({"versions":{"1":[1]}})").status().code(), StatusCode::kInternal);
}

TEST(KeyMetadataTest, CasRequiredByEitherSide) {
  KvConfig config;
  KeyMetadata meta;
  EXPECT_FALSE(meta.CasRequired(config));
  config.cas_required = true;
  EXPECT_TRUE(meta.CasRequired(config));
  config.cas_required = false;
  meta.cas_required = true;
  EXPECT_TRUE(meta.CasRequired(config));
}

TEST(CustomMetadataTest, EnforcesVaultLimits) {
  boost::json::object ok{{"k", std::string(512, 'v')}};
  EXPECT_TRUE(ValidateCustomMetadata(ok).ok());
  boost::json::object long_value{{"k", std::string(513, 'v')}};
  EXPECT_EQ(ValidateCustomMetadata(long_value).code(), StatusCode::kInvalidArgument);
  boost::json::object long_key{{std::string(129, 'k'), "v"}};
  EXPECT_EQ(ValidateCustomMetadata(long_key).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::engines::kv
