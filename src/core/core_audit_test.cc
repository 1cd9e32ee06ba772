// src/core/core_audit_test.cc: the request flow with audit devices: sys/audit*, one request and
// one response entry per request, profile tags, persistence, and failing closed.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <boost/json/parse.hpp>
#include <csignal>

#include "core/audit_testutil.h"
#include "core/core.h"
#include "core/fake_backend_testutil.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

namespace json = boost::json;
using framework::Operation;
using framework::Request;
using framework::Response;

std::vector<json::object> Entries(const std::string& path) {
  std::vector<json::object> out;
  for (const std::string& line : testing_util::FileLines(path)) {
    out.push_back(json::parse(line).as_object());
  }
  return out;
}

class CoreAuditTest : public testing::Test {
 protected:
  void SetUp() override {
    core_ = std::move(Core::Create(testing_util::FakeCoreOptions(&storage_, &clock_))).value();
    auto dev = core_->InitializeDev("root-token");
    ASSERT_TRUE(dev.ok()) << dev.status().ToString();
    unseal_key_ = dev->unseal_key_base64;
    log_ = testing_util::AuditTempPath("audit.log");
  }

  StatusOr<Response> Do(Operation op, std::string path, json::object body = {},
                        std::string token = "root-token",
                        const framework::ProfileOrigin* origin = nullptr) {
    Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.caller.token = std::move(token);
    req.request_id = "req-" + std::to_string(++requests_);
    req.profile = origin;
    return core_->HandleRequest(req);
  }

  void EnableLog(std::string file) {
    auto r = Do(Operation::kUpdate, "sys/audit/file",
                {{"type", "file"}, {"options", {{"file_path", std::move(file)}}}});
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }

  std::string HashOf(std::string_view input) {
    auto r = Do(Operation::kUpdate, "sys/audit-hash/file", {{"input", input}});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? std::string(r->data->at("hash").as_string()) : "";
  }

  FakeClock clock_;
  storage::MemoryStorage storage_;
  std::unique_ptr<Core> core_;
  std::string unseal_key_;
  std::string log_;
  int requests_ = 0;
};

TEST_F(CoreAuditTest, ListShowsEnabledDevices) {
  EnableLog(log_);
  auto list = Do(Operation::kRead, "sys/audit");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  const json::object& file = list->data->at("file/").as_object();
  EXPECT_EQ(file.at("type").as_string(), "file");
  EXPECT_EQ(file.at("path").as_string(), "file/");
  EXPECT_EQ(file.at("options").at("file_path").as_string(), log_);
  EXPECT_FALSE(file.at("local").as_bool());
}

TEST_F(CoreAuditTest, EachRequestGetsARequestAndAResponseEntry) {
  EnableLog(log_);
  ASSERT_TRUE(Do(Operation::kUpdate, "secret/app", {{"password", "hunter2"}}).ok());
  std::vector<json::object> entries = Entries(log_);
  // The enable itself ran before the device existed: only the write is logged.
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].at("type").as_string(), "request");
  EXPECT_EQ(entries[1].at("type").as_string(), "response");
  for (const json::object& e : entries) {
    const json::object& req = e.at("request").as_object();
    EXPECT_EQ(req.at("path").as_string(), "secret/app");
    EXPECT_EQ(req.at("operation").as_string(), "create");  // after the existence check
    EXPECT_EQ(req.at("mount_type").as_string(), "kv");
    EXPECT_EQ(req.at("id").as_string(), "req-2");
    EXPECT_EQ(req.at("data").at("password").as_string(), HashOf("hunter2"));
    EXPECT_EQ(e.at("auth").at("client_token").as_string(), HashOf("root-token"));
    EXPECT_EQ(e.at("auth").at("policies"), (json::array{"root"}));
    EXPECT_FALSE(e.contains("error"));
  }
}

TEST_F(CoreAuditTest, PermissionDeniedIsLoggedWithItsError) {
  EnableLog(log_);
  EXPECT_EQ(Do(Operation::kRead, "secret/app", {}, "hvs.bogus").status().code(),
            StatusCode::kPermissionDenied);
  std::vector<json::object> entries = Entries(log_);
  ASSERT_EQ(entries.size(), 2u);
  for (const json::object& e : entries) {
    EXPECT_EQ(e.at("request").at("path").as_string(), "secret/app");
    EXPECT_EQ(e.at("auth").at("client_token").as_string(), HashOf("hvs.bogus"));
    EXPECT_FALSE(e.at("error").as_string().empty());
  }
}

TEST_F(CoreAuditTest, ProfileSubRequestsCarryTheProfileAndExecution) {
  EnableLog(log_);
  framework::ProfileOrigin origin{"web", "exec-7"};
  ASSERT_TRUE(Do(Operation::kUpdate, "secret/app", {{"k", "v"}}, "root-token", &origin).ok());
  std::vector<json::object> entries = Entries(log_);
  ASSERT_EQ(entries.size(), 2u);
  for (const json::object& e : entries) {
    EXPECT_EQ(e.at("request").at("profile").as_string(), "web");
    EXPECT_EQ(e.at("request").at("profile_execution_id").as_string(), "exec-7");
  }
}

TEST_F(CoreAuditTest, DisabledDeviceStopsLogging) {
  EnableLog(log_);
  ASSERT_TRUE(Do(Operation::kDelete, "sys/audit/file").ok());
  size_t before = Entries(log_).size();
  ASSERT_TRUE(Do(Operation::kRead, "sys/mounts").ok());
  EXPECT_EQ(Entries(log_).size(), before);
  EXPECT_TRUE(Do(Operation::kRead, "sys/audit")->data->empty());
}

TEST_F(CoreAuditTest, DevicesSurviveSealAndUnseal) {
  EnableLog(log_);
  std::string hash = HashOf("hunter2");
  ASSERT_TRUE(core_->Seal().ok());
  ASSERT_TRUE(core_->UnsealWithKey(unseal_key_).ok());
  auto list = Do(Operation::kRead, "sys/audit");
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_TRUE(list->data->contains("file/"));
  EXPECT_EQ(HashOf("hunter2"), hash);  // same device key after unseal
}

TEST_F(CoreAuditTest, BadOptionsAreRejected) {
  auto r =
      Do(Operation::kUpdate, "sys/audit/file", {{"type", "file"}, {"options", json::object{}}});
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Do(Operation::kUpdate, "sys/audit-hash/none", {{"input", "x"}}).status().code(),
            StatusCode::kInvalidArgument);
}

// While alive, no file of this process may grow: every audit write fails as on a full disk.
class FileSizeLimit {
 public:
  FileSizeLimit() {
    std::signal(SIGXFSZ, SIG_IGN);  // the failing write returns EFBIG instead of killing us
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    rlimit zero = saved_;
    zero.rlim_cur = 0;
    ::setrlimit(RLIMIT_FSIZE, &zero);
  }
  ~FileSizeLimit() { ::setrlimit(RLIMIT_FSIZE, &saved_); }

 private:
  rlimit saved_{};
};

TEST_F(CoreAuditTest, UnrecordableRequestFailsAndDoesNotRun) {
  EnableLog(log_);
  size_t before = Entries(log_).size();
  {
    FileSizeLimit full;
    EXPECT_EQ(Do(Operation::kUpdate, "secret/app", {{"password", "hunter2"}}).status().code(),
              StatusCode::kInternal);
  }
  // The write never reached the backend, and the log holds only whole entries.
  auto read = Do(Operation::kRead, "secret/app");
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_FALSE(read->data.has_value());
  std::vector<json::object> entries = Entries(log_);
  ASSERT_EQ(entries.size(), before + 2);  // the read after the limit went, nothing else
  EXPECT_EQ(entries[before].at("request").at("operation").as_string(), "read");
}

TEST_F(CoreAuditTest, OneFailingDeviceOfTwoIsTolerated) {
  EnableLog(log_);
  ASSERT_TRUE(Do(Operation::kUpdate, "sys/audit/full",
                 {{"type", "file"}, {"options", {{"file_path", "/dev/full"}}}})
                  .ok());
  EXPECT_TRUE(Do(Operation::kUpdate, "secret/app", {{"k", "v"}}).ok());
}

}  // namespace
}  // namespace cellar::core
