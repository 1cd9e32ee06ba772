// src/http/server.h: the HTTP/1.1 listener (Beast and Asio stay in server.cc, STYLE.md §7).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "base/status_or.h"

namespace cellar::framework {
class RequestHandler;
}

namespace cellar::http {

struct ListenerConfig {
  std::string address = "127.0.0.1:8200";  // host:port; port 0 picks a free port
  // Both set: TLS 1.2+ with client certificates requested but optional. Both empty: plain HTTP.
  std::string tls_cert_file;
  std::string tls_key_file;
  int threads = 0;                      // 0: one per core
  size_t max_body_bytes = 32u << 20;    // larger: 413
  size_t max_header_bytes = 64u << 10;  // larger: 431
  size_t max_connections = 4096;        // further connections are closed at once
  // A request (headers and body) must arrive within this time of the previous answer, so a slow
  // or idle client cannot hold a connection forever.
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};
  std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
  // How long Shutdown waits for in-flight requests before cutting connections.
  std::chrono::milliseconds shutdown_grace{std::chrono::seconds(10)};
};

// Serves the Vault HTTP API by handing each request to a RequestHandler. Each of `threads` threads
// runs its own event loop; a connection stays on the thread that accepted it (round-robin), so its
// requests run in order without locks. The handler runs on that thread: a slow request delays the
// other connections of its thread, not the whole server.
class Server {
 public:
  // Binds, listens and starts serving. Errors: kInvalidArgument for a bad address or unreadable
  // TLS files, kUnavailable when the port cannot be bound. `handler` must outlive the Server.
  static StatusOr<std::unique_ptr<Server>> Start(const ListenerConfig& config,
                                                 framework::RequestHandler& handler);
  ~Server();  // calls Shutdown()

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t port() const;     // the bound port (useful with port 0)
  std::string host() const;  // the bound address, e.g. "127.0.0.1"
  bool tls() const;

  // Stops accepting, lets requests in progress finish and be answered, closes idle
  // connections, and returns when every thread has stopped (at most shutdown_grace later).
  // Idempotent; thread-safe.
  void Shutdown();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cellar::http
