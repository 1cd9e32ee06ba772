// src/auth/userpass/user_entry_test.cc: a user's storage form round-trips and rejects corruption.
#include "auth/userpass/user_entry.h"

#include <gtest/gtest.h>

#include "storage/memory_storage.h"

namespace cellar::auth::userpass {
namespace {

TEST(UserEntryTest, RoundTripsThroughStorage) {
  storage::MemoryStorage s;
  UserEntry user;
  user.password_hash = "$scrypt$ln=4,r=8,p=1$abc$def";
  user.token.policies = {"dev", "ops"};
  user.token.ttl = framework::Seconds(60);
  ASSERT_TRUE(SaveUser(s, "alice", user).ok());
  auto loaded = LoadUser(s, "alice");
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(loaded->has_value());
  EXPECT_EQ((*loaded)->password_hash, user.password_hash);
  EXPECT_EQ((*loaded)->token.policies, user.token.policies);
  EXPECT_EQ((*loaded)->token.ttl, framework::Seconds(60));
  EXPECT_TRUE(s.Get("user/alice")->has_value());
}

TEST(UserEntryTest, AbsentUserIsNullopt) {
  storage::MemoryStorage s;
  auto loaded = LoadUser(s, "nobody");
  ASSERT_TRUE(loaded.ok());
  EXPECT_FALSE(loaded->has_value());
}

TEST(UserEntryTest, CorruptEntryIsInternal) {
  EXPECT_EQ(UserEntry::Parse("[1,2]").status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace cellar::auth::userpass
