// src/cli/client.cc: the CLI's HTTP client on Beast (sync; one connection per request).
#include "cli/client.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace cellar::cli {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;

// A request path as a URL path: bytes outside RFC 3986's path characters (a space, a quote, a
// non-ASCII byte) percent-encoded, as Vault's Go client does; a "?query" suffix kept as given.
std::string EncodePath(std::string_view path) {
  static constexpr auto kPathChars = boost::urls::pchars + '/';
  size_t query = path.find('?');
  std::string out = boost::urls::encode(path.substr(0, query), kPathChars);
  if (query != std::string_view::npos) {
    out.append(path.substr(query));
  }
  return out;
}
using tcp = boost::asio::ip::tcp;

std::string Env(const char* primary, const char* fallback) {
  if (const char* v = std::getenv(primary); v != nullptr && *v != '\0') {
    return v;
  }
  if (const char* v = std::getenv(fallback); v != nullptr && *v != '\0') {
    return v;
  }
  return "";
}

StatusOr<Target> ParseAddress(std::string_view address) {
  Target t;
  if (address.rfind("https://", 0) == 0) {
    t.tls = true;
    address.remove_prefix(8);
  } else if (address.rfind("http://", 0) == 0) {
    address.remove_prefix(7);
  } else {
    return InvalidArgumentError("address must start with http:// or https://: " +
                                std::string(address));
  }
  size_t slash = address.find('/');
  std::string_view hostport = address.substr(0, slash);
  if (slash != std::string_view::npos) {
    t.base_path = std::string(address.substr(slash));
    while (!t.base_path.empty() && t.base_path.back() == '/') {
      t.base_path.pop_back();
    }
  }
  if (!hostport.empty() && hostport.front() == '[') {
    size_t close = hostport.find(']');
    if (close == std::string_view::npos) {
      return InvalidArgumentError("bad IPv6 address in " + std::string(hostport));
    }
    t.host = std::string(hostport.substr(1, close - 1));
    std::string_view rest = hostport.substr(close + 1);
    t.port = rest.size() > 1 && rest.front() == ':' ? std::string(rest.substr(1))
                                                    : (t.tls ? "443" : "80");
  } else if (size_t colon = hostport.rfind(':'); colon != std::string_view::npos) {
    t.host = std::string(hostport.substr(0, colon));
    t.port = std::string(hostport.substr(colon + 1));
  } else {
    t.host = std::string(hostport);
    t.port = t.tls ? "443" : "80";
  }
  if (t.host.empty()) {
    return InvalidArgumentError("address has no host");
  }
  return t;
}

template <class Stream>
StatusOr<HttpResult> Exchange(Stream& stream, bhttp::request<bhttp::string_body>& req) {
  boost::system::error_code ec;
  bhttp::write(stream, req, ec);
  if (ec) {
    return UnavailableError("error sending request: " + ec.message());
  }
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(256u << 20);
  bhttp::read(stream, buffer, parser, ec);
  if (ec) {
    return UnavailableError("error reading response: " + ec.message());
  }
  HttpResult result;
  result.status = static_cast<int>(parser.get().result_int());
  result.location = std::string(parser.get()[bhttp::field::location]);
  result.body = std::move(parser.get().body());
  return result;
}

}  // namespace

std::string TokenHelperPath() {
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.cellar-token";
}

Status StoreToken(const std::string& token) {
  std::string path = TokenHelperPath();
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    return UnavailableError("cannot write token helper file " + path);
  }
  ::fchmod(fd, 0600);
  ssize_t n = ::write(fd, token.data(), token.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(token.size())) {
    return UnavailableError("cannot write token helper file " + path);
  }
  return OkStatus();
}

ClientConfig ClientConfigFromEnv() {
  ClientConfig config;
  if (std::string addr = Env("CELLAR_ADDR", "VAULT_ADDR"); !addr.empty()) {
    config.address = addr;
  }
  config.token = Env("CELLAR_TOKEN", "VAULT_TOKEN");
  if (config.token.empty()) {
    std::ifstream in(TokenHelperPath());
    if (in) {
      std::getline(in, config.token);
    }
  }
  config.namespace_path = Env("CELLAR_NAMESPACE", "VAULT_NAMESPACE");
  std::string skip = Env("CELLAR_SKIP_VERIFY", "VAULT_SKIP_VERIFY");
  config.skip_verify = !skip.empty() && skip != "0" && skip != "false";
  config.ca_cert = Env("CELLAR_CACERT", "VAULT_CACERT");
  return config;
}

StatusOr<HttpResult> Client::Do(std::string_view method, std::string_view path,
                                std::string_view body, std::string_view content_type) const {
  auto target = ParseAddress(config_.address);
  if (!target.ok()) {
    return target.status();
  }
  std::string where = config_.address;
  std::string request_target = target->base_path + "/v1/" + EncodePath(path);
  for (int hop = 0;; ++hop) {
    auto result = Send(*target, where, request_target, method, body, content_type);
    if (!result.ok() || (result->status != 307 && result->status != 308) ||
        result->location.empty() || hop == kMaxRedirects) {
      return result;
    }
    // An HA standby sends clients to the active node: the same request (method, body and
    // headers) goes there, as Vault's CLI does.
    auto url = boost::urls::parse_absolute_uri(result->location);
    if (!url) {
      return UnavailableError("bad redirect from " + where + ": " + result->location);
    }
    where = std::string(url->scheme()) + "://" + std::string(url->encoded_authority());
    target = ParseAddress(where);
    if (!target.ok()) {
      return target.status();
    }
    request_target = std::string(url->encoded_target());
  }
}

StatusOr<HttpResult> Client::Send(const Target& target, const std::string& where,
                                  const std::string& request_target, std::string_view method,
                                  std::string_view body, std::string_view content_type) const {
  net::io_context ioc;
  tcp::resolver resolver(ioc);
  boost::system::error_code ec;
  auto endpoints = resolver.resolve(target.host, target.port, ec);
  if (ec) {
    return UnavailableError("cannot resolve " + target.host + ": " + ec.message());
  }

  bhttp::request<bhttp::string_body> req;
  req.method_string(std::string(method));
  req.target(request_target);
  req.version(11);
  req.set(bhttp::field::host, target.host);
  req.set(bhttp::field::user_agent, "cellar-cli");
  req.set("X-Vault-Request", "true");
  if (!config_.token.empty()) {
    req.set("X-Vault-Token", config_.token);
  }
  if (!config_.namespace_path.empty()) {
    req.set("X-Vault-Namespace", config_.namespace_path);
  }
  if (!body.empty()) {
    req.set(bhttp::field::content_type, std::string(content_type));
    req.body() = std::string(body);
  }
  req.keep_alive(false);
  req.prepare_payload();

  if (!target.tls) {
    beast::tcp_stream stream(ioc);
    stream.connect(endpoints, ec);
    if (ec) {
      return UnavailableError("cannot connect to " + where + ": " + ec.message());
    }
    return Exchange(stream, req);
  }
  ssl::context ctx(ssl::context::tls_client);
  if (config_.skip_verify) {
    ctx.set_verify_mode(ssl::verify_none);
  } else {
    ctx.set_verify_mode(ssl::verify_peer);
    if (!config_.ca_cert.empty()) {
      ctx.load_verify_file(config_.ca_cert, ec);
    } else {
      ctx.set_default_verify_paths(ec);
    }
    if (ec) {
      return InvalidArgumentError("cannot load CA certificates: " + ec.message());
    }
  }
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  SSL_set_tlsext_host_name(stream.native_handle(), target.host.c_str());
  beast::get_lowest_layer(stream).connect(endpoints, ec);
  if (!ec) {
    stream.handshake(ssl::stream_base::client, ec);
  }
  if (ec) {
    return UnavailableError("cannot connect to " + where + ": " + ec.message());
  }
  return Exchange(stream, req);
}

}  // namespace cellar::cli
