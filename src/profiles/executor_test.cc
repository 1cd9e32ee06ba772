// src/profiles/executor_test.cc: execution against a fake RequestHandler.
#include "profiles/executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace cellar::profiles {
namespace {

namespace json = boost::json;

// Counts how a scope ended.
class FakeScope : public framework::RequestScope {
 public:
  explicit FakeScope(std::atomic<int>* commits, std::atomic<int>* aborts)
      : commits_(commits), aborts_(aborts) {}
  Status Commit() override {
    ++*commits_;
    ended_ = true;
    return OkStatus();
  }
  void Abort() override {
    if (!ended_) {
      ++*aborts_;
      ended_ = true;
    }
  }
  ~FakeScope() override { Abort(); }

 private:
  std::atomic<int>* commits_;
  std::atomic<int>* aborts_;
  bool ended_ = false;
};

// Answers from a table of path → data; "deny/..." is 403, "lease/..." returns a lease,
// "meet/..." waits until `meet_count` such requests are in flight at once, "slow/..." takes 20ms.
// With `scopes` it hands out FakeScopes (else BeginScope is the default: Unsupported).
class FakeHandler : public framework::RequestHandler {
 public:
  std::map<std::string, json::object> data;
  int meet_count = 0;
  bool scopes = false;
  std::atomic<int> scopes_begun{0};
  std::atomic<int> commits{0};
  std::atomic<int> aborts{0};
  std::atomic<bool> transactional{false};

  StatusOr<std::unique_ptr<framework::RequestScope>> BeginScope(bool tx) override {
    if (!scopes) {
      return RequestHandler::BeginScope(tx);
    }
    ++scopes_begun;
    transactional = tx;
    return std::unique_ptr<framework::RequestScope>(std::make_unique<FakeScope>(&commits, &aborts));
  }

  StatusOr<framework::Response> HandleRequest(framework::Request& r) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      calls.push_back({r.path, r.operation, r.caller.token, r.via_profile, r.data, r.scope,
                       std::this_thread::get_id()});
    }
    if (r.path.starts_with("slow/")) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    if (r.path.starts_with("meet/")) {
      std::unique_lock<std::mutex> lock(mu_);
      ++arrived_;
      cv_.notify_all();
      if (!cv_.wait_for(lock, std::chrono::seconds(5), [&] { return arrived_ >= meet_count; })) {
        return InternalError("requests did not run concurrently");
      }
    }
    if (r.path.starts_with("deny/")) {
      return PermissionDeniedError("permission denied");
    }
    if (r.path == "auth/userpass/login/app") {
      framework::Response resp;
      resp.auth.emplace();
      resp.auth->client_token = "login-token";
      return resp;
    }
    if (r.path.starts_with("lease/")) {
      framework::Response resp = framework::Response::WithData({{"password", "p"}});
      resp.lease_id = r.path + "/L1";
      return resp;
    }
    auto it = data.find(r.path);
    if (it == data.end()) {
      if (r.path.starts_with("sys/") || r.path.starts_with("auth/token/") ||
          r.path.starts_with("echo/") || r.path.starts_with("meet/") ||
          r.path.starts_with("slow/")) {
        return framework::Response::WithData(r.data);
      }
      return NotFoundError("");
    }
    return framework::Response::WithData(it->second);
  }

  struct Call {
    std::string path;
    framework::Operation op;
    std::string token;
    bool via_profile;
    json::object data;
    framework::RequestScope* scope;
    std::thread::id thread;
  };
  std::vector<Call> calls;

  std::vector<std::string> Paths() const {
    std::vector<std::string> out;
    for (const Call& c : calls) {
      out.push_back(c.path);
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int arrived_ = 0;
};

std::shared_ptr<const Profile> MustParse(std::string_view text) {
  ProfileParseResult r = ParseProfile(text);
  EXPECT_NE(r.profile, nullptr) << hcl::FormatDiagnostics(r.diagnostics);
  return r.profile;
}

StatusOr<ExecutionResult> RunProfile(FakeHandler& h, std::string_view text, json::object input = {},
                                     std::vector<Step>* trace = nullptr) {
  std::shared_ptr<const Profile> p = MustParse(text);
  if (!p) {
    return InternalError("parse failed");
  }
  Executor ex(h);
  return ex.Execute(*p, input, {.token = "caller-token", .trace = trace});
}

TEST(Executor, ShapesOutputFromSeveralReads) {
  FakeHandler h;
  h.data["secret/data/db"] = {{"data", {{"user", "u"}, {"pass", "p"}}}};
  h.data["secret/data/api"] = {{"data", {{"key", "k"}}}};
  auto r = RunProfile(h, R"(
    request "db" { path = "secret/data/db" }
    request "api" { path = "/v1/secret/data/api" }
    output { data = { login = "${request.db.data.data.user}:${request.db.data.data.pass}",
                      api_key = request.api.data.data.key } }
  )");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(json::serialize(r->output), R"({"login":"u:p","api_key":"k"})");
  ASSERT_EQ(h.calls.size(), 2u);
  for (const auto& c : h.calls) {
    EXPECT_EQ(c.token, "caller-token");
    EXPECT_TRUE(c.via_profile);
    EXPECT_EQ(c.op, framework::Operation::kRead);
  }
}

TEST(Executor, ForEachOverListResult) {
  FakeHandler h;
  h.data["secret/metadata/apps"] = {{"keys", {"a", "b"}}};
  h.data["secret/data/apps/a"] = {{"data", {{"v", 1}}}};
  h.data["secret/data/apps/b"] = {{"data", {{"v", 2}}}};
  auto r = RunProfile(h, R"(
    request "apps" {
      path = "secret/metadata/apps"
      operation = "list"
    }
    request "cfg" {
      for_each = request.apps.data.keys
      path     = "secret/data/apps/${each.value}"
    }
    output { data = { for k, r in request.cfg : k => r.data.data.v } }
  )");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(json::serialize(r->output), R"({"a":1,"b":2})");
  EXPECT_EQ(h.calls[0].op, framework::Operation::kList);
}

TEST(Executor, PassesDataFromInput) {
  FakeHandler h;
  auto r = RunProfile(h, R"(
    input { data = { cn = "string", ttl = "string?" } }
    request "cert" {
      path = "echo/issue"
      operation = "update"
      data = { common_name = input.data.cn, ttl = input.data.ttl != null ? input.data.ttl : "24h" }
    }
    output { data = request.cert.data }
  )",
                      {{"cn", "example.com"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(json::serialize(r->output), R"({"common_name":"example.com","ttl":"24h"})");
  EXPECT_EQ(h.calls[0].op, framework::Operation::kUpdate);
}

TEST(Executor, IndependentRequestsRunConcurrently) {
  FakeHandler h;
  h.meet_count = 3;
  auto r = RunProfile(h, R"(
    request "a" { path = "meet/a" }
    request "b" { path = "meet/b" }
    request "c" { path = "meet/c" }
    output { data = 1 }
  )");
  // Sequential execution would leave the first request waiting for the others and fail.
  ASSERT_TRUE(r.ok()) << r.status().message();
}

TEST(Executor, QuickStageRunsOnTheCallingThreadOnceLearnt) {
  FakeHandler h;
  std::shared_ptr<const Profile> p = MustParse(R"(
    request "a" { path = "echo/a" }
    request "b" { path = "echo/b" }
    request "c" { path = "echo/c" }
    output { data = 1 }
  )");
  Executor ex(h);
  // The first run (unknown costs) goes to the pool; a few more keep one run preempted on a busy
  // machine from making a request look slow.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(ex.Execute(*p, {}, {.token = "t"}).ok());
  }
  h.calls.clear();
  ASSERT_TRUE(ex.Execute(*p, {}, {.token = "t"}).ok());
  ASSERT_EQ(h.calls.size(), 3u);
  for (const FakeHandler::Call& c : h.calls) {
    EXPECT_EQ(c.thread, std::this_thread::get_id()) << c.path;
  }
}

TEST(Executor, SlowStageStaysConcurrentOnceLearnt) {
  std::shared_ptr<const Profile> p = MustParse(R"(
    input { data = { kind = "string" } }
    request "a" { path = "${input.data.kind}/a" }
    request "b" { path = "${input.data.kind}/b" }
    request "c" { path = "${input.data.kind}/c" }
    output { data = 1 }
  )");
  FakeHandler slow;
  ASSERT_TRUE(Executor(slow).Execute(*p, {{"kind", "slow"}}, {.token = "t"}).ok());
  // The same requests, learnt to take 20ms each, must still be in flight together.
  FakeHandler meet;
  meet.meet_count = 3;
  auto r = Executor(meet).Execute(*p, {{"kind", "meet"}}, {.token = "t"});
  ASSERT_TRUE(r.ok()) << r.status().message();
}

TEST(Executor, DependentRequestRunsAfterItsDependency) {
  FakeHandler h;
  h.data["secret/data/a"] = {{"next", "b"}};
  h.data["secret/data/b"] = {{"v", "done"}};
  auto r = RunProfile(h, R"(
    request "second" { path = "secret/data/${request.first.data.next}" }
    request "first" { path = "secret/data/a" }
    output { data = request.second.data.v }
  )");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(json::serialize(r->output), R"("done")");
  EXPECT_EQ(h.Paths(), (std::vector<std::string>{"secret/data/a", "secret/data/b"}));
}

TEST(Executor, FatalErrorNamesRequestAndRevokesLeases) {
  FakeHandler h;
  auto r = RunProfile(h, R"(
    request "creds" { path = "lease/db" }
    request "cert" {
      path = "deny/pki/issue/web"
      depends_on = [request.creds]
    }
    output { data = 1 }
  )");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(r.status().message(),
            R"(request "cert" (deny/pki/issue/web) failed with status 403: permission denied)");
  ASSERT_EQ(h.calls.size(), 3u);
  EXPECT_EQ(h.calls[2].path, "sys/leases/revoke");
  EXPECT_EQ(json::serialize(h.calls[2].data), R"({"lease_id":"lease/db/L1"})");
}

TEST(Executor, IgnoredErrorBecomesResult) {
  FakeHandler h;
  auto r = RunProfile(h, R"(
    request "x" {
      path = "deny/x"
      err  = ignore
    }
    output { data = request.x }
  )");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(json::serialize(r->output), R"({"error":"permission denied","status":403})");
}

TEST(Executor, MissingOutputFieldIsAnErrorNamingIt) {
  FakeHandler h;
  h.data["secret/data/a"] = {{"x", 1}};
  auto r = RunProfile(h, R"(
    request "a" { path = "secret/data/a" }
    output { data = { y = request.a.data.y } }
  )");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), R"(output: missing field "y" in request.a.data.y)");
}

// Results are converted to CEL only along the fields expressions select (RequestSpec::used);
// what they read must come out as if the whole envelope had been converted.
struct ReadCase {
  std::string_view output;
  std::string_view want;  // the output's JSON, or "error: <message>"
};

class ExecutorReadTest : public testing::TestWithParam<ReadCase> {};

TEST_P(ExecutorReadTest, ReadsResultsAsWhole) {
  FakeHandler h;
  h.data["secret/data/db"] = {
      {"data", {{"user", "u"}, {"meta", {{"b", 2}, {"a", 1}}}, {"tags", {"t1", "t2"}}}}};
  auto r = RunProfile(h, "request \"db\" { path = \"secret/data/db\" }\n"
                         "output { data = " + std::string(GetParam().output) + " }");
  std::string got = r.ok() ? json::serialize(r->output) : "error: " + r.status().message();
  EXPECT_EQ(got, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    All, ExecutorReadTest,
    testing::Values(
        ReadCase{"request.db.data.data.user", R"("u")"},
        ReadCase{"request.db.data.data.meta", R"({"b":2,"a":1})"},
        ReadCase{"[request.db.data.data.user, request.db.data.data.meta.a]", R"(["u",1])"},
        ReadCase{"[request.db.data.data.meta.a, request.db.data.data]",
                 R"([1,{"user":"u","meta":{"b":2,"a":1},"tags":["t1","t2"]}])"},
        ReadCase{"keys(request.db.data.data.meta)", R"(["a","b"])"},
        ReadCase{"request.db.data.data.tags[1]", R"("t2")"},
        ReadCase{R"(request.db.data["data"].user)", R"("u")"},
        ReadCase{"has(request.db.data.data.nope)", "false"},
        ReadCase{"[request.db.lease_id, request.db.renewable, request.db.warnings]",
                 R"(["",false,null])"},
        ReadCase{"request.db",
                 R"({"data":{"data":{"user":"u","meta":{"b":2,"a":1},"tags":["t1","t2"]}},)"
                 R"("lease_id":"","lease_duration":0,"renewable":false,"warnings":null,)"
                 R"("auth":null})"},
        ReadCase{"request.db.data.data.nope",
                 R"(error: output: missing field "nope" in request.db.data.data.nope)"},
        ReadCase{"request.db.nope", R"(error: output: missing field "nope" in request.db.nope)"},
        ReadCase{"request.db.data.data.user.x",
                 R"(error: output: request.db.data.data.user.x: cannot read field "x" of a string)"}));

TEST(Executor, MaxRequestsCountsExpansion) {
  FakeHandler h;
  auto r = RunProfile(h, R"(
    max_requests = 2
    input { data = { names = "list" } }
    request "r" {
      for_each = input.data.names
      path = "echo/${each.value}"
    }
    output { data = 1 }
  )",
                      {{"names", {"a", "b", "c"}}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("max_requests"), std::string::npos);
  EXPECT_TRUE(h.calls.empty());
}

TEST(Executor, BadInputNamesEveryField) {
  FakeHandler h;
  auto r = RunProfile(h, R"(
    input { data = { a = "string", b = "number" } }
    request "r" { path = "echo/x" }
    output { data = 1 }
  )",
                      {{"b", "x"}, {"c", 1}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            R"(missing required input "a"; input "b" must be a number; unknown input "c")");
}

TEST(Executor, AuthBlockLogsInAndRevokesItsToken) {
  FakeHandler h;
  auto r = RunProfile(h, R"(
    input {
      authenticated = false
      data = { password = "string" }
    }
    auth {
      path = "auth/userpass/login/app"
      data = { password = input.data.password }
    }
    request "r" { path = "echo/x" }
    output { data = 1 }
  )",
                      {{"password", "pw"}});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(h.calls.size(), 3u);
  EXPECT_EQ(h.calls[0].token, "");
  EXPECT_EQ(h.calls[1].token, "login-token");
  EXPECT_EQ(h.calls[2].path, "auth/token/revoke-self");
  EXPECT_EQ(h.calls[2].token, "login-token");
}

TEST(Executor, TraceRedactsValues) {
  FakeHandler h;
  h.data["secret/data/a"] = {{"password", "hunter2"}};
  std::vector<Step> steps;
  auto r = RunProfile(h, R"(
    request "a" { path = "secret/data/a" }
    output { data = 1 }
  )",
                      {}, &steps);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].status, 200);
  std::string response = json::serialize(steps[0].response);
  EXPECT_EQ(response.find("hunter2"), std::string::npos);
  EXPECT_NE(response.find("<redacted>"), std::string::npos);
}

TEST(Executor, PlanResolvesLiteralPathsAndExecutesNothing) {
  FakeHandler h;
  std::shared_ptr<const Profile> p = MustParse(R"(
    input { data = { app = "string" } }
    request "a" { path = "secret/data/${input.data.app}" }
    request "b" { path = "secret/data/${request.a.data.x}" }
    output { data = 1 }
  )");
  Executor ex(h);
  auto plan = ex.Plan(*p, {{"app", "web"}}, {.token = "t"});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(json::serialize((*plan)[0].at("path")), R"("secret/data/web")");
  EXPECT_TRUE((*plan)[1].at("path").is_null());
  // Only the capabilities lookup was made.
  EXPECT_EQ(h.Paths(), (std::vector<std::string>{"sys/capabilities-self"}));
}

}  // namespace
}  // namespace cellar::profiles

namespace cellar::profiles {
namespace {

TEST(ExecutorScope, TransactionNeedsAHandlerWithScopes) {
  FakeHandler h;
  auto r = RunProfile(h,
                      "transaction = true\nrequest \"a\" { path = \"echo/a\" }\n"
                      "output { data = 1 }");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnsupported);
  EXPECT_TRUE(h.calls.empty());
}

TEST(ExecutorScope, SuccessCommitsOneScopeCarriedByEverySubRequest) {
  FakeHandler h;
  h.scopes = true;
  auto r = RunProfile(h, R"(
    transaction = true
    request "a" { path = "echo/a" }
    request "b" { path = "echo/b" }
    output { data = 1 }
  )");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(h.scopes_begun.load(), 1);
  EXPECT_TRUE(h.transactional.load());
  EXPECT_EQ(h.commits.load(), 1);
  EXPECT_EQ(h.aborts.load(), 0);
  ASSERT_EQ(h.calls.size(), 2u);
  EXPECT_NE(h.calls[0].scope, nullptr);
  EXPECT_EQ(h.calls[0].scope, h.calls[1].scope);
}

TEST(ExecutorScope, FatalErrorAbortsTheScopeInsteadOfRevokingAsTheCaller) {
  FakeHandler h;
  h.scopes = true;
  auto r = RunProfile(h, R"(
    request "creds" { path = "lease/db" }
    request "cert" {
      path = "deny/x"
      depends_on = [request.creds]
    }
    output { data = 1 }
  )");
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(h.transactional.load());
  EXPECT_EQ(h.aborts.load(), 1);
  EXPECT_EQ(h.commits.load(), 0);
  EXPECT_EQ(h.Paths(), (std::vector<std::string>{"lease/db", "deny/x"}));
}

TEST(ExecutorScope, AuthLoginRunsOutsideTheScope) {
  FakeHandler h;
  h.scopes = true;
  auto r = RunProfile(h, R"(
    transaction = true
    input { authenticated = false }
    auth { path = "auth/userpass/login/app" }
    request "a" { path = "echo/a" }
    output { data = 1 }
  )");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_GE(h.calls.size(), 2u);
  EXPECT_EQ(h.calls[0].path, "auth/userpass/login/app");
  EXPECT_EQ(h.calls[0].scope, nullptr);
  EXPECT_NE(h.calls[1].scope, nullptr);
}

TEST(ExecutorScope, TimeoutIsCheckedAfterTheLastStage) {
  FakeHandler h;
  h.scopes = true;
  auto r = RunProfile(h, R"(
    timeout = "5ms"
    request "a" { path = "slow/a" }
    output { data = 1 }
  )");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_NE(r.status().message().find("5ms"), std::string::npos) << r.status().message();
  EXPECT_EQ(h.aborts.load(), 1);
}

TEST(ExecutorScope, TimeoutStopsBeforeTheNextStage) {
  FakeHandler h;
  h.scopes = true;
  auto r = RunProfile(h, R"(
    timeout = "5ms"
    request "a" { path = "slow/a" }
    request "b" {
      path = "echo/b"
      depends_on = [request.a]
    }
    output { data = 1 }
  )");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(h.Paths(), std::vector<std::string>{"slow/a"});
}

}  // namespace
}  // namespace cellar::profiles
