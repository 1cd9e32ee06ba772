// src/profiles/core_integration_test.cc: profiles executed through a real Core (ACL, direct-deny,
// KV v2) over memory storage.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/core.h"
#include "engines/kv/kv.h"
#include "profiles/executor.h"
#include "storage/memory_storage.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;
using framework::Operation;

class CoreProfileTest : public testing::Test {
 protected:
  void SetUp() override {
    core::CoreOptions options;
    options.storage = &storage_;
    options.clock = &clock_;
    options.builtins["kv"] = {framework::BackendType::kSecrets, &engines::kv::Factory};
    options.start_expiry_thread = false;
    core_ = std::move(core::Core::Create(std::move(options))).value();
    ASSERT_TRUE(core_->InitializeDev("root").ok());
    Must(Operation::kUpdate, "secret/data/a", {{"data", {{"user", "alice"}}}});
    Must(Operation::kUpdate, "secret/data/b", {{"data", {{"pass", "s3cret"}}}});
    Must(Operation::kUpdate, "sys/policies/acl/app", {{"policy", R"(
            path "secret/data/a" { capabilities = ["read"] }
            path "secret/data/b" { capabilities = ["read", "direct-deny"] }
          )"}});
    auto token = Do("root", Operation::kUpdate, "auth/token/create", {{"policies", {"app"}}});
    ASSERT_TRUE(token.ok()) << token.status().ToString();
    app_token_ = token->auth->client_token;
  }

  StatusOr<framework::Response> Do(std::string token, Operation op, std::string path,
                                   json::object body = {}) {
    framework::Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.caller.token = std::move(token);
    return core_->HandleRequest(req);
  }
  void Must(Operation op, std::string path, json::object body) {
    auto r = Do("root", op, path, std::move(body));
    ASSERT_TRUE(r.ok()) << path << ": " << r.status().ToString();
  }

  StatusOr<ExecutionResult> Execute(std::string_view text, const std::string& token) {
    ProfileParseResult parsed = ParseProfile(text);
    EXPECT_NE(parsed.profile, nullptr) << hcl::FormatDiagnostics(parsed.diagnostics);
    Executor ex(*core_);
    return ex.Execute(*parsed.profile, {}, {.token = token});
  }

  FakeClock clock_;
  storage::MemoryStorage storage_;
  std::unique_ptr<core::Core> core_;
  std::string app_token_;
};

constexpr char kBoth[] = R"(
request "a" { path = "secret/data/a" }
request "b" { path = "secret/data/b" }
output { data = { user = request.a.data.data.user, pass = request.b.data.data.pass } }
)";

TEST_F(CoreProfileTest, ShapesKvReadsUnderTheCallersToken) {
  auto r = Execute(kBoth, app_token_);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(json::serialize(r->output), R"({"user":"alice","pass":"s3cret"})");
}

TEST_F(CoreProfileTest, DirectDenyPathIsReadableOnlyThroughTheProfile) {
  EXPECT_EQ(Do(app_token_, Operation::kRead, "secret/data/b").status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(Execute(kBoth, app_token_).ok());
}

TEST_F(CoreProfileTest, ProfileNeverExceedsTheCallersPolicy) {
  Must(Operation::kUpdate, "secret/data/c", {{"data", {{"x", 1}}}});
  auto r = Execute(R"(
    request "c" { path = "secret/data/c" }
    output { data = request.c.data }
  )",
                   app_token_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(
      r.status().message().rfind(R"(request "c" (secret/data/c) failed with status 403: )", 0), 0u)
      << r.status().message();
}

}  // namespace
}  // namespace cellar::profiles
