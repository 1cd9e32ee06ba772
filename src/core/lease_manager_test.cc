// src/core/lease_manager_test.cc: lease ids, TTLs, renew, revoke, persistence and expiry.
#include "core/lease_manager.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

class LeaseManagerTest : public testing::Test {
 protected:
  LeaseManagerTest() { EXPECT_TRUE(leases_.Load(&view_).ok()); }

  LeaseParams Params(seconds ttl = seconds(60), seconds max = seconds(600)) {
    LeaseParams p;
    p.mount_path = "db/";
    p.path = "db/creds/app";
    p.ttl = ttl;
    p.max_ttl = max;
    p.token_accessor = "acc1";
    return p;
  }

  Status Revoke(const LeaseEntry& e) {
    revoked_.push_back(e.id);
    return fail_ ? UnavailableError("down") : OkStatus();
  }

  FakeClock clock_;
  storage::MemoryStorage view_;
  std::vector<std::string> revoked_;
  bool fail_ = false;
  LeaseManager leases_{clock_, [this](const LeaseEntry& e) { return Revoke(e); }};
};

TEST_F(LeaseManagerTest, IdIsPathSlash24Base62) {
  auto lease = leases_.Create(Params());
  ASSERT_TRUE(lease.ok());
  ASSERT_TRUE(lease->id.starts_with("db/creds/app/"));
  std::string suffix = lease->id.substr(13);
  EXPECT_EQ(suffix.size(), 24u);
  for (char c : suffix) {
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << suffix;
  }
}

TEST_F(LeaseManagerTest, TtlIsCappedByMax) {
  auto lease = leases_.Create(Params(seconds(1000), seconds(100)));
  ASSERT_TRUE(lease.ok());
  EXPECT_EQ(lease->expire_time - lease->issue_time, seconds(100));
}

TEST_F(LeaseManagerTest, LookupShowsTtlLeft) {
  auto lease = leases_.Create(Params());
  ASSERT_TRUE(lease.ok());
  clock_.Advance(seconds(10));
  auto found = leases_.Lookup(lease->id);
  ASSERT_TRUE(found.ok());
  boost::json::object shown = found->ToLookup(clock_.Now());
  EXPECT_EQ(shown["ttl"].as_int64(), 50);
  EXPECT_TRUE(shown["last_renewal"].is_null());
  EXPECT_EQ(shown["id"].as_string(), lease->id);
}

TEST_F(LeaseManagerTest, LookupOfUnknownIsInvalidArgument) {
  EXPECT_EQ(leases_.Lookup("nope").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LeaseManagerTest, RenewUsesIncrementCappedByMax) {
  auto lease = leases_.Create(Params(seconds(60), seconds(100)));
  ASSERT_TRUE(lease.ok());
  clock_.Advance(seconds(50));
  auto renewed = leases_.Renew(lease->id, seconds(30));
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->expire_time, clock_.Now() + seconds(30));
  auto capped = leases_.Renew(lease->id, seconds(1000));
  ASSERT_TRUE(capped.ok());
  EXPECT_EQ(capped->expire_time, lease->issue_time + seconds(100));
}

TEST_F(LeaseManagerTest, RenewWithoutIncrementUsesOriginalTtl) {
  auto lease = leases_.Create(Params(seconds(60)));
  ASSERT_TRUE(lease.ok());
  clock_.Advance(seconds(30));
  auto renewed = leases_.Renew(lease->id, seconds(0));
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->expire_time, clock_.Now() + seconds(60));
}

TEST_F(LeaseManagerTest, NotRenewableIsInvalidArgument) {
  LeaseParams p = Params();
  p.renewable = false;
  auto lease = leases_.Create(p);
  ASSERT_TRUE(lease.ok());
  EXPECT_EQ(leases_.Renew(lease->id, seconds(10)).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LeaseManagerTest, RevokeCallsBackendAndForgets) {
  auto lease = leases_.Create(Params());
  ASSERT_TRUE(lease.ok());
  ASSERT_TRUE(leases_.Revoke(lease->id).ok());
  EXPECT_EQ(revoked_, std::vector<std::string>{lease->id});
  EXPECT_FALSE(leases_.Lookup(lease->id).ok());
  EXPECT_TRUE(leases_.Revoke(lease->id).ok());  // unknown: still fine
  EXPECT_EQ(revoked_.size(), 1u);
}

TEST_F(LeaseManagerTest, ExpiryRevokesOnlyDueLeases) {
  auto short_lease = leases_.Create(Params(seconds(10)));
  auto long_lease = leases_.Create(Params(seconds(100)));
  ASSERT_TRUE(short_lease.ok() && long_lease.ok());
  EXPECT_EQ(leases_.RunExpired(), 0u);
  clock_.Advance(seconds(11));
  EXPECT_EQ(leases_.RunExpired(), 1u);
  EXPECT_EQ(revoked_, std::vector<std::string>{short_lease->id});
  EXPECT_TRUE(leases_.Lookup(long_lease->id).ok());
}

TEST_F(LeaseManagerTest, RenewalPostponesExpiry) {
  auto lease = leases_.Create(Params(seconds(10)));
  ASSERT_TRUE(lease.ok());
  clock_.Advance(seconds(8));
  ASSERT_TRUE(leases_.Renew(lease->id, seconds(10)).ok());
  clock_.Advance(seconds(5));
  EXPECT_EQ(leases_.RunExpired(), 0u);
  clock_.Advance(seconds(6));
  EXPECT_EQ(leases_.RunExpired(), 1u);
}

TEST_F(LeaseManagerTest, FailedRevocationIsRetriedWithBackoff) {
  auto lease = leases_.Create(Params(seconds(10)));
  ASSERT_TRUE(lease.ok());
  fail_ = true;
  clock_.Advance(seconds(10));
  EXPECT_EQ(leases_.RunExpired(), 0u);
  EXPECT_EQ(revoked_.size(), 1u);
  EXPECT_EQ(leases_.RunExpired(), 0u);  // not due again yet
  EXPECT_EQ(revoked_.size(), 1u);
  fail_ = false;
  clock_.Advance(seconds(2));
  EXPECT_EQ(leases_.RunExpired(), 1u);
  EXPECT_FALSE(leases_.Lookup(lease->id).ok());
}

TEST_F(LeaseManagerTest, RevokeForceDropsEvenWhenBackendFails) {
  auto lease = leases_.Create(Params());
  ASSERT_TRUE(lease.ok());
  fail_ = true;
  EXPECT_FALSE(leases_.Revoke(lease->id).ok());
  EXPECT_TRUE(leases_.Lookup(lease->id).ok());
  EXPECT_TRUE(leases_.RevokeForce("db/").ok());
  EXPECT_FALSE(leases_.Lookup(lease->id).ok());
}

TEST_F(LeaseManagerTest, RevokePrefixTakesOnlyMatchingLeases) {
  auto a = leases_.Create(Params());
  LeaseParams other = Params();
  other.path = "other/creds/x";
  auto b = leases_.Create(other);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(leases_.RevokePrefix("db/creds/").ok());
  EXPECT_FALSE(leases_.Lookup(a->id).ok());
  EXPECT_TRUE(leases_.Lookup(b->id).ok());
}

TEST_F(LeaseManagerTest, RevokeByTokenTakesThatTokensLeases) {
  auto mine = leases_.Create(Params());
  LeaseParams other = Params();
  other.token_accessor = "acc2";
  auto theirs = leases_.Create(other);
  ASSERT_TRUE(mine.ok() && theirs.ok());
  leases_.RevokeByToken("acc1");
  EXPECT_FALSE(leases_.Lookup(mine->id).ok());
  EXPECT_TRUE(leases_.Lookup(theirs->id).ok());
}

TEST_F(LeaseManagerTest, ListKeysShowsFoldersAndLeaves) {
  auto a = leases_.Create(Params());
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(leases_.ListKeys("db/"), std::vector<std::string>{"creds/"});
  std::vector<std::string> leaves = leases_.ListKeys("db/creds/app/");
  ASSERT_EQ(leaves.size(), 1u);
  EXPECT_EQ("db/creds/app/" + leaves[0], a->id);
}

TEST_F(LeaseManagerTest, LeasesSurviveReloadAndExpiredOnesGoAtLoad) {
  auto kept = leases_.Create(Params(seconds(100)));
  auto lapsed = leases_.Create(Params(seconds(10)));
  ASSERT_TRUE(kept.ok() && lapsed.ok());
  leases_.Clear();
  clock_.Advance(seconds(50));  // sealed while the short lease ran out
  ASSERT_TRUE(leases_.Load(&view_).ok());
  EXPECT_EQ(revoked_, std::vector<std::string>{lapsed->id});
  auto found = leases_.Lookup(kept->id);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->expire_time, kept->expire_time);
  EXPECT_EQ(found->token_accessor, "acc1");
}

TEST_F(LeaseManagerTest, SealedManagerRefusesNewLeases) {
  leases_.Clear();
  EXPECT_EQ(leases_.Create(Params()).status().code(), StatusCode::kSealed);
}

TEST(LeaseManagerTimerTest, TimerThreadRevokesOnceTimeHasCome) {
  FakeClock clock;
  storage::MemoryStorage view;
  std::atomic<int> revoked{0};
  LeaseManager leases(clock, [&](const LeaseEntry&) {
    revoked++;
    return OkStatus();
  });
  ASSERT_TRUE(leases.Load(&view).ok());
  leases.StartTimer();
  LeaseParams p;
  p.mount_path = "db/";
  p.path = "db/creds/app";
  p.ttl = seconds(5);
  p.max_ttl = seconds(5);
  ASSERT_TRUE(leases.Create(p).ok());
  clock.Advance(seconds(6));
  leases.Wake();  // a FakeClock cannot wake a sleeping thread by itself
  // Bounded wait for the other thread (no fixed sleep: returns as soon as it has acted).
  for (int i = 0; i < 2000 && revoked.load() == 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(revoked.load(), 1);
  leases.StopTimer();
  EXPECT_EQ(leases.size(), 0u);
}

TEST(LeaseManagerTimerTest, ExtraTimerRunsOnTheSameThread) {
  FakeClock clock;
  storage::MemoryStorage view;
  LeaseManager leases(clock, [](const LeaseEntry&) { return OkStatus(); });
  ASSERT_TRUE(leases.Load(&view).ok());
  std::atomic<int> runs{0};
  TimePoint deadline = clock.Now() + seconds(10);
  leases.SetExtraTimer(
      [&]() -> std::optional<TimePoint> {
        if (runs.load() > 0) {
          return std::nullopt;
        }
        return deadline;
      },
      [&] { runs++; });
  leases.StartTimer();
  clock.Advance(seconds(11));
  leases.Wake();
  for (int i = 0; i < 2000 && runs.load() == 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  leases.StopTimer();
  EXPECT_EQ(runs.load(), 1);
}

}  // namespace
}  // namespace cellar::core
