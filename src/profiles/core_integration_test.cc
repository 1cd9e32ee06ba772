// src/profiles/core_integration_test.cc: profiles executed through a real Core (ACL, direct-deny,
// KV v2) over memory storage.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "profiles/core_testutil.h"
#include "profiles/executor.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;
using framework::Operation;

class CoreProfileTest : public DevCoreTest {
 protected:
  void SetUp() override {
    StartCore();
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

  StatusOr<ExecutionResult> Execute(std::string_view text, const std::string& token,
                                    framework::RequestHandler* handler = nullptr) {
    ProfileParseResult parsed = ParseProfile(text);
    EXPECT_NE(parsed.profile, nullptr) << hcl::FormatDiagnostics(parsed.diagnostics);
    if (parsed.profile == nullptr) {
      return InternalError("parse failed");
    }
    Executor ex(handler != nullptr ? *handler : *core_);
    return ex.Execute(*parsed.profile, {}, {.token = token});
  }

  // The KV v2 value at secret/data/<name> field "v" read directly, or "" when there is none.
  std::string Kv(const std::string& name) {
    auto r = Do("root", Operation::kRead, "secret/data/" + name);
    if (!r.ok() || !r->data) {
      return "";
    }
    const json::value* v = r->data->at("data").as_object().if_contains("v");
    return v != nullptr ? std::string(v->as_string()) : "";
  }

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

// Every sub-request authenticates its token again (the execution's scope only remembers the
// token's hash): a token revoked by one stage stops the next.
TEST_F(CoreProfileTest, TokenRevokedMidExecutionStopsTheNextStage) {
  auto r = Execute(R"(
    request "bye" {
      path      = "auth/token/revoke-self"
      operation = "update"
    }
    request "a" {
      path       = "secret/data/a"
      depends_on = [request.bye]
    }
    output { data = request.a.data }
  )",
                   app_token_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(r.status().message().find("request \"a\""), std::string::npos)
      << r.status().message();
}

// A num_uses token pays one use per sub-request.
TEST_F(CoreProfileTest, LimitedUseTokenPaysForEverySubRequest) {
  constexpr char kInTurn[] = R"(
    request "a" { path = "secret/data/a" }
    request "b" {
      path       = "secret/data/b"
      depends_on = [request.a]
    }
    output { data = { user = request.a.data.data.user, pass = request.b.data.data.pass } }
  )";
  auto limited = [&](int uses) {
    auto token = Do("root", Operation::kUpdate, "auth/token/create",
                    {{"policies", {"app"}}, {"num_uses", uses}});
    EXPECT_TRUE(token.ok()) << token.status().ToString();
    return token.ok() ? token->auth->client_token : std::string();
  };
  std::string two = limited(2);
  ASSERT_TRUE(Execute(kInTurn, two).ok());
  EXPECT_EQ(Do(two, Operation::kRead, "auth/token/lookup-self").status().code(),
            StatusCode::kPermissionDenied);  // used up by the two reads
  auto r = Execute(kInTurn, limited(1));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(r.status().message().find("request \"b\""), std::string::npos)
      << r.status().message();
}

// Independent sub-requests, whether they run side by side or in turn, take their uses one at a
// time: a token with two uses left cannot pay for three reads.
TEST_F(CoreProfileTest, LimitedUseTokenIsNotOverrunBySideBySideRequests) {
  constexpr char kSideBySide[] = R"(
    request "a" { path = "secret/data/a" }
    request "b" { path = "secret/data/b" }
    request "c" { path = "secret/data/a" }
    output { data = [request.a.data.data.user, request.b.data.data.pass, request.c.data.data.user] }
  )";
  auto token = Do("root", Operation::kUpdate, "auth/token/create",
                  {{"policies", {"app"}}, {"num_uses", 2}});
  ASSERT_TRUE(token.ok()) << token.status().ToString();
  auto r = Execute(kSideBySide, token->auth->client_token);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Do(token->auth->client_token, Operation::kRead, "auth/token/lookup-self")
                .status()
                .code(),
            StatusCode::kPermissionDenied);
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

// Two writes, the second after the first; "fail" makes a third, fatal request go to no mount.
std::string WritesProfile(bool transaction, bool fail) {
  std::string text = transaction ? "transaction = true\n" : "";
  text += R"(
request "w1" {
  path = "secret/data/t1"
  operation = "update"
  data = { data = { v = "one" } }
}
request "w2" {
  path = "secret/data/t2"
  operation = "update"
  data = { data = { v = "two" } }
  depends_on = [request.w1]
}
)";
  if (fail) {
    text += R"(request "boom" {
  path = "nosuchmount/x"
  depends_on = [request.w2]
}
)";
  }
  return text + "output { data = 1 }\n";
}

TEST_F(CoreProfileTest, FailedTransactionLeavesEveryWriteUndone) {
  auto r = Execute(WritesProfile(true, true), "root");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().rfind(R"(request "boom" (nosuchmount/x) failed with status )", 0),
            0u)
      << r.status().message();
  EXPECT_EQ(Kv("t1"), "");
  EXPECT_EQ(Kv("t2"), "");
}

TEST_F(CoreProfileTest, FailedExecutionWithoutTransactionKeepsEarlierWrites) {
  ASSERT_FALSE(Execute(WritesProfile(false, true), "root").ok());
  EXPECT_EQ(Kv("t1"), "one");
  EXPECT_EQ(Kv("t2"), "two");
}

TEST_F(CoreProfileTest, SuccessfulTransactionCommitsEveryWrite) {
  auto r = Execute(WritesProfile(true, false), "root");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Kv("t1"), "one");
  EXPECT_EQ(Kv("t2"), "two");
}

TEST_F(CoreProfileTest, TransactionReadsItsOwnWrites) {
  auto r = Execute(R"(
    transaction = true
    request "w" {
      path = "secret/data/t1"
      operation = "update"
      data = { data = { v = "mine" } }
    }
    request "r" {
      path = "secret/data/t1"
      depends_on = [request.w]
    }
    output { data = request.r.data.data.v }
  )",
                   "root");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(json::serialize(r->output), R"("mine")");
}

TEST_F(CoreProfileTest, TransactionRefusesSysWrites) {
  auto r = Execute(R"(
    transaction = true
    request "m" {
      path = "sys/mounts/other"
      operation = "update"
      data = { type = "kv" }
    }
    output { data = 1 }
  )",
                   "root");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("inside a transaction"), std::string::npos);
}

// Forwards to the core; before the request for `peek_path` it reads secret/data/t1 directly
// (outside the execution), as a concurrent client would.
class PeekingHandler : public framework::RequestHandler {
 public:
  PeekingHandler(core::Core& core, std::string peek_path)
      : core_(core), peek_path_(std::move(peek_path)) {}
  StatusOr<framework::Response> HandleRequest(framework::Request& request) override {
    if (request.path == peek_path_) {
      framework::Request direct;
      direct.path = "secret/data/t1";
      direct.caller.token = "root";
      StatusOr<framework::Response> seen = core_.HandleRequest(direct);
      peeked = seen.ok() && seen->data.has_value();
    }
    return core_.HandleRequest(request);
  }
  StatusOr<std::unique_ptr<framework::RequestScope>> BeginScope(bool transactional) override {
    return core_.BeginScope(transactional);
  }
  std::optional<bool> peeked;

 private:
  core::Core& core_;
  std::string peek_path_;
};

TEST_F(CoreProfileTest, OthersDoNotSeeUncommittedWrites) {
  for (bool transaction : {true, false}) {
    ASSERT_TRUE(Do("root", Operation::kDelete, "secret/metadata/t1").ok());
    PeekingHandler peeking(*core_, "secret/data/t2");
    ASSERT_TRUE(Execute(WritesProfile(transaction, false), "root", &peeking).ok());
    ASSERT_TRUE(peeking.peeked.has_value());
    // Without a transaction the first write is visible at once; with one, only after the commit.
    EXPECT_EQ(*peeking.peeked, !transaction) << transaction;
    EXPECT_EQ(Kv("t1"), "one");
  }
}

}  // namespace
}  // namespace cellar::profiles
