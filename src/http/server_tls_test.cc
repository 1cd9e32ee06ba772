// src/http/server_tls_test.cc: the TLS listener hands the client's certificate chain to the core
// and serves clients without one.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "http/fake_handler.h"
#include "http/server.h"

namespace cellar::http {
namespace {

namespace fs = std::filesystem;

// Self-signed EC certificates made once per test binary run with the openssl tool.
class TlsFixture : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("cellar_tls_" + std::to_string(getpid())));
    fs::create_directories(*dir_);
    for (const char* name : {"server", "client"}) {
      std::string cmd =
          "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
          "-keyout " +
          (*dir_ / (std::string(name) + "-key.pem")).string() + " -out " +
          (*dir_ / (std::string(name) + ".pem")).string() + " -days 1 -subj /CN=" + name +
          " >/dev/null 2>&1";
      ASSERT_EQ(std::system(cmd.c_str()), 0);
    }
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  static std::string File(const std::string& name) { return (*dir_ / name).string(); }

  // One HTTPS GET; returns the status line's code, or 0 on a failed handshake.
  static int Get(uint16_t port, bool with_client_cert) {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    if (with_client_cert) {
      SSL_CTX_use_certificate_file(ctx, File("client.pem").c_str(), SSL_FILETYPE_PEM);
      SSL_CTX_use_PrivateKey_file(ctx, File("client-key.pem").c_str(), SSL_FILETYPE_PEM);
    }
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = 0;
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0) {
      SSL* ssl = SSL_new(ctx);
      SSL_set_fd(ssl, fd);
      if (SSL_connect(ssl) == 1) {
        std::string req = "GET /v1/cert/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        SSL_write(ssl, req.data(), static_cast<int>(req.size()));
        char buf[64] = {};
        if (SSL_read(ssl, buf, sizeof(buf) - 1) > 12) {
          status = std::atoi(buf + 9);
        }
      }
      SSL_free(ssl);
    }
    close(fd);
    SSL_CTX_free(ctx);
    return status;
  }

  static std::string ClientDer() {
    FILE* f = fopen(File("client.pem").c_str(), "r");
    X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
    fclose(f);
    int len = i2d_X509(cert, nullptr);
    std::string der(static_cast<size_t>(len), '\0');
    auto* p = reinterpret_cast<unsigned char*>(der.data());
    i2d_X509(cert, &p);
    X509_free(cert);
    return der;
  }

  ListenerConfig TlsConfig() {
    ListenerConfig c;
    c.address = "127.0.0.1:0";
    c.threads = 1;
    c.tls_cert_file = File("server.pem");
    c.tls_key_file = File("server-key.pem");
    return c;
  }

  static fs::path* dir_;
};

fs::path* TlsFixture::dir_ = nullptr;

FakeHandler::Fn Ok() {
  return [](framework::Request&) -> StatusOr<framework::Response> {
    return framework::Response::WithData({{"ok", true}});
  };
}

TEST_F(TlsFixture, ClientCertificateReachesRequest) {
  FakeHandler h(Ok());
  auto server = Server::Start(TlsConfig(), h);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  EXPECT_TRUE((*server)->tls());
  EXPECT_EQ(Get((*server)->port(), /*with_client_cert=*/true), 200);
  auto seen = h.seen();
  ASSERT_EQ(seen.size(), 1u);
  ASSERT_EQ(seen[0].peer_certificates_der.size(), 1u);
  EXPECT_EQ(seen[0].peer_certificates_der[0], ClientDer());
}

TEST_F(TlsFixture, NoClientCertificateIsServed) {
  FakeHandler h(Ok());
  auto server = Server::Start(TlsConfig(), h);
  ASSERT_TRUE(server.ok());
  EXPECT_EQ(Get((*server)->port(), /*with_client_cert=*/false), 200);
  ASSERT_EQ(h.seen().size(), 1u);
  EXPECT_TRUE(h.seen()[0].peer_certificates_der.empty());
}

TEST_F(TlsFixture, MissingKeyFileRejected) {
  FakeHandler h(Ok());
  ListenerConfig c = TlsConfig();
  c.tls_key_file = File("absent.pem");
  EXPECT_EQ(Server::Start(c, h).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(TlsFixture, HalfTlsConfigRejected) {
  FakeHandler h(Ok());
  ListenerConfig c = TlsConfig();
  c.tls_key_file.clear();
  EXPECT_EQ(Server::Start(c, h).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::http
