// tests/integration/core_integration_test.cc: Core + MemoryStorage + the real built-in engines:
// dev init, KV v2, userpass logins, ACL before routing, seal/unseal and restart persistence.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "builtins/builtins.h"
#include "core/core.h"
#include "crypto/encoding.h"
#include "storage/memory_storage.h"

namespace cellar {
namespace {

using core::Core;
using core::CoreOptions;
using framework::Operation;
using framework::Request;
using framework::Response;
using std::chrono::seconds;

class CoreIntegrationTest : public testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start() {
    CoreOptions options;
    options.storage = &storage_;
    options.clock = &clock_;
    options.builtins = builtins::Registry();
    options.start_expiry_thread = false;
    core_ = std::move(Core::Create(std::move(options))).value();
  }

  void DevInit() {
    auto dev = core_->InitializeDev("dev-root");
    ASSERT_TRUE(dev.ok()) << dev.status().ToString();
    root_ = dev->root_token;
    key_ = dev->unseal_key_base64;
  }

  StatusOr<Response> Do(std::string token, Operation op, std::string path,
                        boost::json::object body = {}) {
    Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.caller.token = std::move(token);
    return core_->HandleRequest(req);
  }
  StatusOr<Response> Root(Operation op, std::string path, boost::json::object body = {}) {
    return Do(root_, op, std::move(path), std::move(body));
  }

  // A fresh root token through sys/generate-root (the operator's way back in after a restart).
  std::string GenerateRoot() {
    auto attempt = Do("", Operation::kUpdate, "sys/generate-root/attempt");
    EXPECT_TRUE(attempt.ok()) << attempt.status().ToString();
    auto a = boost::json::parse(attempt->raw->body).as_object();
    std::string otp(a["otp"].as_string());
    auto update = Do("", Operation::kUpdate, "sys/generate-root/update",
                     {{"key", key_}, {"nonce", a["nonce"]}});
    EXPECT_TRUE(update.ok()) << update.status().ToString();
    auto u = boost::json::parse(update->raw->body).as_object();
    EXPECT_TRUE(u["complete"].as_bool());
    std::string encoded = crypto::Base64Decode(std::string(u["encoded_token"].as_string())).value();
    std::string token;
    for (size_t i = 0; i < encoded.size(); i++) {
      token.push_back(static_cast<char>(encoded[i] ^ otp[i]));
    }
    return token;
  }

  FakeClock clock_;
  storage::MemoryStorage storage_;
  std::unique_ptr<Core> core_;
  std::string root_;
  std::string key_;
};

TEST_F(CoreIntegrationTest, KvV2WriteReadOnDevSecretMount) {
  DevInit();
  auto write = Root(Operation::kUpdate, "secret/data/app", {{"data", {{"pw", "s3"}}}});
  ASSERT_TRUE(write.ok()) << write.status().ToString();
  EXPECT_EQ(write->data->at("version").as_int64(), 1);
  auto read = Root(Operation::kRead, "secret/data/app");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->data->at("data").as_object().at("pw").as_string(), "s3");
  EXPECT_EQ(read->mount_type, "kv");
}

TEST_F(CoreIntegrationTest, UiMountsReportsKvVersion) {
  DevInit();
  auto r = Root(Operation::kRead, "sys/internal/ui/mounts/secret/data/app");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data->at("type").as_string(), "kv");
  EXPECT_EQ(r->data->at("options").as_object().at("version").as_string(), "2");
}

TEST_F(CoreIntegrationTest, UserpassLoginGivesADefaultPolicyToken) {
  DevInit();
  ASSERT_TRUE(Root(Operation::kUpdate, "sys/auth/userpass", {{"type", "userpass"}}).ok());
  ASSERT_TRUE(Root(Operation::kUpdate, "auth/userpass/users/bob", {{"password", "pw"}}).ok());
  auto bad = Do("", Operation::kUpdate, "auth/userpass/login/bob", {{"password", "nope"}});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  auto login = Do("", Operation::kUpdate, "auth/userpass/login/bob", {{"password", "pw"}});
  ASSERT_TRUE(login.ok()) << login.status().ToString();
  ASSERT_TRUE(login->auth);
  std::string token = login->auth->client_token;
  EXPECT_FALSE(token.empty());
  // default policy: cubbyhole yes, secret/ no (403, also for a path with no mount).
  EXPECT_TRUE(Do(token, Operation::kUpdate, "cubbyhole/x", {{"a", "b"}}).ok());
  EXPECT_EQ(Do(token, Operation::kRead, "secret/data/app").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Do(token, Operation::kRead, "nowhere/x").status().code(),
            StatusCode::kPermissionDenied);
  // Disabling the auth method revokes its tokens.
  ASSERT_TRUE(Root(Operation::kDelete, "sys/auth/userpass").ok());
  EXPECT_EQ(Do(token, Operation::kRead, "cubbyhole/x").status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreIntegrationTest, SealedCoreAnswers503ExceptStatusRoutes) {
  DevInit();
  ASSERT_TRUE(Root(Operation::kUpdate, "sys/seal").ok());
  EXPECT_EQ(Root(Operation::kRead, "secret/data/app").status().code(), StatusCode::kSealed);
  EXPECT_TRUE(Do("", Operation::kRead, "sys/seal-status").ok());
  EXPECT_TRUE(Do("", Operation::kRead, "sys/health").ok());
  EXPECT_TRUE(Do("", Operation::kRead, "sys/leader").ok());
}

TEST_F(CoreIntegrationTest, MountsAndDataSurviveARestart) {
  DevInit();
  ASSERT_TRUE(Root(Operation::kUpdate, "sys/mounts/kv1", {{"type", "kv"}}).ok());
  ASSERT_TRUE(Root(Operation::kUpdate, "kv1/app", {{"pw", "old"}}).ok());
  ASSERT_TRUE(Root(Operation::kUpdate, "secret/data/app", {{"data", {{"pw", "v2"}}}}).ok());
  core_.reset();
  Start();
  EXPECT_TRUE(core_->IsSealed());
  ASSERT_TRUE(core_->UnsealWithKey(key_).ok());
  std::string root = GenerateRoot();
  ASSERT_FALSE(root.empty());
  auto v1 = Do(root, Operation::kRead, "kv1/app");
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(v1->data->at("pw").as_string(), "old");
  auto v2 = Do(root, Operation::kRead, "secret/data/app");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->data->at("data").as_object().at("pw").as_string(), "v2");
}

TEST_F(CoreIntegrationTest, GenericMountIsKvV1) {
  DevInit();
  ASSERT_TRUE(Root(Operation::kUpdate, "sys/mounts/old", {{"type", "generic"}}).ok());
  auto m = Root(Operation::kRead, "sys/mounts");
  ASSERT_TRUE(m.ok());
  const auto& entry = m->data->at("old/").as_object();
  EXPECT_EQ(entry.at("type").as_string(), "kv");
  EXPECT_EQ(entry.at("options").as_object().at("version").as_string(), "1");
}

}  // namespace
}  // namespace cellar
