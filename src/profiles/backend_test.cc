// src/profiles/backend_test.cc: the endpoints over memory storage and a fake core.
#include "profiles/backend.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "storage/memory_storage.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;
using framework::Operation;

// Reads KV-like data from a table; everything else is 404.
class TableHandler : public framework::RequestHandler {
 public:
  std::map<std::string, json::object> data;
  StatusOr<framework::Response> HandleRequest(framework::Request& r) override {
    auto it = data.find(r.path);
    if (it == data.end()) {
      return NotFoundError("");
    }
    return framework::Response::WithData(it->second);
  }
};

class BackendTest : public testing::Test {
 protected:
  void SetUp() override {
    auto b = ProfilesBackend::Create(core_);
    ASSERT_TRUE(b.ok()) << b.status().message();
    backend_ = *std::move(b);
  }

  StatusOr<framework::Response> Call(Operation op, std::string path, json::object data = {}) {
    framework::Request r;
    r.operation = op;
    r.path = std::move(path);
    r.data = std::move(data);
    r.caller.token = "t";
    r.storage = &storage_;
    return backend_->HandleRequest(r);
  }

  TableHandler core_;
  storage::MemoryStorage storage_;
  std::unique_ptr<ProfilesBackend> backend_;
};

constexpr char kProfile[] = R"(
input { data = { app = "string" } }
request "cfg" { path = "secret/data/${input.data.app}" }
output { data = { value = request.cfg.data.v } }
)";

TEST_F(BackendTest, WriteReadListDelete) {
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/modify/p1", {{"profile", kProfile}}).ok());
  auto read = Call(Operation::kRead, "profiles/modify/p1");
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(read->data->at("profile").as_string(), kProfile);
  EXPECT_EQ(json::serialize(read->data->at("summary")),
            R"({"inputs":{"app":"string"},"stages":[["cfg"]]})");
  EXPECT_EQ(read->data->at("version").as_int64(), 1);
  auto list = Call(Operation::kList, "profiles/modify/");
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_EQ(json::serialize(list->data->at("keys")), R"(["p1"])");
  ASSERT_TRUE(Call(Operation::kDelete, "profiles/modify/p1").ok());
  EXPECT_EQ(Call(Operation::kRead, "profiles/modify/p1").status().code(), StatusCode::kNotFound);
}

TEST_F(BackendTest, InvalidProfileIsRejectedWithPositions) {
  auto r = Call(Operation::kUpdate, "profiles/modify/bad",
                {{"profile", "request \"a\" {\n  path = \"${request.b.data}\"\n}"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("2:13: request.b does not exist"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(Call(Operation::kRead, "profiles/modify/bad").status().code(), StatusCode::kNotFound);
}

TEST_F(BackendTest, ExecuteReturnsOutput) {
  core_.data["secret/data/web"] = {{"v", "hello"}};
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/modify/p", {{"profile", kProfile}}).ok());
  auto r = Call(Operation::kUpdate, "profiles/execute/p", {{"app", "web"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(json::serialize(*r->data), R"({"value":"hello"})");
  auto wrapped = Call(Operation::kUpdate, "profiles/execute/p", {{"input", {{"app", "web"}}}});
  ASSERT_TRUE(wrapped.ok()) << wrapped.status().message();
}

TEST_F(BackendTest, ExecutionFollowsRewriteAndDeleteOfACachedProfile) {
  core_.data["secret/data/web"] = {{"v", "hello"}};
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/modify/p", {{"profile", kProfile}}).ok());
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/execute/p", {{"app", "web"}}).ok());
  std::string upper = R"(
input { data = { app = "string" } }
request "cfg" { path = "secret/data/${input.data.app}" }
output { data = { value = "${request.cfg.data.v}-v2" } }
)";
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/modify/p", {{"profile", upper}}).ok());
  auto r = Call(Operation::kUpdate, "profiles/execute/p", {{"app", "web"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(json::serialize(*r->data), R"({"value":"hello-v2"})");
  EXPECT_EQ(Call(Operation::kRead, "profiles/modify/p")->data->at("version").as_int64(), 2);
  ASSERT_TRUE(Call(Operation::kDelete, "profiles/modify/p").ok());
  EXPECT_EQ(Call(Operation::kUpdate, "profiles/execute/p", {{"app", "web"}}).status().code(),
            StatusCode::kNotFound);
}

TEST_F(BackendTest, WorkflowAliases) {
  core_.data["secret/data/web"] = {{"v", "hi"}};
  ASSERT_TRUE(Call(Operation::kUpdate, "workflows/manage/w", {{"workflow", kProfile}}).ok());
  auto r = Call(Operation::kUpdate, "workflows/execute/w", {{"app", "web"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto trace = Call(Operation::kUpdate, "workflows/trace/w", {{"app", "web"}});
  ASSERT_TRUE(trace.ok()) << trace.status().message();
  EXPECT_EQ(trace->data->at("steps").as_array().size(), 1u);
}

TEST_F(BackendTest, DebugReportsFailureWithSteps) {
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/modify/p", {{"profile", kProfile}}).ok());
  auto r = Call(Operation::kUpdate, "profiles/debug/p", {{"app", "missing"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->data->at("output").is_null());
  EXPECT_EQ(r->data->at("steps").as_array()[0].at("status").as_int64(), 404);
  EXPECT_NE(std::string(r->data->at("error").as_string()).find("request \"cfg\""),
            std::string::npos);
}

TEST_F(BackendTest, ExistenceCheckTellsCreateFromUpdate) {
  framework::Request r;
  r.operation = Operation::kUpdate;
  r.path = "profiles/modify/p";
  r.storage = &storage_;
  auto before = backend_->Exists(r);
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(*before);
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/modify/p", {{"profile", kProfile}}).ok());
  auto after = backend_->Exists(r);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(*after);
}

TEST_F(BackendTest, CasMismatchIsRejected) {
  ASSERT_TRUE(Call(Operation::kUpdate, "profiles/modify/p", {{"profile", kProfile}}).ok());
  auto r = Call(Operation::kUpdate, "profiles/modify/p", {{"profile", kProfile}, {"cas", 0}});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::profiles
