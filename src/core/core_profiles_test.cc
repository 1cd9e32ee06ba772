// src/core/core_profiles_test.cc: CoreOptions::profiles_backend: dispatch, aliases, view, ACL.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "base/status_macros.h"
#include "core/core.h"
#include "core/fake_backend_testutil.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using framework::Operation;
using framework::Request;
using framework::Response;

// Answers with what it was given and counts a key per request in its storage, so a test can see
// path, mount fields and that the view persists (and is not the sys/ mount's).
class RecordingBackend : public framework::Backend {
 public:
  explicit RecordingBackend(framework::RequestHandler* handler) : handler_(handler) {}
  StatusOr<Response> HandleRequest(Request& request) override {
    if (request.storage == nullptr) {
      return InternalError("no storage");
    }
    std::string key = request.path;
    std::replace(key.begin(), key.end(), '/', '_');  // one key per path, not a folder
    CELLAR_RETURN_IF_ERROR(request.storage->Put("seen/" + key, "1"));
    auto keys = request.storage->List("seen/");
    if (!keys.ok()) {
      return keys.status();
    }
    return Response::WithData({{"path", request.path},
                               {"mount_point", request.mount_point},
                               {"mount_type", request.mount_type},
                               {"seen", static_cast<int64_t>(keys->size())},
                               {"has_handler", handler_ != nullptr}});
  }
  StatusOr<bool> Exists(Request&) override { return true; }
  std::vector<std::string> UnauthenticatedPaths() const override { return {}; }
  framework::BackendType type() const override { return framework::BackendType::kSecrets; }

 private:
  framework::RequestHandler* handler_;
};

class CoreProfilesHookTest : public testing::Test {
 protected:
  void Build(bool with_hook) {
    CoreOptions options = testing_util::FakeCoreOptions(&storage_);
    if (with_hook) {
      options.profiles_backend =
          [this](framework::RequestHandler& h) -> StatusOr<std::unique_ptr<framework::Backend>> {
        ++factory_calls_;
        return std::unique_ptr<framework::Backend>(std::make_unique<RecordingBackend>(&h));
      };
    }
    core_ = std::move(Core::Create(std::move(options))).value();
    ASSERT_TRUE(core_->InitializeDev("root").ok());
  }

  StatusOr<Response> Do(const std::string& token, Operation op, std::string path,
                        boost::json::object body = {}) {
    Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.caller.token = token;
    return core_->HandleRequest(req);
  }

  std::string TokenWith(const std::string& rules) {
    EXPECT_TRUE(Do("root", Operation::kUpdate, "sys/policies/acl/p", {{"policy", rules}}).ok());
    auto t = Do("root", Operation::kUpdate, "auth/token/create", {{"policies", {"p"}}});
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? t->auth->client_token : "";
  }

  storage::MemoryStorage storage_;
  std::unique_ptr<Core> core_;
  int factory_calls_ = 0;
};

TEST_F(CoreProfilesHookTest, WithoutHookProfilesPathsAreNotFound) {
  Build(false);
  auto r = Do("root", Operation::kRead, "sys/profiles/modify/x");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().code() == StatusCode::kUnknownPath ||
              r.status().code() == StatusCode::kNotFound)
      << r.status().ToString();
}

TEST_F(CoreProfilesHookTest, FactoryRunsOnceAtCreate) {
  Build(true);
  EXPECT_EQ(factory_calls_, 1);
}

TEST_F(CoreProfilesHookTest, DispatchesRelativeToSysWithSystemMountFields) {
  Build(true);
  auto r = Do("root", Operation::kRead, "sys/profiles/modify/web");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data->at("path").as_string(), "profiles/modify/web");
  EXPECT_EQ(r->data->at("mount_point").as_string(), "sys/");
  EXPECT_EQ(r->data->at("mount_type").as_string(), "system");
  EXPECT_TRUE(r->data->at("has_handler").as_bool());
  EXPECT_EQ(r->mount_type, "system");
}

struct AliasCase {
  std::string path;
  std::string want;
};

class CoreProfilesAliasTest : public CoreProfilesHookTest,
                              public testing::WithParamInterface<AliasCase> {};

TEST_P(CoreProfilesAliasTest, WorkflowsAliasesAreRewritten) {
  Build(true);
  auto r = Do("root", Operation::kUpdate, GetParam().path);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data->at("path").as_string(), GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(Aliases, CoreProfilesAliasTest,
                         testing::Values(AliasCase{"sys/workflows/manage/a", "profiles/modify/a"},
                                         AliasCase{"sys/workflows/execute/a", "profiles/execute/a"},
                                         AliasCase{"sys/workflows/trace/a", "profiles/debug/a"},
                                         AliasCase{"sys/workflows/other/a", "workflows/other/a"},
                                         AliasCase{"sys/workflows/managed/a",
                                                   "workflows/managed/a"}));

TEST_F(CoreProfilesHookTest, StorageViewPersistsAcrossRequests) {
  Build(true);
  ASSERT_TRUE(Do("root", Operation::kRead, "sys/profiles/modify/a").ok());
  auto r = Do("root", Operation::kRead, "sys/profiles/modify/b");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->data->at("seen").as_int64(), 2);
}

TEST_F(CoreProfilesHookTest, AclSeesTheRewrittenPath) {
  Build(true);
  std::string token = TokenWith(R"(path "sys/profiles/execute/a" { capabilities = ["update"] })");
  EXPECT_TRUE(Do(token, Operation::kUpdate, "sys/workflows/execute/a").ok());
  EXPECT_EQ(Do(token, Operation::kUpdate, "sys/profiles/execute/b").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(Do(token, Operation::kRead, "sys/profiles/modify/a").status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreProfilesHookTest, NeedsAToken) {
  Build(true);
  EXPECT_EQ(Do("", Operation::kRead, "sys/profiles/modify/a").status().code(),
            StatusCode::kPermissionDenied);
}

TEST_F(CoreProfilesHookTest, SealedCoreRefusesProfiles) {
  Build(true);
  ASSERT_TRUE(core_->Seal().ok());
  EXPECT_EQ(Do("root", Operation::kRead, "sys/profiles/modify/a").status().code(),
            StatusCode::kSealed);
}

}  // namespace
}  // namespace cellar::core
