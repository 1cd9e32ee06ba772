// src/http/server.cc: the Beast listener: accept loop, sessions (plain or TLS), limits, shutdown.
#include "http/server.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <mutex>
#include <optional>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "framework/request_handler.h"
#include "framework/status_to_http.h"
#include "http/dispatch.h"
#include "http/wire.h"

namespace cellar::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

// Each thread runs its own io_context and owns its connections outright: no strand, no shared
// scheduler lock, no type-erased executor on the per-request path.
using Executor = net::io_context::executor_type;
using Socket = net::basic_stream_socket<tcp, Executor>;
using TcpStream = beast::basic_stream<tcp, Executor, beast::unlimited_rate_policy>;

// Bytes read and thrown away after a 413, so the client finishes sending and sees the answer
// instead of a reset.
constexpr size_t kMaxDrainBytes = 256u << 20;
constexpr std::chrono::seconds kDrainTimeout(5);

// Status line, headers and body in one buffer, so a response costs one send. The bytes are what
// Beast's serializer wrote for the same response: Content-Type (none on a 204), Cache-Control,
// Connection when the version's default does not apply, Content-Length (a HEAD announces the
// length of the body it leaves out).
void SerializeResponse(const WireResponse& res, unsigned version, bool keep_alive,
                       std::string& out) {
  std::string_view reason = bhttp::obsolete_reason(static_cast<bhttp::status>(res.status));
  std::string_view body = res.omit_body ? std::string_view() : std::string_view(res.body);
  out.clear();
  out.reserve(160 + res.content_type.size() + body.size());
  out.append("HTTP/1.1 ");
  out[5] = static_cast<char>('0' + version / 10);
  out[7] = static_cast<char>('0' + version % 10);
  char digits[24];
  auto [status_end, status_ec] = std::to_chars(digits, digits + sizeof(digits), res.status);
  out.append(digits, status_end);
  out.push_back(' ');
  out.append(reason);
  out.append("\r\n");
  if (res.status != 204) {
    out.append("Content-Type: ").append(res.content_type).append("\r\n");
  }
  out.append("Cache-Control: no-store\r\n");
  if (!res.location.empty()) {
    out.append("Location: ").append(res.location).append("\r\n");
  }
  if (version >= 11 && !keep_alive) {
    out.append("Connection: close\r\n");
  } else if (version < 11 && keep_alive) {
    out.append("Connection: keep-alive\r\n");
  }
  auto [length_end, length_ec] = std::to_chars(digits, digits + sizeof(digits), res.body.size());
  out.append("Content-Length: ").append(digits, length_end).append("\r\n\r\n");
  out.append(body);
}

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  // Closes the connection if no request is in progress; otherwise it closes after answering.
  virtual void StopIfIdle() = 0;
};

// Splits "host:port" or "[v6]:port".
StatusOr<tcp::endpoint> ParseEndpoint(const std::string& address) {
  std::string host;
  std::string port;
  if (!address.empty() && address.front() == '[') {
    size_t close = address.find(']');
    if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':') {
      return InvalidArgumentError("invalid listen address \"" + address + "\"");
    }
    host = address.substr(1, close - 1);
    port = address.substr(close + 2);
  } else {
    size_t colon = address.rfind(':');
    if (colon == std::string::npos) {
      return InvalidArgumentError("invalid listen address \"" + address + "\": want host:port");
    }
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
  }
  if (host.empty() || host == "localhost") {
    host = "127.0.0.1";
  }
  boost::system::error_code ec;
  net::ip::address ip = net::ip::make_address(host, ec);
  if (ec) {
    return InvalidArgumentError("invalid listen address \"" + address + "\": bad host");
  }
  unsigned long port_number = 0;
  try {
    size_t used = 0;
    port_number = std::stoul(port, &used);
    if (used != port.size() || port_number > 65535) {
      throw std::out_of_range("port");
    }
  } catch (const std::exception&) {
    return InvalidArgumentError("invalid listen address \"" + address + "\": bad port");
  }
  return tcp::endpoint(ip, static_cast<uint16_t>(port_number));
}

// Everything a session needs from the server (Server::Impl adds the accept loop).
struct ServerState {
  ServerState(const ListenerConfig& c, framework::RequestHandler& h) : config(c), handler(h) {}

  ListenerConfig config;
  framework::RequestHandler& handler;

  // Sessions deregister in their destructors, which may run while the contexts are destroyed, so
  // the registry is declared (and outlives) before them.
  std::mutex mu;
  std::unordered_map<uint64_t, std::weak_ptr<SessionBase>> sessions;
  uint64_t next_session_id = 0;
  std::atomic<size_t> connections{0};
  std::atomic<bool> stopping{false};
  std::mutex shutdown_mu;
  bool shut_down = false;

  std::optional<ssl::context> ssl_ctx;
  // One io_context per thread (concurrency hint 1: no internal locking). unique_ptr because an
  // io_context cannot move. The work guards keep a thread's run() alive while it has no
  // connection; they are declared after the contexts so they go first.
  std::vector<std::unique_ptr<net::io_context>> contexts;
  std::vector<net::executor_work_guard<Executor>> guards;
  size_t next_context = 0;  // round-robin over contexts; touched only by the accept handler
  std::optional<net::basic_socket_acceptor<tcp, Executor>> acceptor;
  tcp::endpoint bound;
  std::vector<std::thread> threads;

  void Register(uint64_t id, std::weak_ptr<SessionBase> session) {
    std::lock_guard<std::mutex> lock(mu);
    sessions[id] = std::move(session);
  }
  void Deregister(uint64_t id) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.erase(id);
  }
};

template <bool kTls>
class Session : public SessionBase, public std::enable_shared_from_this<Session<kTls>> {
 public:
  using Stream = std::conditional_t<kTls, beast::ssl_stream<TcpStream>, TcpStream>;

  Session(ServerState& server, Socket&& socket, uint64_t id)
      : server_(server), stream_(MakeStream(server, std::move(socket))), id_(id) {
    boost::system::error_code ec;
    auto endpoint = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) {
      remote_addr_ = endpoint.address().to_string();
    }
  }

  ~Session() override {
    server_.Deregister(id_);
    server_.connections.fetch_sub(1);
  }

  void Run() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->Start(); });
  }

  void StopIfIdle() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      if (!self->busy_) {
        beast::get_lowest_layer(self->stream_).cancel();
      }
    });
  }

 private:
  static Stream MakeStream(ServerState& server, Socket&& socket) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *server.ssl_ctx);
    } else {
      return Stream(std::move(socket));
    }
  }

  void Start() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(server_.config.read_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](boost::system::error_code ec) {
                                self->OnHandshake(ec);
                              });
    } else {
      DoRead();
    }
  }

  void OnHandshake(boost::system::error_code ec) {
    if (ec) {
      spdlog::debug("TLS handshake from {} failed: {}", remote_addr_, ec.message());
      return CloseNow();
    }
    if constexpr (kTls) {
      CollectPeerCertificates();
    }
    DoRead();
  }

  void CollectPeerCertificates() {
    if constexpr (kTls) {
      SSL* ssl = stream_.native_handle();
      X509* leaf = SSL_get1_peer_certificate(ssl);
      if (leaf == nullptr) {
        return;
      }
      auto append = [this](X509* cert) {
        int len = i2d_X509(cert, nullptr);
        if (len <= 0) {
          return;
        }
        std::string der(static_cast<size_t>(len), '\0');
        auto* out = reinterpret_cast<unsigned char*>(der.data());
        i2d_X509(cert, &out);
        peer_certs_.push_back(std::move(der));
      };
      append(leaf);
      // On the server side the chain excludes the leaf.
      if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) {
        for (int i = 0; i < sk_X509_num(chain); ++i) {
          X509* cert = sk_X509_value(chain, i);
          if (X509_cmp(cert, leaf) != 0) {
            append(cert);
          }
        }
      }
      X509_free(leaf);
    }
  }

  void DoRead() {
    busy_ = false;
    if (server_.stopping.load()) {
      return DoClose();
    }
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.config.max_header_bytes));
    parser_->body_limit(server_.config.max_body_bytes);
    // One deadline for the whole request: a client trickling bytes cannot extend it.
    beast::get_lowest_layer(stream_).expires_after(server_.config.read_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = this->shared_from_this()](boost::system::error_code ec,
                                                               size_t) { self->OnHeader(ec); });
  }

  void OnHeader(boost::system::error_code ec) {
    if (ec) {
      return OnReadError(ec);
    }
    busy_ = true;  // a request has begun: shutdown lets it finish
    auto& req = parser_->get();
    if (beast::iequals(req[bhttp::field::expect], "100-continue")) {
      // curl waits for this before sending a large body.
      static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      net::async_write(stream_, net::buffer(kContinue),
                       [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                         if (ec) {
                           return self->CloseNow();
                         }
                         self->ReadBody();
                       });
      return;
    }
    // A small body usually arrives in the same segment as the headers: parse what is buffered
    // now, so such a request skips the read (and its trip through the event loop) altogether.
    boost::system::error_code parse_ec = ParseBuffered();
    if (parse_ec) {
      return OnReadError(parse_ec);
    }
    if (parser_->is_done()) {
      return OnRead({});
    }
    ReadBody();
  }

  // Feeds the already-read bytes to the parser the way Beast's read loop does.
  boost::system::error_code ParseBuffered() {
    boost::system::error_code ec;
    parser_->eager(true);
    while (!parser_->is_done() && buffer_.size() > 0) {
      size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec == bhttp::error::need_more) {
        return {};
      }
      if (ec || used == 0) {
        return ec;
      }
    }
    return ec;
  }

  void ReadBody() {
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = this->shared_from_this()](boost::system::error_code ec, size_t) {
                        self->OnRead(ec);
                      });
  }

  void OnReadError(boost::system::error_code ec) {
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == beast::error::timeout || ec == net::error::eof ||
        ec == net::error::connection_reset || ec == ssl::error::stream_truncated) {
      return CloseNow();  // the client left, idled out or we are stopping
    }
    if (ec == bhttp::error::body_limit) {
      return WriteError(413, "request body too large", /*drain=*/true);
    }
    if (ec == bhttp::error::header_limit) {
      return WriteError(431, "request headers too large", /*drain=*/false);
    }
    spdlog::debug("bad HTTP request from {}: {}", remote_addr_, ec.message());
    WriteError(400, "malformed HTTP request", /*drain=*/false);
  }

  void OnRead(boost::system::error_code ec) {
    if (ec) {
      return OnReadError(ec);
    }
    bhttp::request<bhttp::string_body> req = parser_->release();
    WireRequest wire;
    wire.method = std::string(req.method_string());
    wire.target = std::string(req.target());
    wire.content_type = std::string(req[bhttp::field::content_type]);
    wire.vault_token = std::string(req["X-Vault-Token"]);
    wire.authorization = std::string(req[bhttp::field::authorization]);
    wire.namespace_header = std::string(req["X-Vault-Namespace"]);
    wire.has_wrap_ttl = req.find("X-Vault-Wrap-TTL") != req.end();
    wire.body = std::move(req.body());
    wire.remote_addr = remote_addr_;
    wire.peer_certificates_der = peer_certs_;
    WireResponse out = Dispatch(wire, server_.handler);
    bool keep_alive = req.keep_alive() && !server_.stopping.load();
    Write(std::move(out), req.version(), keep_alive, /*drain=*/false);
  }

  void WriteError(int status, std::string_view message, bool drain) {
    busy_ = true;
    WireResponse out;
    out.status = status;
    out.body = framework::ErrorBodyFromMessage(message);
    Write(std::move(out), 11, /*keep_alive=*/false, drain);
  }

  void Write(WireResponse out, unsigned version, bool keep_alive, bool drain) {
    SerializeResponse(out, version, keep_alive, out_);
    beast::get_lowest_layer(stream_).expires_after(server_.config.write_timeout);
    net::async_write(
        stream_, net::buffer(out_),
        [self = this->shared_from_this(), keep_alive, drain](boost::system::error_code ec, size_t) {
          if (ec) {
            return self->CloseNow();
          }
          if (drain) {
            return self->Drain();
          }
          if (!keep_alive) {
            return self->DoClose();
          }
          self->DoRead();
        });
  }

  void Drain() {
    if (drained_ == 0) {
      beast::get_lowest_layer(stream_).expires_after(kDrainTimeout);
      drain_buffer_.resize(64 * 1024);
    }
    stream_.async_read_some(
        net::buffer(drain_buffer_),
        [self = this->shared_from_this()](boost::system::error_code ec, size_t n) {
          self->drained_ += n;
          if (ec || self->drained_ > kMaxDrainBytes) {
            return self->DoClose();
          }
          self->Drain();
        });
  }

  void DoClose() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
      stream_.async_shutdown(
          [self = this->shared_from_this()](boost::system::error_code) { self->CloseNow(); });
    } else {
      boost::system::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
      CloseNow();
    }
  }

  void CloseNow() {
    boost::system::error_code ec;
    beast::get_lowest_layer(stream_).socket().close(ec);
  }

  ServerState& server_;
  Stream stream_;
  uint64_t id_;
  std::string remote_addr_;
  std::vector<std::string> peer_certs_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string out_;  // the response being written; its capacity is reused across requests
  std::vector<char> drain_buffer_;
  size_t drained_ = 0;
  bool busy_ = false;
};

}  // namespace

struct Server::Impl : ServerState {
  using ServerState::ServerState;
  void DoAccept();
  void OnAccept(boost::system::error_code ec, Socket socket);
};

void Server::Impl::DoAccept() {
  net::io_context& target = *contexts[next_context];
  next_context = (next_context + 1) % contexts.size();
  acceptor->async_accept(target, [this](boost::system::error_code ec, Socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void Server::Impl::OnAccept(boost::system::error_code ec, Socket socket) {
  if (stopping.load() || ec == net::error::operation_aborted) {
    return;
  }
  if (ec) {
    spdlog::warn("accept failed: {}", ec.message());
    return DoAccept();
  }
  if (connections.load() >= config.max_connections) {
    boost::system::error_code ignored;
    socket.close(ignored);  // over the limit: refuse instead of queueing without bound
    return DoAccept();
  }
  connections.fetch_add(1);
  boost::system::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  uint64_t id;
  {
    std::lock_guard<std::mutex> lock(mu);
    id = next_session_id++;
  }
  std::shared_ptr<SessionBase> session;
  if (ssl_ctx) {
    auto s = std::make_shared<Session<true>>(*this, std::move(socket), id);
    s->Run();
    session = s;
  } else {
    auto s = std::make_shared<Session<false>>(*this, std::move(socket), id);
    s->Run();
    session = s;
  }
  Register(id, session);
  DoAccept();
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { Shutdown(); }

StatusOr<std::unique_ptr<Server>> Server::Start(const ListenerConfig& config,
                                                framework::RequestHandler& handler) {
  auto endpoint = ParseEndpoint(config.address);
  if (!endpoint.ok()) {
    return endpoint.status();
  }
  auto impl = std::make_unique<Impl>(config, handler);
  boost::system::error_code ec;

  if (!config.tls_cert_file.empty() || !config.tls_key_file.empty()) {
    if (config.tls_cert_file.empty() || config.tls_key_file.empty()) {
      return InvalidArgumentError("TLS needs both tls_cert_file and tls_key_file");
    }
    impl->ssl_ctx.emplace(ssl::context::tls_server);
    ssl::context& ctx = *impl->ssl_ctx;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                    ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                    ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    ctx.use_certificate_chain_file(config.tls_cert_file, ec);
    if (ec) {
      return InvalidArgumentError("cannot load tls_cert_file: " + ec.message());
    }
    ctx.use_private_key_file(config.tls_key_file, ssl::context::pem, ec);
    if (ec) {
      return InvalidArgumentError("cannot load tls_key_file: " + ec.message());
    }
    // Ask for a client certificate but accept any or none: the cert auth method verifies it.
    ctx.set_verify_mode(ssl::verify_peer, ec);
    ctx.set_verify_callback([](bool, ssl::verify_context&) { return true; }, ec);
    static const unsigned char kSessionId[] = "cellar";
    SSL_CTX_set_session_id_context(ctx.native_handle(), kSessionId, sizeof(kSessionId) - 1);
  }

  int threads =
      config.threads > 0 ? config.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (threads <= 0) {
    threads = 1;
  }
  for (int i = 0; i < threads; ++i) {
    impl->contexts.push_back(std::make_unique<net::io_context>(1));
    impl->guards.push_back(net::make_work_guard(impl->contexts.back()->get_executor()));
  }
  impl->acceptor.emplace(impl->contexts.front()->get_executor());
  auto& acceptor = *impl->acceptor;
  acceptor.open(endpoint->protocol(), ec);
  if (!ec) {
    acceptor.set_option(net::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor.bind(*endpoint, ec);
  }
  if (!ec) {
    acceptor.listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return UnavailableError("cannot listen on " + config.address + ": " + ec.message());
  }
  impl->bound = acceptor.local_endpoint(ec);
  impl->DoAccept();

  for (auto& context : impl->contexts) {
    impl->threads.emplace_back([ioc = context.get()] {
      try {
        ioc->run();
      } catch (const std::exception& e) {
        spdlog::critical("HTTP worker stopped: {}", e.what());
      }
    });
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

uint16_t Server::port() const { return impl_->bound.port(); }

std::string Server::host() const { return impl_->bound.address().to_string(); }

bool Server::tls() const { return impl_->ssl_ctx.has_value(); }

void Server::Shutdown() {
  std::lock_guard<std::mutex> guard(impl_->shutdown_mu);
  if (impl_->shut_down) {
    return;
  }
  impl_->stopping.store(true);
  net::post(impl_->acceptor->get_executor(), [impl = impl_.get()] {
    boost::system::error_code ec;
    impl->acceptor->close(ec);
  });
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    for (auto& [id, weak] : impl_->sessions) {
      if (auto s = weak.lock()) {
        live.push_back(std::move(s));
      }
    }
  }
  for (auto& s : live) {
    s->StopIfIdle();
  }
  live.clear();
  auto deadline = std::chrono::steady_clock::now() + impl_->config.shutdown_grace;
  while (impl_->connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (auto& context : impl_->contexts) {
    context->stop();
  }
  for (auto& t : impl_->threads) {
    if (t.joinable()) {
      t.join();
    }
  }
  impl_->shut_down = true;
}

}  // namespace cellar::http
