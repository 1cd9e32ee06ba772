// src/core/core_scope_test.cc: request scopes (Core::BeginScope): buffered writes, commit,
// abort, revocation of what a failed execution created, and the transaction's refusals.
#include <gtest/gtest.h>

#include "core/core.h"
#include "core/execution_scope.h"
#include "core/fake_backend_testutil.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using framework::Operation;
using framework::Request;
using framework::RequestScope;
using framework::Response;

class CoreScopeTest : public testing::Test {
 protected:
  void SetUp() override {
    core_ = std::move(Core::Create(testing_util::FakeCoreOptions(&storage_, &clock_))).value();
    ASSERT_TRUE(core_->InitializeDev("root").ok());
    ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/db", {{"type", "fake"}}).ok());
  }

  StatusOr<Response> Do(Operation op, std::string path, boost::json::object body = {},
                        RequestScope* scope = nullptr, std::string token = "root") {
    Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.caller.token = std::move(token);
    req.scope = scope;
    req.via_profile = scope != nullptr;
    return core_->HandleRequest(req);
  }

  // The stored body at `path` as seen with `scope` (null: directly), or "" when absent.
  std::string ReadValue(std::string path, RequestScope* scope = nullptr) {
    StatusOr<Response> r = Do(Operation::kRead, std::move(path), {}, scope);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok() || !r->data || !r->data->contains("v")) {
      return "";
    }
    return std::string(r->data->at("v").as_string());
  }

  std::unique_ptr<RequestScope> Scope(bool transactional) {
    StatusOr<std::unique_ptr<RequestScope>> scope = core_->BeginScope(transactional);
    EXPECT_TRUE(scope.ok()) << scope.status().ToString();
    return std::move(scope).value();
  }

  bool TokenWorks(const std::string& token) {
    return Do(Operation::kRead, "auth/token/lookup-self", {}, nullptr, token).ok();
  }

  FakeClock clock_;
  storage::MemoryStorage storage_;
  std::unique_ptr<Core> core_;
};

TEST_F(CoreScopeTest, TransactionWritesAreSeenOnlyInsideUntilCommit) {
  auto scope = Scope(true);
  ASSERT_TRUE(Do(Operation::kUpdate, "db/a", {{"v", "1"}}, scope.get()).ok());
  EXPECT_EQ(ReadValue("db/a", scope.get()), "1");  // read-your-writes
  EXPECT_EQ(ReadValue("db/a"), "");                // others see nothing yet
  ASSERT_TRUE(scope->Commit().ok());
  EXPECT_EQ(ReadValue("db/a"), "1");
}

TEST_F(CoreScopeTest, AbortedTransactionWritesNothing) {
  ASSERT_TRUE(Do(Operation::kUpdate, "db/a", {{"v", "old"}}).ok());
  auto scope = Scope(true);
  ASSERT_TRUE(Do(Operation::kUpdate, "db/a", {{"v", "new"}}, scope.get()).ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "db/b", {{"v", "new"}}, scope.get()).ok());
  scope->Abort();
  EXPECT_EQ(ReadValue("db/a"), "old");
  EXPECT_EQ(ReadValue("db/b"), "");
}

TEST_F(CoreScopeTest, DestroyingAnUnendedScopeAborts) {
  {
    auto scope = Scope(true);
    ASSERT_TRUE(Do(Operation::kUpdate, "db/a", {{"v", "1"}}, scope.get()).ok());
  }
  EXPECT_EQ(ReadValue("db/a"), "");
}

TEST_F(CoreScopeTest, NonTransactionalScopeWritesThrough) {
  auto scope = Scope(false);
  ASSERT_TRUE(Do(Operation::kUpdate, "db/a", {{"v", "1"}}, scope.get()).ok());
  EXPECT_EQ(ReadValue("db/a"), "1");
  scope->Abort();
  EXPECT_EQ(ReadValue("db/a"), "1");
}

TEST_F(CoreScopeTest, AbortRevokesLeasesWithTheServersAuthority) {
  // The caller may read the secret but holds no right on sys/leases/*.
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/policies/acl/reader",
                 {{"policy", R"(path "db/lease/*" { capabilities = ["read"] })"}})
                  .ok());
  auto token = Do(Operation::kUpdate, "auth/token/create", {{"policies", {"reader"}}});
  ASSERT_TRUE(token.ok());
  std::string reader = token->auth->client_token;
  for (bool transactional : {false, true}) {
    int before = testing_util::FakeBackend::revocations().load();
    auto scope = Scope(transactional);
    auto secret = Do(Operation::kRead, "db/lease/app", {{"ttl", 1}}, scope.get(), reader);
    ASSERT_TRUE(secret.ok()) << secret.status().ToString();
    ASSERT_FALSE(secret->lease_id.empty());
    scope->Abort();
    EXPECT_EQ(testing_util::FakeBackend::revocations().load(), before + 1) << transactional;
    EXPECT_EQ(Do(Operation::kUpdate, "sys/leases/lookup", {{"lease_id", secret->lease_id}})
                  .status()
                  .code(),
              StatusCode::kInvalidArgument)
        << transactional;
  }
}

TEST_F(CoreScopeTest, CommittedTransactionKeepsItsLeases) {
  auto scope = Scope(true);
  auto secret = Do(Operation::kRead, "db/lease/app", {{"ttl", 1}}, scope.get());
  ASSERT_TRUE(secret.ok());
  ASSERT_TRUE(scope->Commit().ok());
  EXPECT_TRUE(Do(Operation::kUpdate, "sys/leases/lookup", {{"lease_id", secret->lease_id}}).ok());
}

TEST_F(CoreScopeTest, AbortRevokesTokensTheScopeCreated) {
  for (bool transactional : {false, true}) {
    auto scope = Scope(transactional);
    auto created = Do(Operation::kUpdate, "auth/token/create", {}, scope.get());
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    std::string token = created->auth->client_token;
    EXPECT_TRUE(TokenWorks(token)) << transactional;
    scope->Abort();
    EXPECT_FALSE(TokenWorks(token)) << transactional;
  }
}

TEST_F(CoreScopeTest, AbortLeavesTheCallersOwnTokenAlone) {
  auto scope = Scope(false);
  ASSERT_TRUE(Do(Operation::kUpdate, "auth/token/lookup-self", {}, scope.get()).ok());
  scope->Abort();
  EXPECT_TRUE(TokenWorks("root"));
}

TEST_F(CoreScopeTest, TransactionRefusesWritesItCannotUndo) {
  auto scope = Scope(true);
  EXPECT_EQ(
      Do(Operation::kUpdate, "sys/mounts/kv2", {{"type", "fake"}}, scope.get()).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_TRUE(Do(Operation::kRead, "sys/mounts", {}, scope.get()).ok());
  auto plain = Scope(false);
  EXPECT_TRUE(Do(Operation::kUpdate, "sys/mounts/kv2", {{"type", "fake"}}, plain.get()).ok());
}

TEST_F(CoreScopeTest, CommitTwiceIsAnError) {
  auto scope = Scope(true);
  ASSERT_TRUE(scope->Commit().ok());
  EXPECT_EQ(scope->Commit().code(), StatusCode::kFailedPrecondition);
}

TEST(CheckAllowedInTransactionTest, Table) {
  struct Case {
    std::string_view path;
    Operation op;
    bool allowed;
  };
  const Case cases[] = {
      {"secret/data/a", Operation::kUpdate, true},
      {"secret/data/a", Operation::kDelete, true},
      {"sys/mounts", Operation::kRead, true},
      {"sys/mounts/x", Operation::kUpdate, false},
      {"sys/policies/acl/p", Operation::kDelete, false},
      {"sys/leases/revoke", Operation::kUpdate, false},
      {"sys/rotate", Operation::kUpdate, false},
      {"sys/profiles/execute/p", Operation::kUpdate, false},
      {"sys/capabilities-self", Operation::kUpdate, true},
      {"auth/token/create", Operation::kUpdate, true},
      {"auth/token/create/role1", Operation::kUpdate, true},
      {"auth/token/lookup-self", Operation::kUpdate, true},
      {"auth/token/revoke", Operation::kUpdate, false},
      {"auth/token/renew-self", Operation::kUpdate, false},
      {"auth/token/createx", Operation::kUpdate, false},
      {"auth/userpass/users/bob", Operation::kUpdate, true},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(CheckAllowedInTransaction(c.path, c.op).ok(), c.allowed) << c.path;
  }
}

}  // namespace
}  // namespace cellar::core
