// src/cli/client.h: a small synchronous HTTP(S) client for the CLI's commands (Beast stays in
// client.cc).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status_or.h"

namespace cellar::cli {

struct HttpResult {
  int status = 0;
  std::string body;
  std::string location;  // the Location header, if any
};

// Where a request goes, from an address such as https://cellar.example:8200.
struct Target {
  bool tls = false;
  std::string host;
  std::string port;
  std::string base_path;  // a path prefix in the address, usually ""
};

// Where and as whom the CLI talks: CELLAR_ADDR, else VAULT_ADDR, else http://127.0.0.1:8200;
// CELLAR_TOKEN, else VAULT_TOKEN, else the token helper file (~/.cellar-token).
struct ClientConfig {
  std::string address = "http://127.0.0.1:8200";
  std::string token;
  std::string namespace_path;  // CELLAR_NAMESPACE / VAULT_NAMESPACE
  bool skip_verify = false;    // CELLAR_SKIP_VERIFY / VAULT_SKIP_VERIFY (https only)
  std::string ca_cert;         // CELLAR_CACERT / VAULT_CACERT (https only)
};

// Reads the environment (and the token helper file) as described on ClientConfig.
ClientConfig ClientConfigFromEnv();

// The token helper file: $HOME/.cellar-token.
std::string TokenHelperPath();
Status StoreToken(const std::string& token);  // writes it with mode 0600

class Client {
 public:
  explicit Client(ClientConfig config) : config_(std::move(config)) {}

  // One request to /v1/<path> (path may carry "?query"). `body` is sent as is when non-empty;
  // `content_type` defaults to application/json. A 307/308 (an HA standby) is followed, up to
  // kMaxRedirects times. Errors: kUnavailable when the server cannot be reached,
  // kInvalidArgument for a malformed address. Any other HTTP status is a success here.
  StatusOr<HttpResult> Do(std::string_view method, std::string_view path,
                          std::string_view body = {},
                          std::string_view content_type = "application/json") const;

  const ClientConfig& config() const { return config_; }
  void set_token(std::string token) { config_.token = std::move(token); }

 private:
  static constexpr int kMaxRedirects = 5;
  // One exchange with `target` (`where` names it in errors) for the raw request target.
  StatusOr<HttpResult> Send(const Target& target, const std::string& where,
                            const std::string& request_target, std::string_view method,
                            std::string_view body, std::string_view content_type) const;

  ClientConfig config_;
};

}  // namespace cellar::cli
