// src/core/token_store_test.cc: token creation, TTL rules, use counts, renewal, tree revocation.
#include "core/token_store.h"

#include <gtest/gtest.h>

// Designated initialisers below name only the fields each case sets.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using std::chrono::hours;

class TokenStoreTest : public testing::Test {
 protected:
  CreatedToken MustCreate(TokenParams params) {
    StatusOr<CreatedToken> c = store_.Create(params);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return std::move(c).value();
  }
  std::shared_ptr<const TokenEntry> MustLookup(std::string_view token) {
    auto e = store_.Lookup(token);
    EXPECT_TRUE(e.ok());
    return e.ok() ? *e : nullptr;
  }

  storage::MemoryStorage storage_;
  FakeClock clock_;
  TokenStore store_{storage_, clock_};
};

TEST_F(TokenStoreTest, TokenShapeAndHashedStorage) {
  CreatedToken c = MustCreate({.policies = {"default"}});
  ASSERT_EQ(c.token.size(), 4u + 24u);
  EXPECT_EQ(c.token.substr(0, 4), "hvs.");
  EXPECT_EQ(c.entry.accessor.size(), 24u);
  // Only the hash is a key; the raw token appears nowhere in storage.
  EXPECT_TRUE(*storage_.Get("id/" + HashToken(c.token)));
  for (std::string dir : {"id/", "accessor/"}) {
    std::vector<std::string> keys = *storage_.List(dir);
    for (const std::string& key : keys) {
      EXPECT_EQ(key.find(c.token), std::string::npos);
      auto value = *storage_.Get(dir + key);
      EXPECT_EQ(value->find(c.token), std::string::npos);
    }
  }
}

TEST_F(TokenStoreTest, NamespaceSuffix) {
  CreatedToken c = MustCreate({.namespace_id = "Ab12x"});
  EXPECT_EQ(c.token.size(), 4u + 24u + 6u);
  EXPECT_EQ(TokenNamespaceId(c.token), "Ab12x");
  EXPECT_EQ(MustLookup(c.token)->namespace_id, "Ab12x");
  EXPECT_EQ(TokenNamespaceId(MustCreate({}).token), "");
  EXPECT_EQ(TokenNamespaceId("root"), "");
}

TEST_F(TokenStoreTest, TokensAreDistinct) { EXPECT_NE(MustCreate({}).token, MustCreate({}).token); }

TEST_F(TokenStoreTest, LookupByTokenAndAccessor) {
  CreatedToken c = MustCreate({.policies = {"a", "default"}});
  auto by_token = MustLookup(c.token);
  ASSERT_TRUE(by_token);
  EXPECT_EQ(by_token->policies, (std::vector<std::string>{"a", "default"}));
  auto by_accessor = *store_.LookupByAccessor(c.entry.accessor);
  ASSERT_TRUE(by_accessor);
  EXPECT_EQ(by_accessor->id_hash, by_token->id_hash);
  EXPECT_FALSE(MustLookup("hvs.nope"));
  EXPECT_FALSE(MustLookup(""));
}

struct TtlCase {
  std::string name;
  TokenParams params;
  int64_t want_ttl;  // seconds; 0 = never expires
};

class TokenTtlTest : public testing::TestWithParam<TtlCase> {};

TEST_P(TokenTtlTest, Computes) {
  storage::MemoryStorage storage;
  FakeClock clock;
  TokenStore store(storage, clock);
  StatusOr<CreatedToken> c = store.Create(GetParam().params);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->entry.creation_ttl.count(), GetParam().want_ttl);
  EXPECT_EQ(c->entry.never_expires(), GetParam().want_ttl == 0);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, TokenTtlTest,
    testing::Values(
        TtlCase{"Default", {.policies = {"default"}}, 768 * 3600},
        TtlCase{"Explicit", {.policies = {"default"}, .ttl = hours(1)}, 3600},
        TtlCase{"CappedByMax", {.policies = {"default"}, .ttl = hours(10000)}, 768 * 3600},
        TtlCase{"CappedByRoleMax",
                {.policies = {"default"}, .ttl = hours(5), .max_ttl = hours(2)},
                7200},
        TtlCase{"CappedByExplicitMax",
                {.policies = {"default"}, .ttl = hours(5), .explicit_max_ttl = hours(1)},
                3600},
        TtlCase{"DefaultCappedByExplicitMax",
                {.policies = {"default"}, .explicit_max_ttl = hours(2)},
                7200},
        TtlCase{"PeriodWins", {.policies = {"default"}, .ttl = hours(5), .period = hours(1)}, 3600},
        TtlCase{"PeriodBeyondMax", {.policies = {"default"}, .period = hours(1000)}, 1000 * 3600},
        TtlCase{"RootNeverExpires", {.policies = {"root"}}, 0},
        TtlCase{"RootWithTtl", {.policies = {"root"}, .ttl = hours(1)}, 3600},
        TtlCase{"RootWithExplicitMax",
                {.policies = {"root"}, .explicit_max_ttl = hours(3)},
                3 * 3600}));

TEST_F(TokenStoreTest, ExpiredTokenStopsWorkingOnTime) {
  CreatedToken c = MustCreate({.ttl = std::chrono::seconds(60)});
  clock_.Advance(std::chrono::seconds(59));
  EXPECT_TRUE(MustLookup(c.token));
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_FALSE(MustLookup(c.token));
  EXPECT_FALSE(*store_.LookupByAccessor(c.entry.accessor));
}

TEST_F(TokenStoreTest, TidyRevokesExpiredAndCallsHook) {
  std::vector<std::string> hooked;
  store_.SetRevocationHook([&](const TokenEntry& e) { hooked.push_back(e.accessor); });
  CreatedToken short_lived = MustCreate({.ttl = std::chrono::seconds(10)});
  CreatedToken long_lived = MustCreate({.ttl = std::chrono::seconds(100)});
  EXPECT_EQ(store_.NextExpiry(), clock_.Now() + std::chrono::seconds(10));
  clock_.Advance(std::chrono::seconds(10));
  EXPECT_EQ(store_.ExpiredAccessors(clock_.Now()),
            std::vector<std::string>{short_lived.entry.accessor});
  EXPECT_EQ(*store_.Tidy(), 1u);
  EXPECT_EQ(hooked, std::vector<std::string>{short_lived.entry.accessor});
  EXPECT_FALSE(*storage_.Get("id/" + short_lived.entry.id_hash));
  EXPECT_EQ(store_.NextExpiry(), long_lived.entry.expire_time);
}

TEST_F(TokenStoreTest, ExpiryListenerHearsEarlierExpiry) {
  std::vector<TimePoint> heard;
  store_.SetExpiryListener([&](TimePoint t) { heard.push_back(t); });
  MustCreate({.ttl = std::chrono::seconds(100)});
  MustCreate({.ttl = std::chrono::seconds(200)});  // later: no wake-up needed
  MustCreate({.ttl = std::chrono::seconds(50)});
  ASSERT_EQ(heard.size(), 2u);
  EXPECT_EQ(heard[1], clock_.Now() + std::chrono::seconds(50));
}

TEST_F(TokenStoreTest, ExpiryListenerMayCallBackIntoTheStore) {
  // A timer's wake-up typically asks NextExpiry: that must not deadlock.
  std::optional<TimePoint> seen;
  store_.SetExpiryListener([&](TimePoint) { seen = store_.NextExpiry(); });
  CreatedToken c = MustCreate({.ttl = std::chrono::seconds(10)});
  EXPECT_EQ(seen, c.entry.expire_time);
}

TEST_F(TokenStoreTest, NumUsesCountsDown) {
  CreatedToken c = MustCreate({.num_uses = 2});
  bool last = true;
  EXPECT_TRUE(*store_.Use(c.token, &last));
  EXPECT_FALSE(last);
  EXPECT_TRUE(*store_.Use(c.token, &last));
  EXPECT_TRUE(last);
  EXPECT_FALSE(*store_.Use(c.token, &last));
  EXPECT_FALSE(MustLookup(c.token));
  EXPECT_EQ(*store_.Tidy(), 1u);
}

TEST_F(TokenStoreTest, UnlimitedUses) {
  CreatedToken c = MustCreate({});
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(*store_.Use(c.token));
  }
}

TEST_F(TokenStoreTest, RenewExtendsToIncrement) {
  CreatedToken c = MustCreate({.ttl = hours(1)});
  clock_.Advance(std::chrono::minutes(30));
  auto renewed = store_.Renew(c.entry.id_hash, hours(2));
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ((*renewed)->expire_time, clock_.Now() + hours(2));
}

TEST_F(TokenStoreTest, RenewWithoutIncrementUsesCreationTtl) {
  CreatedToken c = MustCreate({.ttl = hours(1)});
  clock_.Advance(std::chrono::minutes(30));
  EXPECT_EQ((*store_.Renew(c.entry.id_hash, std::chrono::seconds(0)))->expire_time,
            clock_.Now() + hours(1));
}

TEST_F(TokenStoreTest, RenewCappedByExplicitMax) {
  CreatedToken c = MustCreate({.ttl = hours(1), .explicit_max_ttl = hours(2)});
  clock_.Advance(std::chrono::minutes(50));
  auto renewed = store_.Renew(c.entry.id_hash, hours(5));
  ASSERT_TRUE(renewed.ok()) << renewed.status().ToString();
  EXPECT_EQ((*renewed)->expire_time, c.entry.creation_time + hours(2));
}

TEST_F(TokenStoreTest, RenewCappedByMaxTtl) {
  CreatedToken c = MustCreate({.ttl = hours(1), .max_ttl = hours(3)});
  clock_.Advance(std::chrono::minutes(50));
  auto renewed = store_.Renew(c.entry.id_hash, hours(5));
  ASSERT_TRUE(renewed.ok()) << renewed.status().ToString();
  EXPECT_EQ((*renewed)->expire_time, c.entry.creation_time + hours(3));
}

TEST_F(TokenStoreTest, PeriodicRenewsToPeriodPastMax) {
  CreatedToken c = MustCreate({.period = hours(1)});
  for (int i = 0; i < 1000; ++i) {  // far beyond 768h in total
    clock_.Advance(std::chrono::minutes(50));
    ASSERT_TRUE(store_.Renew(c.entry.id_hash, hours(9)).ok());
  }
  auto e = MustLookup(c.token);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->expire_time, clock_.Now() + hours(1));
}

TEST_F(TokenStoreTest, RenewRefusesNonRenewable) {
  CreatedToken c = MustCreate({.renewable = false});
  EXPECT_EQ(store_.Renew(c.entry.id_hash, hours(1)).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(TokenStoreTest, RenewExpiredIsNotFound) {
  CreatedToken c = MustCreate({.ttl = std::chrono::seconds(5)});
  clock_.Advance(std::chrono::seconds(6));
  EXPECT_EQ(store_.Renew(c.entry.id_hash, hours(1)).status().code(), StatusCode::kNotFound);
}

class TokenTreeTest : public TokenStoreTest {
 protected:
  void SetUp() override {
    parent_ = MustCreate({.policies = {"default"}});
    child_ = MustCreate({.parent_hash = parent_.entry.id_hash});
    grandchild_ = MustCreate({.parent_hash = child_.entry.id_hash});
    sibling_ = MustCreate({.parent_hash = parent_.entry.id_hash});
  }
  CreatedToken parent_, child_, grandchild_, sibling_;
};

TEST_F(TokenTreeTest, ChildrenAreNotOrphans) {
  EXPECT_TRUE(parent_.entry.orphan());
  EXPECT_FALSE(child_.entry.orphan());
}

TEST_F(TokenTreeTest, RevokingParentRevokesSubtree) {
  std::vector<std::string> hooked;
  store_.SetRevocationHook([&](const TokenEntry& e) { hooked.push_back(e.accessor); });
  ASSERT_TRUE(store_.RevokeByHash(parent_.entry.id_hash).ok());
  for (const CreatedToken* c : {&parent_, &child_, &grandchild_, &sibling_}) {
    EXPECT_FALSE(MustLookup(c->token));
  }
  EXPECT_EQ(hooked.size(), 4u);
  EXPECT_TRUE(store_.ListAccessors()->empty());
  EXPECT_TRUE(storage_.List("parent/")->empty());
}

TEST_F(TokenTreeTest, RevokingChildKeepsParent) {
  ASSERT_TRUE(store_.RevokeByHash(child_.entry.id_hash).ok());
  EXPECT_TRUE(MustLookup(parent_.token));
  EXPECT_TRUE(MustLookup(sibling_.token));
  EXPECT_FALSE(MustLookup(grandchild_.token));
}

TEST_F(TokenTreeTest, RevokeOrphanKeepsChildrenAsOrphans) {
  ASSERT_TRUE(store_.RevokeOrphan(parent_.entry.id_hash).ok());
  EXPECT_FALSE(MustLookup(parent_.token));
  auto child = MustLookup(child_.token);
  ASSERT_TRUE(child);
  EXPECT_TRUE(child->orphan());
  EXPECT_TRUE(MustLookup(grandchild_.token));
  // The orphaned child's own subtree still goes with it.
  ASSERT_TRUE(store_.RevokeByHash(child_.entry.id_hash).ok());
  EXPECT_FALSE(MustLookup(grandchild_.token));
  EXPECT_TRUE(MustLookup(sibling_.token));
}

TEST_F(TokenTreeTest, ExpiredParentTakesChildrenAtTidy) {
  CreatedToken p = MustCreate({.ttl = std::chrono::seconds(10)});
  CreatedToken c = MustCreate({.parent_hash = p.entry.id_hash, .ttl = hours(5)});
  clock_.Advance(std::chrono::seconds(11));
  ASSERT_TRUE(store_.Tidy().ok());
  EXPECT_FALSE(MustLookup(c.token));
}

TEST_F(TokenStoreTest, RevokeByPathPrefix) {
  std::vector<std::string> hooked;
  store_.SetRevocationHook([&](const TokenEntry& e) { hooked.push_back(e.accessor); });
  CreatedToken bob = MustCreate({.path = "auth/userpass/login/bob"});
  CreatedToken child = MustCreate({.path = "auth/token/create", .parent_hash = bob.entry.id_hash});
  CreatedToken app = MustCreate({.path = "auth/approle/login"});
  CreatedToken other = MustCreate({.path = "auth/userpass2/login/x"});
  EXPECT_EQ(*store_.RevokeByPathPrefix("auth/userpass/"), 2u);
  EXPECT_FALSE(MustLookup(bob.token));
  EXPECT_FALSE(MustLookup(child.token));
  EXPECT_TRUE(MustLookup(app.token));
  EXPECT_TRUE(MustLookup(other.token));
  EXPECT_EQ(hooked.size(), 2u);
}

TEST_F(TokenStoreTest, CallerFor) {
  CreatedToken root = *store_.CreateRoot();
  framework::Caller c = TokenStore::CallerFor(root.entry, root.token);
  EXPECT_TRUE(c.is_root);
  EXPECT_EQ(c.token, root.token);
  EXPECT_EQ(c.accessor, root.entry.accessor);
  CreatedToken plain = MustCreate({.policies = {"default"}, .meta = {{"a", "b"}}});
  framework::Caller p = TokenStore::CallerFor(plain.entry, plain.token);
  EXPECT_FALSE(p.is_root);
  EXPECT_EQ(p.metadata.at("a"), "b");
}

TEST_F(TokenStoreTest, CreateWithUnknownParentFails) {
  EXPECT_EQ(store_.Create({.parent_hash = "nope"}).status().code(), StatusCode::kNotFound);
}

TEST_F(TokenStoreTest, CustomIdAndDuplicate) {
  CreatedToken c = MustCreate({.id = "my-root-token", .policies = {"root"}});
  EXPECT_EQ(c.token, "my-root-token");
  EXPECT_TRUE(MustLookup("my-root-token"));
  EXPECT_EQ(store_.Create({.id = "my-root-token"}).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(TokenStoreTest, CreateRootNeverExpires) {
  StatusOr<CreatedToken> root = store_.CreateRoot("root");
  ASSERT_TRUE(root.ok());
  EXPECT_TRUE(root->entry.never_expires());
  EXPECT_EQ(root->entry.policies, std::vector<std::string>{"root"});
  clock_.Advance(hours(100000));
  EXPECT_TRUE(MustLookup("root"));
}

TEST_F(TokenStoreTest, LoadRebuildsExpiryIndex) {
  CreatedToken c = MustCreate({.ttl = std::chrono::seconds(30)});
  TokenStore reopened(storage_, clock_);
  ASSERT_TRUE(reopened.Load().ok());
  EXPECT_EQ(reopened.NextExpiry(), c.entry.expire_time);
  clock_.Advance(std::chrono::seconds(31));
  EXPECT_EQ(*reopened.Tidy(), 1u);
}

TEST_F(TokenStoreTest, CreateFromLogin) {
  framework::Auth auth;
  auth.token_policies = {"Dev", "ops"};
  auth.policies = {"Dev", "ops"};
  auth.display_name = "bob";
  auth.metadata = {{"username", "bob"}};
  auth.ttl = hours(1);
  StatusOr<framework::Auth> out = store_.CreateFromLogin(
      auth, {.mount_path = "auth/userpass/", .request_path = "auth/userpass/login/bob"});
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(out->client_token.substr(0, 4), "hvs.");
  EXPECT_EQ(out->policies, (std::vector<std::string>{"default", "dev", "ops"}));
  EXPECT_EQ(out->ttl, hours(1));
  EXPECT_TRUE(out->orphan);
  auto e = MustLookup(out->client_token);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->display_name, "userpass-bob");
  EXPECT_EQ(e->path, "auth/userpass/login/bob");
  EXPECT_EQ(e->meta.at("username"), "bob");
  EXPECT_EQ(e->accessor, out->accessor);
}

TEST_F(TokenStoreTest, CreateFromLoginNoDefaultAndMountTtl) {
  framework::Auth auth;
  auth.policies = {"dev"};
  auth.no_default_policy = true;
  StatusOr<framework::Auth> out =
      store_.CreateFromLogin(auth, {.mount_path = "auth/approle/",
                                    .request_path = "auth/approle/login",
                                    .mount_default_ttl = hours(2)});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->policies, std::vector<std::string>{"dev"});
  EXPECT_EQ(out->ttl, hours(2));
}

TEST_F(TokenStoreTest, LookupDataShape) {
  CreatedToken c = MustCreate({.policies = {"default"},
                               .meta = {{"k", "v"}},
                               .display_name = "token-ci",
                               .ttl = hours(1),
                               .period = std::chrono::seconds(0)});
  clock_.Advance(std::chrono::seconds(100));
  boost::json::object d = store_.LookupData(c.entry, c.token);
  for (const char* key : {"id", "accessor", "policies", "ttl", "creation_ttl", "creation_time",
                          "expire_time", "explicit_max_ttl", "num_uses", "orphan", "display_name",
                          "meta", "path", "renewable", "entity_id", "type"}) {
    EXPECT_TRUE(d.contains(key)) << key;
  }
  EXPECT_FALSE(d.contains("period"));
  EXPECT_EQ(d["id"].as_string(), c.token);
  EXPECT_EQ(d["ttl"].as_int64(), 3500);
  EXPECT_EQ(d["creation_ttl"].as_int64(), 3600);
  EXPECT_EQ(d["type"].as_string(), "service");
  EXPECT_EQ(d["meta"].as_object().at("k").as_string(), "v");
  EXPECT_TRUE(d["expire_time"].is_string());
}

TEST(NormalizeTokenPoliciesTest, SortsDedupsAddsDefault) {
  EXPECT_EQ(NormalizeTokenPolicies({"b", "A", "b"}, false),
            (std::vector<std::string>{"a", "b", "default"}));
  EXPECT_EQ(NormalizeTokenPolicies({"b"}, true), std::vector<std::string>{"b"});
  EXPECT_EQ(NormalizeTokenPolicies({"root"}, false), std::vector<std::string>{"root"});
}

}  // namespace
}  // namespace cellar::core
