// src/core/core_test.cc: the request flow end to end over fake backends and memory storage.
#include "core/core.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <boost/json/parse.hpp>

#include "core/fake_backend_testutil.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using framework::Operation;
using framework::Request;
using framework::Response;
using std::chrono::seconds;

class CoreTest : public testing::Test {
 protected:
  void SetUp() override {
    core_ = std::move(Core::Create(testing_util::FakeCoreOptions(&storage_, &clock_))).value();
  }

  void DevInit() {
    auto dev = core_->InitializeDev("root-token");
    ASSERT_TRUE(dev.ok()) << dev.status().ToString();
    root_ = dev->root_token;
    unseal_key_ = dev->unseal_key_base64;
  }

  StatusOr<Response> Do(Operation op, std::string path, boost::json::object body = {},
                        std::string token = "") {
    Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.caller.token = token.empty() && use_root_ ? root_ : token;
    req.request_id = "req-1";
    return core_->HandleRequest(req);
  }

  StatusOr<Response> As(std::string token, Operation op, std::string path,
                        boost::json::object body = {}) {
    use_root_ = false;
    auto r = Do(op, std::move(path), std::move(body), std::move(token));
    use_root_ = true;
    return r;
  }

  static boost::json::object RawJson(const Response& r) {
    return boost::json::parse(r.raw->body).as_object();
  }

  std::string Login(const std::string& user) {
    EXPECT_TRUE(Do(Operation::kUpdate, "sys/auth/fa", {{"type", "fakeauth"}}).ok());
    auto login = As("", Operation::kUpdate, "auth/fa/login/" + user);
    EXPECT_TRUE(login.ok()) << login.status().ToString();
    return login->auth->client_token;
  }

  FakeClock clock_;
  storage::MemoryStorage storage_;
  std::unique_ptr<Core> core_;
  std::string root_;
  std::string unseal_key_;
  bool use_root_ = true;
};

TEST_F(CoreTest, UninitialisedCoreIsSealedExceptSealRoutes) {
  EXPECT_EQ(Do(Operation::kRead, "secret/data/x").status().code(), StatusCode::kSealed);
  EXPECT_EQ(Do(Operation::kRead, "sys/mounts").status().code(), StatusCode::kSealed);
  auto status = Do(Operation::kRead, "sys/seal-status");
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  ASSERT_TRUE(status->raw);
  EXPECT_FALSE(RawJson(*status)["initialized"].as_bool());
  EXPECT_TRUE(RawJson(*status)["sealed"].as_bool());
  auto health = Do(Operation::kRead, "sys/health");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->raw->http_status, 501);
}

TEST_F(CoreTest, InitThenUnsealOverTheApi) {
  auto init = Do(Operation::kUpdate, "sys/init", {{"secret_shares", 3}, {"secret_threshold", 2}});
  ASSERT_TRUE(init.ok()) << init.status().ToString();
  boost::json::object body = RawJson(*init);
  ASSERT_EQ(body["keys"].as_array().size(), 3u);
  std::string root = std::string(body["root_token"].as_string());
  EXPECT_FALSE(root.empty());
  auto first = Do(Operation::kUpdate, "sys/unseal", {{"key", body["keys"].as_array()[0]}});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(RawJson(*first)["progress"].as_int64(), 1);
  EXPECT_TRUE(RawJson(*first)["sealed"].as_bool());
  auto second = Do(Operation::kUpdate, "sys/unseal", {{"key", body["keys_base64"].as_array()[1]}});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_FALSE(RawJson(*second)["sealed"].as_bool());
  EXPECT_TRUE(As(root, Operation::kRead, "sys/mounts").ok());
  EXPECT_EQ(Do(Operation::kUpdate, "sys/init", {{"secret_shares", 1}, {"secret_threshold", 1}})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

TEST_F(CoreTest, DevInitMountsSecretAsKvV2AndRootWorks) {
  DevInit();
  EXPECT_EQ(root_, "root-token");
  auto mounts = Do(Operation::kRead, "sys/mounts");
  ASSERT_TRUE(mounts.ok()) << mounts.status().ToString();
  const boost::json::object& secret = mounts->data->at("secret/").as_object();
  EXPECT_EQ(secret.at("type").as_string(), "kv");
  EXPECT_EQ(secret.at("options").as_object().at("version").as_string(), "2");
  EXPECT_TRUE(mounts->data->contains("sys/"));
  EXPECT_TRUE(mounts->data->contains("cubbyhole/"));
  EXPECT_EQ(mounts->mount_type, "system");
}

TEST_F(CoreTest, WriteThenReadThroughAMount) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "secret/app", {{"password", "hunter2"}}).ok());
  auto read = Do(Operation::kRead, "secret/app");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->data->at("password").as_string(), "hunter2");
  EXPECT_EQ(read->mount_type, "kv");
}

struct DeniedCase {
  std::string token;
  Operation op;
  std::string path;
  StatusCode code;
};

class CoreFlowTest : public CoreTest, public testing::WithParamInterface<DeniedCase> {};

TEST_P(CoreFlowTest, RejectsWithTheRightCode) {
  DevInit();
  auto r =
      As(GetParam().token == "root" ? root_ : GetParam().token, GetParam().op, GetParam().path);
  EXPECT_EQ(r.status().code(), GetParam().code) << GetParam().path;
}

INSTANTIATE_TEST_SUITE_P(
    All, CoreFlowTest,
    testing::Values(
        DeniedCase{"", Operation::kRead, "secret/app", StatusCode::kPermissionDenied},
        DeniedCase{"hvs.bogus", Operation::kRead, "secret/app", StatusCode::kPermissionDenied},
        DeniedCase{"root", Operation::kRead, "nomount/x", StatusCode::kNotFound},
        DeniedCase{"", Operation::kRead, "nomount/x", StatusCode::kPermissionDenied},
        DeniedCase{"root", Operation::kRead, "secret/../sys/mounts", StatusCode::kInvalidArgument},
        DeniedCase{"root", Operation::kUpdate, "secret/dir/", StatusCode::kInvalidArgument},
        DeniedCase{"root", Operation::kRead, std::string("secret/a\0b", 10),
                   StatusCode::kInvalidArgument}));

TEST_F(CoreTest, MissingMountMessageNamesTheRoute) {
  DevInit();
  auto r = Do(Operation::kRead, "nomount/x");
  EXPECT_EQ(r.status().message(), "no handler for route \"nomount/x\". route entry not found.");
}

TEST_F(CoreTest, AclRunsBeforeRoutingForNonRootTokens) {
  DevInit();
  std::string token = Login("bob");
  EXPECT_EQ(As(token, Operation::kRead, "nomount/x").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(As(token, Operation::kRead, "secret/app").status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreTest, LoginTokenGetsDefaultPolicyAndCubbyhole) {
  DevInit();
  std::string token = Login("alice");
  EXPECT_TRUE(token.starts_with("hvs."));
  ASSERT_TRUE(As(token, Operation::kUpdate, "cubbyhole/note", {{"k", "v"}}).ok());
  auto mine = As(token, Operation::kRead, "cubbyhole/note");
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_EQ(mine->data->at("k").as_string(), "v");
  auto root_view = Do(Operation::kRead, "cubbyhole/note");
  ASSERT_TRUE(root_view.ok());
  EXPECT_FALSE(root_view->data.has_value());  // another token's cubbyhole is invisible
}

TEST_F(CoreTest, SealedCoreAnswersSealedThenUnsealsWithTheKey) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/seal").ok());
  EXPECT_TRUE(core_->IsSealed());
  EXPECT_EQ(Do(Operation::kRead, "secret/app").status().code(), StatusCode::kSealed);
  auto health = Do(Operation::kRead, "sys/health");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->raw->http_status, 503);
  ASSERT_TRUE(core_->UnsealWithKey(unseal_key_).ok());
  EXPECT_TRUE(Do(Operation::kRead, "sys/mounts").ok());
}

TEST_F(CoreTest, WrongUnsealKeyIsInvalidArgument) {
  DevInit();
  ASSERT_TRUE(core_->Seal().ok());
  auto r = Do(Operation::kUpdate, "sys/unseal",
              {{"key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(core_->IsSealed());
}

TEST_F(CoreTest, MountLifecycleOverSysMounts) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/team",
                 {{"type", "fake"},
                  {"description", "d"},
                  {"config", {{"default_lease_ttl", "1h"}, {"max_lease_ttl", 7200}}}})
                  .ok());
  auto m = Do(Operation::kRead, "sys/mounts/team");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->data->at("type").as_string(), "fake");
  EXPECT_EQ(m->data->at("config").as_object().at("default_lease_ttl").as_int64(), 3600);
  EXPECT_TRUE(m->data->at("accessor").as_string().starts_with("fake_"));

  EXPECT_EQ(Do(Operation::kUpdate, "sys/mounts/team", {{"type", "fake"}}).status().code(),
            StatusCode::kInvalidArgument);

  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/team/tune", {{"default_lease_ttl", 60}}).ok());
  auto tune = Do(Operation::kRead, "sys/mounts/team/tune");
  ASSERT_TRUE(tune.ok());
  EXPECT_EQ(tune->data->at("default_lease_ttl").as_int64(), 60);
  EXPECT_EQ(tune->data->at("max_lease_ttl").as_int64(), 7200);

  ASSERT_TRUE(Do(Operation::kUpdate, "team/k", {{"v", 1}}).ok());
  ASSERT_TRUE(Do(Operation::kDelete, "sys/mounts/team").ok());
  EXPECT_EQ(Do(Operation::kRead, "team/k").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Do(Operation::kDelete, "sys/mounts/team").ok());  // absent: still 204

  // Re-enabling the same path starts empty: the old data was erased.
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/team", {{"type", "fake"}}).ok());
  auto read = Do(Operation::kRead, "team/k");
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->data.has_value());
}

TEST_F(CoreTest, AuthMountsListedUnderSysAuth) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/auth/fa", {{"type", "fakeauth"}}).ok());
  auto list = Do(Operation::kRead, "sys/auth");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->data->contains("token/"));
  EXPECT_TRUE(list->data->contains("fa/"));
  EXPECT_TRUE(
      list->data->at("fa/").as_object().at("accessor").as_string().starts_with("auth_fakeauth_"));
}

TEST_F(CoreTest, MountsSurviveSealAndUnseal) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/kept", {{"type", "fake"}}).ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "kept/a", {{"x", "y"}}).ok());
  ASSERT_TRUE(core_->Seal().ok());
  ASSERT_TRUE(core_->UnsealWithKey(unseal_key_).ok());
  auto read = Do(Operation::kRead, "kept/a");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->data->at("x").as_string(), "y");
}

TEST_F(CoreTest, LeasesCarryMountPathTtlAndExpire) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/db",
                 {{"type", "fake"}, {"config", {{"default_lease_ttl", 30}}}})
                  .ok());
  int before = testing_util::FakeBackend::revocations().load();
  auto secret = Do(Operation::kRead, "db/lease/app");
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  EXPECT_TRUE(secret->lease_id.starts_with("db/lease/app/"));
  EXPECT_EQ(secret->lease_duration, seconds(30));
  EXPECT_TRUE(secret->renewable);

  auto lookup = Do(Operation::kUpdate, "sys/leases/lookup", {{"lease_id", secret->lease_id}});
  ASSERT_TRUE(lookup.ok()) << lookup.status().ToString();
  EXPECT_EQ(lookup->data->at("ttl").as_int64(), 30);

  clock_.Advance(seconds(31));
  EXPECT_GE(core_->RunExpiryNow(), 1u);
  EXPECT_EQ(testing_util::FakeBackend::revocations().load(), before + 1);
  EXPECT_EQ(
      Do(Operation::kUpdate, "sys/leases/lookup", {{"lease_id", secret->lease_id}}).status().code(),
      StatusCode::kInvalidArgument);
}

TEST_F(CoreTest, LeaseRenewAndRevokeOverSysLeases) {
  DevInit();
  ASSERT_TRUE(
      Do(Operation::kUpdate, "sys/mounts/db",
         {{"type", "fake"}, {"config", {{"default_lease_ttl", 30}, {"max_lease_ttl", 100}}}})
          .ok());
  auto secret = Do(Operation::kRead, "db/lease/app");
  ASSERT_TRUE(secret.ok());
  auto renewed = Do(Operation::kUpdate, "sys/leases/renew",
                    {{"lease_id", secret->lease_id}, {"increment", "1h"}});
  ASSERT_TRUE(renewed.ok()) << renewed.status().ToString();
  EXPECT_EQ(renewed->lease_id, secret->lease_id);
  EXPECT_EQ(renewed->lease_duration, seconds(100));
  auto listed = Do(Operation::kList, "sys/leases/lookup/db/lease/app/");
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(listed->data->at("keys").as_array().size(), 1u);
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/leases/revoke", {{"lease_id", secret->lease_id}}).ok());
  EXPECT_TRUE(Do(Operation::kUpdate, "sys/leases/revoke", {{"lease_id", secret->lease_id}}).ok());
  EXPECT_EQ(
      Do(Operation::kUpdate, "sys/leases/lookup", {{"lease_id", secret->lease_id}}).status().code(),
      StatusCode::kInvalidArgument);
}

TEST_F(CoreTest, LeasesExpiredWhileSealedAreRevokedAtUnseal) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/db",
                 {{"type", "fake"}, {"config", {{"default_lease_ttl", 30}}}})
                  .ok());
  ASSERT_TRUE(Do(Operation::kRead, "db/lease/app").ok());
  int before = testing_util::FakeBackend::revocations().load();
  ASSERT_TRUE(core_->Seal().ok());
  clock_.Advance(seconds(60));
  ASSERT_TRUE(core_->UnsealWithKey(unseal_key_).ok());
  EXPECT_EQ(testing_util::FakeBackend::revocations().load(), before + 1);
}

TEST_F(CoreTest, DisablingAMountRevokesItsLeases) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/db", {{"type", "fake"}}).ok());
  auto secret = Do(Operation::kRead, "db/lease/app");
  ASSERT_TRUE(secret.ok());
  int before = testing_util::FakeBackend::revocations().load();
  ASSERT_TRUE(Do(Operation::kDelete, "sys/mounts/db").ok());
  EXPECT_EQ(testing_util::FakeBackend::revocations().load(), before + 1);
}

TEST_F(CoreTest, InternalUiMountsShowsTheMountForAllowedTokens) {
  DevInit();
  auto r = Do(Operation::kRead, "sys/internal/ui/mounts/secret/data/app");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data->at("path").as_string(), "secret/");
  EXPECT_EQ(r->data->at("options").as_object().at("version").as_string(), "2");
  std::string token = Login("carol");
  EXPECT_EQ(As(token, Operation::kRead, "sys/internal/ui/mounts/secret").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(As("", Operation::kRead, "sys/internal/ui/mounts/secret").status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreTest, RevokingATokenRevokesItsLeases) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/db", {{"type", "fake"}}).ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/policy/db",
                 {{"policy", "path \"db/*\" { capabilities = [\"read\"] }"}})
                  .ok());
  auto created = Do(Operation::kUpdate, "auth/token/create", {{"policies", "db"}, {"ttl", "1h"}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::string token = created->auth->client_token;
  auto secret = As(token, Operation::kRead, "db/lease/app");
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  ASSERT_FALSE(secret->lease_id.empty());
  int before = testing_util::FakeBackend::revocations().load();
  ASSERT_TRUE(As(token, Operation::kUpdate, "auth/token/revoke-self").ok());
  EXPECT_EQ(testing_util::FakeBackend::revocations().load(), before + 1);
  EXPECT_EQ(
      Do(Operation::kUpdate, "sys/leases/lookup", {{"lease_id", secret->lease_id}}).status().code(),
      StatusCode::kInvalidArgument);
}

TEST_F(CoreTest, ExpiredTokenStopsWorkingAndTakesItsLeases) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/db",
                 {{"type", "fake"}, {"config", {{"default_lease_ttl", 7200}}}})
                  .ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/policy/db",
                 {{"policy", "path \"db/*\" { capabilities = [\"read\"] }"}})
                  .ok());
  auto created = Do(Operation::kUpdate, "auth/token/create", {{"policies", "db"}, {"ttl", "1h"}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::string token = created->auth->client_token;
  auto secret = As(token, Operation::kRead, "db/lease/app");
  ASSERT_TRUE(secret.ok()) << secret.status().ToString();
  int before = testing_util::FakeBackend::revocations().load();
  clock_.Advance(seconds(3601));
  EXPECT_EQ(As(token, Operation::kRead, "db/lease/app").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_GE(core_->RunExpiryNow(), 1u);
  EXPECT_EQ(testing_util::FakeBackend::revocations().load(), before + 1);
}

TEST_F(CoreTest, NumUsesTokenWorksOnItsLastUseThenStops) {
  DevInit();
  auto created =
      Do(Operation::kUpdate, "auth/token/create", {{"policies", "default"}, {"num_uses", 2}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::string token = created->auth->client_token;
  EXPECT_TRUE(As(token, Operation::kRead, "auth/token/lookup-self").ok());
  auto last = As(token, Operation::kRead, "auth/token/lookup-self");
  ASSERT_TRUE(last.ok()) << last.status().ToString();
  EXPECT_EQ(As(token, Operation::kRead, "auth/token/lookup-self").status().code(),
            StatusCode::kPermissionDenied);
}

// Each use is taken before its request runs: requests racing on a limited token cannot all
// find a use left. (sys/mounts, not lookup-self: a request holding an earlier use may run after
// the last use's request revoked the token, and lookup-self would then find no token.)
TEST_F(CoreTest, NumUsesTokenIsNotOverrunByConcurrentRequests) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/policy/mounts",
                 {{"policy", "path \"sys/mounts\" { capabilities = [\"read\"] }"}})
                  .ok());
  auto created =
      Do(Operation::kUpdate, "auth/token/create", {{"policies", "mounts"}, {"num_uses", 3}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  std::string token = created->auth->client_token;
  std::atomic<int> allowed{0};
  std::atomic<int> denied{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 8; ++i) {
    callers.emplace_back([&] {
      auto r = Do(Operation::kRead, "sys/mounts", {}, token);  // As() flips a shared flag
      (r.ok() ? allowed : denied)++;
      EXPECT_TRUE(r.ok() || r.status().code() == StatusCode::kPermissionDenied)
          << r.status().ToString();
    });
  }
  for (std::thread& t : callers) {
    t.join();
  }
  EXPECT_EQ(allowed.load(), 3);
  EXPECT_EQ(denied.load(), 5);
}

TEST_F(CoreTest, RevokedTokensCubbyholeIsErased) {
  DevInit();
  auto created = Do(Operation::kUpdate, "auth/token/create", {{"policies", "default"}});
  ASSERT_TRUE(created.ok());
  std::string token = created->auth->client_token;
  ASSERT_TRUE(As(token, Operation::kUpdate, "cubbyhole/note", {{"k", "v"}}).ok());
  auto count_cubby_keys = [&] {
    auto mounts = Do(Operation::kRead, "sys/mounts");
    std::string uuid(mounts->data->at("cubbyhole/").as_object().at("uuid").as_string());
    return storage_.List("logical/" + uuid + "/").value().size();
  };
  EXPECT_EQ(count_cubby_keys(), 1u);
  ASSERT_TRUE(As(token, Operation::kUpdate, "auth/token/revoke-self").ok());
  EXPECT_EQ(count_cubby_keys(), 0u);
}

TEST_F(CoreTest, AuthMountTuneRoundTrips) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/auth/fa", {{"type", "fakeauth"}}).ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/auth/fa/tune", {{"max_lease_ttl", "2h"}}).ok());
  auto tune = Do(Operation::kRead, "sys/auth/fa/tune");
  ASSERT_TRUE(tune.ok()) << tune.status().ToString();
  EXPECT_EQ(tune->data->at("max_lease_ttl").as_int64(), 7200);
}

TEST_F(CoreTest, UnauthenticatedLoginNeedsNoToken) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/auth/fa", {{"type", "fakeauth"}}).ok());
  auto login = As("", Operation::kUpdate, "auth/fa/login/erin");
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  EXPECT_EQ(login->auth->policies, std::vector<std::string>{"default"});
  EXPECT_EQ(login->auth->ttl, seconds(3600));
  // Non-login paths of the same mount still need a token.
  EXPECT_EQ(As("", Operation::kRead, "auth/fa/users/x").status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreTest, ExistenceCheckPicksCreateThenUpdateForTheAcl) {
  DevInit();
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/mounts/team", {{"type", "fake"}}).ok());
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/policy/creator",
                 {{"policy", "path \"team/*\" { capabilities = [\"create\"] }"}})
                  .ok());
  auto created = Do(Operation::kUpdate, "auth/token/create", {{"policies", "creator"}});
  ASSERT_TRUE(created.ok());
  std::string token = created->auth->client_token;
  EXPECT_TRUE(As(token, Operation::kUpdate, "team/k", {{"v", 1}}).ok());          // create
  EXPECT_EQ(As(token, Operation::kUpdate, "team/k", {{"v", 2}}).status().code(),  // update
            StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace cellar::core
