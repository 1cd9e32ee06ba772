// src/core/keyring_test.cc: key terms rotate and survive serialisation; corrupt text is refused.
#include "core/keyring.h"

#include <gtest/gtest.h>

#include "core/seal_config.h"

namespace cellar::core {
namespace {

const TimePoint kT0 = TimePoint(std::chrono::seconds(1'700'000'000));

TEST(KeyringTest, CreateHasTermOne) {
  Keyring ring = Keyring::Create(kT0);
  EXPECT_EQ(ring.active_term(), 1u);
  EXPECT_EQ(ring.active().key.size(), 32u);
  EXPECT_EQ(ring.active().install_time, kT0);
}

TEST(KeyringTest, RotateAddsTermAndKeepsOld) {
  Keyring one = Keyring::Create(kT0);
  Keyring two = one.Rotated(kT0 + std::chrono::hours(1));
  EXPECT_EQ(two.active_term(), 2u);
  ASSERT_NE(two.Find(1), nullptr);
  EXPECT_EQ(two.Find(1)->key, one.active().key);
  EXPECT_NE(two.active().key, one.active().key);
  EXPECT_EQ(one.active_term(), 1u);  // the original is unchanged
}

TEST(KeyringTest, SerializeRoundTrips) {
  Keyring ring = Keyring::Create(kT0).Rotated(kT0 + std::chrono::seconds(5));
  Keyring back = Keyring::Parse(ring.Serialize()).value();
  EXPECT_EQ(back.active_term(), 2u);
  EXPECT_EQ(back.size(), 2u);
  EXPECT_EQ(back.Find(1)->key, ring.Find(1)->key);
  EXPECT_EQ(back.active().install_time, kT0 + std::chrono::seconds(5));
}

class KeyringCorruptTest : public testing::TestWithParam<std::string_view> {};

TEST_P(KeyringCorruptTest, IsInternal) {
  EXPECT_EQ(Keyring::Parse(GetParam()).status().code(), StatusCode::kInternal);
}

INSTANTIATE_TEST_SUITE_P(
    All, KeyringCorruptTest,
    testing::Values("", "cellar-keyring-v1\nactive 1\n",
                    "cellar-keyring-v1\nactive 2\nterm 1 "
                    "0000000000000000000000000000000000000000000000000000000000000000 0\n",
                    "cellar-keyring-v1\nactive 1\nterm 1 00ff 0\n",
                    "other-header\nactive 1\nterm 1 "
                    "0000000000000000000000000000000000000000000000000000000000000000 0\n"));

TEST(SealConfigTest, RoundTrips) {
  SealConfig config{5, 3, "id-1", "cellar-cluster-ab"};
  SealConfig back = SealConfig::Parse(config.Serialize()).value();
  EXPECT_EQ(back.secret_shares, 5);
  EXPECT_EQ(back.secret_threshold, 3);
  EXPECT_EQ(back.cluster_id, "id-1");
  EXPECT_EQ(back.cluster_name, "cellar-cluster-ab");
}

TEST(SealConfigTest, RejectsThresholdAboveShares) {
  EXPECT_FALSE(SealConfig::Parse("shares=2\nthreshold=3\ncluster_id=a\ncluster_name=b\n").ok());
}

}  // namespace
}  // namespace cellar::core
