// src/http/server_test.cc: the listener over real sockets: keep-alive, limits, timeouts, shutdown.
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "http/fake_handler.h"

namespace cellar::http {
namespace {

using namespace std::chrono_literals;

// A blocking client socket; reads give up after 5 s so a broken server fails the test quickly.
class Conn {
 public:
  explicit Conn(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  ~Conn() { close(fd_); }
  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) {
        return false;
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response (headers + Content-Length body); "" when the peer closed first.
  std::string ReadResponse() {
    while (true) {
      size_t end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t length = 0;
        size_t cl = buf_.find("Content-Length: ");
        if (cl != std::string::npos && cl < end) {
          length = std::stoul(buf_.substr(cl + 16));
        }
        if (buf_.size() >= end + 4 + length) {
          std::string out = buf_.substr(0, end + 4 + length);
          buf_.erase(0, end + 4 + length);
          return out;
        }
      }
      if (!Fill()) {
        return "";
      }
    }
  }

  // True when the server closes the connection (EOF or reset) before sending anything more.
  bool ClosedByPeer() {
    char c;
    ssize_t n = recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool Fill() {
    char tmp[4096];
    ssize_t n = recv(fd_, tmp, sizeof(tmp), 0);
    if (n <= 0) {
      return false;
    }
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  std::string buf_;
};

int StatusOf(const std::string& response) {
  if (response.size() < 12) {
    return 0;
  }
  return std::stoi(response.substr(9, 3));
}

std::string Body(const std::string& response) {
  return response.substr(response.find("\r\n\r\n") + 4);
}

FakeHandler::Fn Echo() {
  return [](framework::Request& r) -> StatusOr<framework::Response> {
    return framework::Response::WithData({{"path", r.path}});
  };
}

ListenerConfig TestConfig() {
  ListenerConfig c;
  c.address = "127.0.0.1:0";
  c.threads = 2;
  return c;
}

std::unique_ptr<Server> MustStart(const ListenerConfig& c, framework::RequestHandler& h) {
  auto server = Server::Start(c, h);
  EXPECT_TRUE(server.ok()) << server.status().ToString();
  return std::move(server).value();
}

TEST(ServerTest, PicksFreePort) {
  FakeHandler h(Echo());
  auto server = MustStart(TestConfig(), h);
  EXPECT_NE(server->port(), 0);
  EXPECT_EQ(server->host(), "127.0.0.1");
}

TEST(ServerTest, BadAddressRejected) {
  FakeHandler h(Echo());
  ListenerConfig c = TestConfig();
  c.address = "not-an-address";
  EXPECT_EQ(Server::Start(c, h).status().code(), StatusCode::kInvalidArgument);
}

TEST(ServerTest, PortInUseIsUnavailable) {
  FakeHandler h(Echo());
  auto first = MustStart(TestConfig(), h);
  ListenerConfig c = TestConfig();
  c.address = "127.0.0.1:" + std::to_string(first->port());
  EXPECT_EQ(Server::Start(c, h).status().code(), StatusCode::kUnavailable);
}

TEST(ServerTest, KeepAliveServesSeveralRequests) {
  FakeHandler h(Echo());
  auto server = MustStart(TestConfig(), h);
  Conn conn(server->port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(conn.Send("GET /v1/secret/a HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::string resp = conn.ReadResponse();
    EXPECT_EQ(StatusOf(resp), 200);
    EXPECT_NE(resp.find("Content-Type: application/json\r\n"), std::string::npos);
    EXPECT_NE(Body(resp).find(R"("path":"secret/a")"), std::string::npos);
  }
}

TEST(ServerTest, ListMethodReachesHandler) {
  FakeHandler h(Echo());
  auto server = MustStart(TestConfig(), h);
  Conn conn(server->port());
  ASSERT_TRUE(conn.Send("LIST /v1/secret/metadata HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_NE(Body(conn.ReadResponse()).find(R"("path":"secret/metadata/")"), std::string::npos);
}

TEST(ServerTest, NoContentHasNoContentType) {
  FakeHandler h(
      [](framework::Request&) -> StatusOr<framework::Response> { return framework::Response{}; });
  auto server = MustStart(TestConfig(), h);
  Conn conn(server->port());
  ASSERT_TRUE(conn.Send("DELETE /v1/secret/a HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string resp = conn.ReadResponse();
  EXPECT_EQ(StatusOf(resp), 204);
}

TEST(ServerTest, HeadHasNoBody) {
  FakeHandler h(Echo());
  auto server = MustStart(TestConfig(), h);
  Conn conn(server->port());
  ASSERT_TRUE(conn.Send("HEAD /v1/sys/health HTTP/1.1\r\nHost: x\r\n\r\n"));
  // The header announces the length but no body follows: the next response starts at once.
  ASSERT_TRUE(conn.Send("GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string raw;
  std::string first = conn.ReadResponse();  // parses Content-Length, so read the rest raw
  EXPECT_EQ(StatusOf(first), 200);
  EXPECT_EQ(Body(first).rfind("HTTP/1.1 200", 0), 0u);
}

// A body sent in the same segment as its headers is parsed from the buffer before any further
// read; each framing must still reach the handler whole, and a pipelined request must survive.
TEST(ServerTest, BodiesSentWithTheirHeadersReachTheHandler) {
  struct Case {
    const char* name;
    std::string wire;  // everything sent in one write
    int requests;      // how many requests the wire holds
  };
  const std::string post = "POST /v1/secret/a HTTP/1.1\r\nHost: x\r\n";
  const std::vector<Case> cases = {
      {"content-length", post + "Content-Length: 9\r\n\r\n{\"a\":\"b\"}", 1},
      {"chunked",
       post + "Transfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n5\r\n:\"b\"}\r\n0\r\n\r\n", 1},
      {"pipelined",
       post + "Content-Length: 9\r\n\r\n{\"a\":\"b\"}" + post +
           "Content-Length: 9\r\n\r\n{\"a\":\"b\"}",
       2},
  };
  for (const Case& c : cases) {
    FakeHandler h(Echo());
    auto server = MustStart(TestConfig(), h);
    Conn conn(server->port());
    ASSERT_TRUE(conn.Send(c.wire)) << c.name;
    for (int i = 0; i < c.requests; ++i) {
      EXPECT_EQ(StatusOf(conn.ReadResponse()), 200) << c.name;
    }
    auto seen = h.seen();
    ASSERT_EQ(seen.size(), static_cast<size_t>(c.requests)) << c.name;
    for (const auto& r : seen) {
      EXPECT_EQ(boost::json::serialize(r.data), R"({"a":"b"})") << c.name;
    }
  }
}

// Over the body limit: announced by Content-Length (the body follows in a second send), or found
// only while parsing a chunked body sent in one piece with its headers.
TEST(ServerTest, BodyOverLimitIs413) {
  struct Case {
    const char* name;
    std::vector<std::string> sends;
  };
  const std::string post = "POST /v1/secret/a HTTP/1.1\r\nHost: x\r\n";
  const std::vector<Case> cases = {
      {"content-length", {post + "Content-Length: 4096\r\n\r\n", std::string(4096, 'a')}},
      {"buffered chunked",
       {post + "Transfer-Encoding: chunked\r\n\r\n1000\r\n" + std::string(4096, 'a') +
        "\r\n0\r\n\r\n"}},
  };
  for (const Case& k : cases) {
    FakeHandler h(Echo());
    ListenerConfig c = TestConfig();
    c.max_body_bytes = 1024;
    auto server = MustStart(c, h);
    Conn conn(server->port());
    for (const std::string& part : k.sends) {
      conn.Send(part);
    }
    std::string resp = conn.ReadResponse();
    EXPECT_EQ(StatusOf(resp), 413) << k.name;
    EXPECT_NE(Body(resp).find("errors"), std::string::npos) << k.name;
    EXPECT_TRUE(h.seen().empty()) << k.name;
  }
}

TEST(ServerTest, HugeHeaderIs431) {
  FakeHandler h(Echo());
  ListenerConfig c = TestConfig();
  c.max_header_bytes = 1024;
  auto server = MustStart(c, h);
  Conn conn(server->port());
  conn.Send("GET /v1/a HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'b') + "\r\n\r\n");
  EXPECT_EQ(StatusOf(conn.ReadResponse()), 431);
}

TEST(ServerTest, GarbageIs400AndServerKeepsServing) {
  FakeHandler h(Echo());
  auto server = MustStart(TestConfig(), h);
  {
    Conn bad(server->port());
    bad.Send("THIS IS NOT HTTP\r\n\r\n");
    EXPECT_EQ(StatusOf(bad.ReadResponse()), 400);
  }
  Conn good(server->port());
  good.Send("GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(StatusOf(good.ReadResponse()), 200);
}

TEST(ServerTest, SlowClientIsCut) {
  FakeHandler h(Echo());
  ListenerConfig c = TestConfig();
  c.read_timeout = 200ms;
  auto server = MustStart(c, h);
  Conn conn(server->port());
  conn.Send("GET /v1/a HTTP/1.1\r\n");  // never finishes the header
  auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(conn.ClosedByPeer());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST(ServerTest, DroppedClientMidBodyLeavesServerServing) {
  FakeHandler h(Echo());
  auto server = MustStart(TestConfig(), h);
  {
    Conn conn(server->port());
    conn.Send("POST /v1/a HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":");
  }
  Conn good(server->port());
  good.Send("GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(StatusOf(good.ReadResponse()), 200);
  EXPECT_TRUE(h.seen().size() == 1u);
}

TEST(ServerTest, ConnectionsOverLimitAreClosed) {
  FakeHandler h(Echo());
  ListenerConfig c = TestConfig();
  c.max_connections = 1;
  auto server = MustStart(c, h);
  Conn first(server->port());
  first.Send("GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(StatusOf(first.ReadResponse()), 200);  // first is now registered and open
  Conn second(server->port());
  EXPECT_TRUE(second.ClosedByPeer());
}

TEST(ServerTest, ShutdownLetsInFlightRequestFinish) {
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> release_future = release.get_future().share();
  FakeHandler h([&](framework::Request&) -> StatusOr<framework::Response> {
    entered.set_value();
    release_future.wait();
    return framework::Response::WithData({{"done", true}});
  });
  auto server = MustStart(TestConfig(), h);
  Conn conn(server->port());
  conn.Send("GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n");
  entered.get_future().wait();
  std::thread stopper([&] { server->Shutdown(); });
  std::this_thread::sleep_for(50ms);  // let Shutdown reach its wait before the handler returns
  release.set_value();
  std::string resp = conn.ReadResponse();
  stopper.join();
  EXPECT_EQ(StatusOf(resp), 200);
  EXPECT_NE(resp.find("Connection: close"), std::string::npos);
}

TEST(ServerTest, ShutdownClosesIdleConnections) {
  FakeHandler h(Echo());
  auto server = MustStart(TestConfig(), h);
  Conn conn(server->port());
  conn.Send("GET /v1/a HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(StatusOf(conn.ReadResponse()), 200);
  auto start = std::chrono::steady_clock::now();
  server->Shutdown();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_TRUE(conn.ClosedByPeer());
}

}  // namespace
}  // namespace cellar::http
