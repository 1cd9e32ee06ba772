// src/profiles/nonces_test.cc: nonces are single-use, expire, and stay bounded.
#include "profiles/nonces.h"

#include <gtest/gtest.h>

#include <set>

namespace cellar::profiles {
namespace {

using std::chrono::seconds;

TEST(NonceStore, AcceptsANonceOnce) {
  FakeClock clock;
  NonceStore store(clock);
  std::string n = store.Issue(seconds(60));
  EXPECT_TRUE(store.Consume(n).ok());
  Status again = store.Consume(n);
  EXPECT_EQ(again.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(again.message().find("already used"), std::string::npos);
}

TEST(NonceStore, RefusesANonceItNeverIssued) {
  FakeClock clock;
  NonceStore store(clock);
  EXPECT_EQ(store.Consume("made-up").code(), StatusCode::kPermissionDenied);
}

TEST(NonceStore, RefusesAnExpiredNonce) {
  FakeClock clock;
  NonceStore store(clock);
  std::string n = store.Issue(seconds(30));
  clock.Advance(seconds(30));
  Status s = store.Consume(n);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("expired"), std::string::npos);
}

TEST(NonceStore, AcceptsJustBeforeExpiry) {
  FakeClock clock;
  NonceStore store(clock);
  std::string n = store.Issue(seconds(30));
  clock.Advance(seconds(29));
  EXPECT_TRUE(store.Consume(n).ok());
}

TEST(NonceStore, NoncesAreDistinctAndUrlSafe) {
  FakeClock clock;
  NonceStore store(clock);
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string n = store.Issue(seconds(60));
    EXPECT_EQ(n.size(), 22u);
    EXPECT_EQ(
        n.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    seen.insert(n);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(NonceStore, ForgetsTheOldestPastCapacity) {
  FakeClock clock;
  NonceStore store(clock, 3);
  std::string first = store.Issue(seconds(60));
  for (int i = 0; i < 3; ++i) {
    store.Issue(seconds(60));
  }
  EXPECT_EQ(store.outstanding(), 3u);
  EXPECT_EQ(store.Consume(first).code(), StatusCode::kPermissionDenied);
}

TEST(NonceStore, ExpiredNoncesAreDroppedOnIssue) {
  FakeClock clock;
  NonceStore store(clock);
  for (int i = 0; i < 10; ++i) {
    store.Issue(seconds(5));
  }
  clock.Advance(seconds(6));
  store.Issue(seconds(5));
  EXPECT_EQ(store.outstanding(), 1u);
}

TEST(NonceStore, UsedNoncesBehindALiveOneStayBounded) {
  FakeClock clock;
  NonceStore store(clock, 4);
  std::string long_lived = store.Issue(seconds(3600));
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(store.Consume(store.Issue(seconds(5))).ok());
  }
  EXPECT_EQ(store.outstanding(), 1u);
  EXPECT_TRUE(store.Consume(long_lived).ok());
}

}  // namespace
}  // namespace cellar::profiles
