// src/auth/userpass/userpass_test.cc: userpass through PathBackend on MemoryStorage.
#include "auth/userpass/userpass.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "storage/memory_storage.h"

namespace cellar::auth::userpass {
namespace {

using framework::Operation;
namespace json = boost::json;

class UserpassTest : public testing::Test {
 protected:
  void SetUp() override {
    framework::BackendConfig config;
    config.mount_point = "auth/userpass/";
    config.type = "userpass";
    config.storage = &storage_;
    // A cheap hash keeps the suite fast; stored hashes carry their cost, so verification is real.
    auto backend = NewBackend(config, crypto::ScryptParams{.log2_n = 4, .r = 8, .p = 1});
    ASSERT_TRUE(backend.ok()) << backend.status().ToString();
    backend_ = std::move(backend).value();
  }

  StatusOr<framework::Response> Call(Operation op, std::string path, std::string_view body = "{}") {
    framework::Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = json::parse(body).as_object();
    req.storage = &storage_;
    return backend_->HandleRequest(req);
  }

  void CreateUser(std::string name, std::string_view body) {
    auto resp = Call(Operation::kCreate, "users/" + name, body);
    ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  }

  storage::MemoryStorage storage_;
  std::unique_ptr<framework::Backend> backend_;
};

TEST_F(UserpassTest, LoginReturnsAuth) {
  CreateUser("alice", R"({"password":"pw1","token_policies":"dev,ops","token_ttl":"1h",
                         "token_max_ttl":"2h","token_num_uses":3})");
  auto resp = Call(Operation::kUpdate, "login/alice", R"({"password":"pw1"})");
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  ASSERT_TRUE(resp->auth.has_value());
  const framework::Auth& auth = *resp->auth;
  EXPECT_EQ(auth.token_policies, (std::vector<std::string>{"dev", "ops"}));
  EXPECT_EQ(auth.policies, (std::vector<std::string>{"dev", "ops"}));
  EXPECT_EQ(auth.metadata.at("username"), "alice");
  EXPECT_EQ(auth.display_name, "alice");
  EXPECT_EQ(auth.ttl, framework::Seconds(3600));
  EXPECT_EQ(auth.max_ttl, framework::Seconds(7200));
  EXPECT_EQ(auth.num_uses, 3);
  EXPECT_TRUE(auth.renewable);
}

TEST_F(UserpassTest, WrongPasswordAndUnknownUserLookTheSame) {
  CreateUser("alice", R"({"password":"pw1"})");
  auto wrong = Call(Operation::kUpdate, "login/alice", R"({"password":"nope"})");
  auto unknown = Call(Operation::kUpdate, "login/bob", R"({"password":"nope"})");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(wrong.status().message(), "invalid username or password");
  EXPECT_EQ(wrong.status(), unknown.status());
}

TEST_F(UserpassTest, BoundCidrsLimitLoginAddress) {
  CreateUser("alice", R"({"password":"pw1","token_bound_cidrs":"10.0.0.0/8"})");
  framework::Request req;
  req.operation = Operation::kUpdate;
  req.path = "login/alice";
  req.data = json::parse(R"({"password":"pw1"})").as_object();
  req.storage = &storage_;
  req.remote_addr = "10.1.2.3";
  auto inside = backend_->HandleRequest(req);
  ASSERT_TRUE(inside.ok()) << inside.status().ToString();
  EXPECT_EQ(inside->auth->bound_cidrs, std::vector<std::string>{"10.0.0.0/8"});
  req.remote_addr = "192.168.0.1";
  EXPECT_EQ(backend_->HandleRequest(req).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(UserpassTest, LoginWithoutPasswordRefused) {
  CreateUser("alice", R"({"password":"pw1"})");
  EXPECT_EQ(Call(Operation::kUpdate, "login/alice").status().message(), "missing password");
}

TEST_F(UserpassTest, CreateNeedsPassword) {
  auto resp = Call(Operation::kCreate, "users/alice", R"({"token_policies":"dev"})");
  EXPECT_EQ(resp.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(resp.status().message(), "missing password");
}

TEST_F(UserpassTest, UserNamesAreCaseInsensitive) {
  CreateUser("Alice", R"({"password":"pw1"})");
  EXPECT_TRUE(Call(Operation::kUpdate, "login/ALICE", R"({"password":"pw1"})").ok());
  EXPECT_TRUE(storage_.Get("user/alice")->has_value());
}

TEST_F(UserpassTest, ReadShowsTokenFieldsNotPassword) {
  CreateUser("alice", R"({"password":"pw1","policies":["a"],"token_ttl":60})");
  auto resp = Call(Operation::kRead, "users/alice");
  ASSERT_TRUE(resp.ok());
  ASSERT_TRUE(resp->data.has_value());
  EXPECT_EQ(resp->data->at("token_policies"), json::parse(R"(["a"])"));
  EXPECT_EQ(resp->data->at("policies"), json::parse(R"(["a"])"));
  EXPECT_EQ(resp->data->at("token_ttl"), json::value(60));
  EXPECT_FALSE(resp->data->contains("password"));
  EXPECT_FALSE(resp->data->contains("password_hash"));
}

TEST_F(UserpassTest, ReadAbsentIsEmpty) {
  auto resp = Call(Operation::kRead, "users/nobody");
  ASSERT_TRUE(resp.ok());
  EXPECT_TRUE(resp->Empty());
}

TEST_F(UserpassTest, PasswordIsStoredHashed) {
  CreateUser("alice", R"({"password":"very-secret-pw"})");
  std::string stored = **storage_.Get("user/alice");
  EXPECT_EQ(stored.find("very-secret-pw"), std::string::npos);
  EXPECT_NE(stored.find("$scrypt$"), std::string::npos);
}

TEST_F(UserpassTest, UpdateWithoutPasswordKeepsIt) {
  CreateUser("alice", R"({"password":"pw1"})");
  ASSERT_TRUE(Call(Operation::kUpdate, "users/alice", R"({"token_ttl":"5m"})").ok());
  auto login = Call(Operation::kUpdate, "login/alice", R"({"password":"pw1"})");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->auth->ttl, framework::Seconds(300));
}

TEST_F(UserpassTest, PasswordEndpointChangesPassword) {
  CreateUser("alice", R"({"password":"old"})");
  ASSERT_TRUE(Call(Operation::kUpdate, "users/alice/password", R"({"password":"new"})").ok());
  EXPECT_FALSE(Call(Operation::kUpdate, "login/alice", R"({"password":"old"})").ok());
  EXPECT_TRUE(Call(Operation::kUpdate, "login/alice", R"({"password":"new"})").ok());
}

TEST_F(UserpassTest, PasswordEndpointNeedsExistingUser) {
  auto resp = Call(Operation::kUpdate, "users/ghost/password", R"({"password":"x"})");
  EXPECT_EQ(resp.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(UserpassTest, PoliciesEndpointChangesPolicies) {
  CreateUser("alice", R"({"password":"pw1","token_policies":"a"})");
  ASSERT_TRUE(Call(Operation::kUpdate, "users/alice/policies", R"({"token_policies":"b,c"})").ok());
  auto login = Call(Operation::kUpdate, "login/alice", R"({"password":"pw1"})");
  ASSERT_TRUE(login.ok());
  EXPECT_EQ(login->auth->policies, (std::vector<std::string>{"b", "c"}));
}

TEST_F(UserpassTest, ListUsers) {
  CreateUser("bob", R"({"password":"x"})");
  CreateUser("alice", R"({"password":"x"})");
  auto resp = Call(Operation::kList, "users/");
  ASSERT_TRUE(resp.ok());
  EXPECT_EQ(resp->data->at("keys"), json::parse(R"(["alice","bob"])"));
  auto bare = Call(Operation::kList, "users");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->data->at("keys"), json::parse(R"(["alice","bob"])"));
}

TEST_F(UserpassTest, ListWithoutUsersIsEmpty) {
  auto resp = Call(Operation::kList, "users/");
  ASSERT_TRUE(resp.ok());
  EXPECT_TRUE(resp->Empty());
}

TEST_F(UserpassTest, DeletedUserCannotLogIn) {
  CreateUser("alice", R"({"password":"pw1"})");
  ASSERT_TRUE(Call(Operation::kDelete, "users/alice").ok());
  EXPECT_EQ(Call(Operation::kUpdate, "login/alice", R"({"password":"pw1"})").status().message(),
            "invalid username or password");
}

TEST_F(UserpassTest, BadFieldTypeNamesField) {
  auto resp = Call(Operation::kCreate, "users/alice", R"({"password":"x","token_ttl":"abc"})");
  EXPECT_EQ(resp.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(resp.status().message().find("\"token_ttl\""), std::string::npos);
}

TEST_F(UserpassTest, TtlOverMaxRefused) {
  auto resp = Call(Operation::kCreate, "users/alice",
                   R"({"password":"x","token_ttl":"2h","token_max_ttl":"1h"})");
  EXPECT_EQ(resp.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(UserpassTest, ExistenceCheckDecidesCreateOrUpdate) {
  framework::Request req;
  req.operation = Operation::kUpdate;
  req.path = "users/alice";
  req.storage = &storage_;
  EXPECT_FALSE(*backend_->Exists(req));
  CreateUser("alice", R"({"password":"x"})");
  EXPECT_TRUE(*backend_->Exists(req));
}

TEST_F(UserpassTest, LoginIsUnauthenticated) {
  EXPECT_EQ(backend_->UnauthenticatedPaths(), std::vector<std::string>{"login/*"});
  EXPECT_EQ(backend_->type(), framework::BackendType::kCredential);
}

TEST_F(UserpassTest, RenewFollowsUserState) {
  CreateUser("alice", R"({"password":"pw1","token_policies":"a"})");
  auto login = Call(Operation::kUpdate, "login/alice", R"({"password":"pw1"})");
  ASSERT_TRUE(login.ok());
  framework::Request req;
  req.storage = &storage_;
  EXPECT_TRUE(backend_->RenewAuth(req, *login->auth).ok());
  ASSERT_TRUE(Call(Operation::kUpdate, "users/alice/policies", R"({"token_policies":"b"})").ok());
  EXPECT_EQ(backend_->RenewAuth(req, *login->auth).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(Call(Operation::kDelete, "users/alice").ok());
  EXPECT_EQ(backend_->RenewAuth(req, *login->auth).message(), "user no longer exists");
}

TEST(UserpassFactoryTest, NeedsStorage) {
  framework::BackendConfig config;
  EXPECT_EQ(Factory(config).status().code(), StatusCode::kInvalidArgument);
}

TEST(UserpassFactoryTest, DefaultCostHashesVerify) {
  storage::MemoryStorage storage;
  framework::BackendConfig config;
  config.storage = &storage;
  auto backend = Factory(config);
  ASSERT_TRUE(backend.ok());
  framework::Request create;
  create.operation = Operation::kCreate;
  create.path = "users/alice";
  create.data = json::parse(R"({"password":"pw1"})").as_object();
  ASSERT_TRUE((*backend)->HandleRequest(create).ok());
  framework::Request login;
  login.operation = Operation::kUpdate;
  login.path = "login/alice";
  login.data = json::parse(R"({"password":"pw1"})").as_object();
  EXPECT_TRUE((*backend)->HandleRequest(login).ok());
  EXPECT_NE((**storage.Get("user/alice")).find("ln=14"), std::string::npos);
}

}  // namespace
}  // namespace cellar::auth::userpass
