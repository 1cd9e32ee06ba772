// src/http/dispatch_test.cc: the pipeline from WireRequest through a handler to WireResponse.
#include "http/dispatch.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cctype>
#include <set>
#include <stdexcept>

#include "http/fake_handler.h"

namespace cellar::http {
namespace {

WireRequest Get(std::string target) {
  WireRequest w;
  w.method = "GET";
  w.target = std::move(target);
  return w;
}

TEST(DispatchTest, HandlerErrorBecomesStatus) {
  FakeHandler h(
      [](framework::Request&) -> StatusOr<framework::Response> { return PermissionDeniedError(); });
  WireResponse w = Dispatch(Get("/v1/secret/a"), h);
  EXPECT_EQ(w.status, 403);
  EXPECT_EQ(w.body, R"({"errors":["permission denied"]})");
}

TEST(DispatchTest, UnknownMountMessagePassesThrough) {
  FakeHandler h([](framework::Request& r) -> StatusOr<framework::Response> {
    return UnknownPathError("no handler for route \"" + r.path + "\". route entry not found.");
  });
  WireResponse w = Dispatch(Get("/v1/nope/a"), h);
  EXPECT_EQ(w.status, 404);
  EXPECT_NE(w.body.find("no handler for route"), std::string::npos);
}

TEST(DispatchTest, InternalErrorIsGeneric) {
  FakeHandler h([](framework::Request&) -> StatusOr<framework::Response> {
    return InternalError("barrier key missing");
  });
  WireResponse w = Dispatch(Get("/v1/secret/a"), h);
  EXPECT_EQ(w.status, 500);
  EXPECT_EQ(w.body, R"({"errors":["internal error"]})");
}

TEST(DispatchTest, ExceptionFromHandlerIs500) {
  FakeHandler h([](framework::Request&) -> StatusOr<framework::Response> {
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(Dispatch(Get("/v1/secret/a"), h).status, 500);
}

TEST(DispatchTest, MappingErrorSkipsHandler) {
  FakeHandler h(
      [](framework::Request&) -> StatusOr<framework::Response> { return framework::Response{}; });
  WireRequest w = Get("/v1/secret/a");
  w.method = "POST";
  w.body = "[1]";
  EXPECT_EQ(Dispatch(w, h).status, 400);
  EXPECT_TRUE(h.seen().empty());
}

TEST(DispatchTest, HandlerSeesMappedRequest) {
  FakeHandler h([](framework::Request&) -> StatusOr<framework::Response> {
    return framework::Response::WithData({{"ok", true}});
  });
  WireRequest w = Get("/v1/secret/data/a?version=3");
  w.vault_token = "hvs.t";
  WireResponse out = Dispatch(w, h);
  std::vector<framework::Request> all = h.seen();
  ASSERT_EQ(all.size(), 1u);
  const framework::Request& seen = all[0];
  EXPECT_EQ(seen.path, "secret/data/a");
  EXPECT_EQ(seen.caller.token, "hvs.t");
  EXPECT_EQ(seen.data.at("version").as_string(), "3");
  auto env = boost::json::parse(out.body).as_object();
  EXPECT_EQ(env.at("request_id").as_string(), seen.request_id);
}

TEST(DispatchTest, HeadOmitsBody) {
  FakeHandler h([](framework::Request&) -> StatusOr<framework::Response> {
    framework::Response r;
    r.raw = framework::RawBody{200, "application/json", R"({"initialized":true})"};
    return r;
  });
  WireRequest w = Get("/v1/sys/health");
  w.method = "HEAD";
  WireResponse out = Dispatch(w, h);
  EXPECT_EQ(out.status, 200);
  EXPECT_TRUE(out.omit_body);
}

TEST(RequestIdTest, IsVersion4Uuid) {
  std::string id = NewRequestId();
  ASSERT_EQ(id.size(), 36u);
  for (size_t i = 0; i < id.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      EXPECT_EQ(id[i], '-') << id;
    } else {
      EXPECT_TRUE(std::isxdigit(static_cast<unsigned char>(id[i])) && !std::isupper(id[i])) << id;
    }
  }
  EXPECT_EQ(id[14], '4');
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
}

TEST(RequestIdTest, Unique) {
  std::set<std::string> ids;
  for (int i = 0; i < 1000; ++i) {
    ids.insert(NewRequestId());
  }
  EXPECT_EQ(ids.size(), 1000u);
}

}  // namespace
}  // namespace cellar::http
