// src/core/mount_manager_test.cc: enabling, routing, tuning, disabling and persisting mounts.
#include "core/mount_manager.h"

#include <gtest/gtest.h>

#include "core/fake_backend_testutil.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

class MountManagerTest : public testing::Test {
 protected:
  MountManagerTest() { EXPECT_TRUE(manager_.Load(&barrier_).ok()); }

  MountRequest Secrets(std::string path, std::string type = "fake") {
    MountRequest r;
    r.path = std::move(path);
    r.type = std::move(type);
    return r;
  }

  FakeClock clock_;
  storage::MemoryStorage barrier_;
  MountManager manager_{clock_, hours(768), hours(768), testing_util::FakeRegistry()};
};

TEST_F(MountManagerTest, FirstLoadMountsSysCubbyholeAndToken) {
  auto table = manager_.Snapshot();
  EXPECT_NE(table->Find("sys/"), nullptr);
  EXPECT_NE(table->Find("cubbyhole/"), nullptr);
  EXPECT_NE(table->Find("auth/token/"), nullptr);
  EXPECT_EQ(table->mounts().size(), 3u);
}

TEST_F(MountManagerTest, EnableGivesAccessorUuidAndRoutes) {
  auto mount = manager_.Enable(Secrets("team/app"));
  ASSERT_TRUE(mount.ok()) << mount.status().ToString();
  EXPECT_EQ((*mount)->route_path, "team/app/");
  EXPECT_TRUE((*mount)->entry.accessor.starts_with("fake_"));
  EXPECT_EQ((*mount)->entry.accessor.size(), 13u);
  EXPECT_EQ((*mount)->entry.uuid.size(), 36u);
  auto table = manager_.Snapshot();
  ASSERT_NE(table->Match("team/app/x/y"), nullptr);
  EXPECT_EQ(table->Match("team/app/x/y")->route_path, "team/app/");
  EXPECT_EQ(table->Match("team/app")->route_path, "team/app/");
  EXPECT_EQ(table->Match("team/other"), nullptr);
}

TEST_F(MountManagerTest, LongestPrefixWins) {
  ASSERT_TRUE(manager_.Enable(Secrets("a")).ok());
  auto table = manager_.Snapshot();
  EXPECT_EQ(table->Match("a/b/c")->route_path, "a/");
  // Auth mounts live under auth/ and never shadow secrets mounts.
  MountRequest auth = Secrets("userpass", "fakeauth");
  auth.kind = MountTableKind::kAuth;
  ASSERT_TRUE(manager_.Enable(auth).ok());
  EXPECT_EQ(manager_.Snapshot()->Match("auth/userpass/login/bob")->route_path, "auth/userpass/");
  EXPECT_EQ(manager_.Snapshot()->Match("auth/token/lookup-self")->route_path, "auth/token/");
}

struct RejectCase {
  std::string path;
  std::string type;
};

class MountRejectTest : public MountManagerTest, public testing::WithParamInterface<RejectCase> {};

TEST_P(MountRejectTest, RefusesReservedTakenAndUnknown) {
  ASSERT_TRUE(manager_.Enable(Secrets("taken")).ok());
  auto result = manager_.Enable(Secrets(GetParam().path, GetParam().type));
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << GetParam().path;
}

INSTANTIATE_TEST_SUITE_P(All, MountRejectTest,
                         testing::Values(RejectCase{"sys", "fake"}, RejectCase{"sys/x", "fake"},
                                         RejectCase{"auth/x", "fake"},
                                         RejectCase{"cubbyhole", "fake"},
                                         RejectCase{"taken", "fake"},
                                         RejectCase{"taken/inner", "fake"},
                                         RejectCase{"x", "nosuchtype"}, RejectCase{"x", "fakeauth"},
                                         RejectCase{"a/../b", "fake"}, RejectCase{"", "fake"}));

TEST_F(MountManagerTest, KvTypesAreCanonicalised) {
  auto v2 = manager_.Enable(Secrets("v2", "kv-v2"));
  ASSERT_TRUE(v2.ok());
  EXPECT_EQ((*v2)->entry.type, "kv");
  EXPECT_EQ((*v2)->entry.options.at("version"), "2");
  auto generic = manager_.Enable(Secrets("g", "generic"));
  ASSERT_TRUE(generic.ok());
  EXPECT_EQ((*generic)->entry.type, "kv");
  EXPECT_EQ((*generic)->entry.options.at("version"), "1");
}

TEST_F(MountManagerTest, TablesSurviveReload) {
  auto mount = manager_.Enable(Secrets("kept"));
  ASSERT_TRUE(mount.ok());
  std::string uuid = (*mount)->entry.uuid;
  manager_.Clear();
  EXPECT_EQ(manager_.Snapshot()->mounts().size(), 0u);
  ASSERT_TRUE(manager_.Load(&barrier_).ok());
  auto restored = manager_.Snapshot()->Find("kept/");
  ASSERT_NE(restored, nullptr);
  EXPECT_EQ(restored->entry.uuid, uuid);
  EXPECT_EQ(manager_.Snapshot()->mounts().size(), 4u);
}

TEST_F(MountManagerTest, DisableRemovesAndReturnsTheMount) {
  ASSERT_TRUE(manager_.Enable(Secrets("gone")).ok());
  auto removed = manager_.Disable(MountTableKind::kSecrets, "gone");
  ASSERT_TRUE(removed.ok());
  ASSERT_NE(*removed, nullptr);
  EXPECT_EQ((*removed)->route_path, "gone/");
  EXPECT_EQ(manager_.Snapshot()->Match("gone/x"), nullptr);
  auto again = manager_.Disable(MountTableKind::kSecrets, "gone");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, nullptr);
}

TEST_F(MountManagerTest, BuiltinMountsCannotBeDisabled) {
  EXPECT_EQ(manager_.Disable(MountTableKind::kSecrets, "sys").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(manager_.Disable(MountTableKind::kAuth, "token").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(MountManagerTest, TuneChangesTtlsSeenByTheBackend) {
  auto mount = manager_.Enable(Secrets("t"));
  ASSERT_TRUE(mount.ok());
  EXPECT_EQ((*mount)->runtime->system->DefaultLeaseTtl(), hours(768));
  TuneRequest tune;
  tune.default_lease_ttl = seconds(60);
  tune.max_lease_ttl = seconds(120);
  tune.description = "tuned";
  ASSERT_TRUE(manager_.Tune(MountTableKind::kSecrets, "t", tune).ok());
  EXPECT_EQ((*mount)->runtime->system->DefaultLeaseTtl(), seconds(60));
  EXPECT_EQ((*mount)->runtime->system->MaxLeaseTtl(), seconds(120));
  EXPECT_EQ(manager_.Snapshot()->Find("t/")->entry.description, "tuned");
}

TEST_F(MountManagerTest, TuneRefusesDefaultAboveMax) {
  ASSERT_TRUE(manager_.Enable(Secrets("t")).ok());
  TuneRequest tune;
  tune.default_lease_ttl = seconds(600);
  tune.max_lease_ttl = seconds(60);
  EXPECT_EQ(manager_.Tune(MountTableKind::kSecrets, "t", tune).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(MountManagerTest, OldSnapshotKeepsWorkingAfterDisable) {
  ASSERT_TRUE(manager_.Enable(Secrets("held")).ok());
  auto old = manager_.Snapshot();
  ASSERT_TRUE(manager_.Disable(MountTableKind::kSecrets, "held").ok());
  auto mount = old->Find("held/");
  ASSERT_NE(mount, nullptr);
  framework::Request req;
  req.operation = framework::Operation::kRead;
  req.path = "x";
  EXPECT_TRUE(mount->runtime->backend->HandleRequest(req).ok());
}

}  // namespace
}  // namespace cellar::core
