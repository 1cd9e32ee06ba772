// src/http/wire.h: one HTTP request and answer as plain data, so the Vault wire mapping can be
// tested without sockets and Beast stays inside server.cc.
#pragma once

#include <string>
#include <vector>

namespace cellar::http {

// What the listener read. Header values are copied out of the Beast message.
struct WireRequest {
  std::string method;            // "GET", "LIST", "PATCH", ... as sent
  std::string target;            // "/v1/secret/data/a?version=2"
  std::string content_type;      // Content-Type header, "" when absent
  std::string vault_token;       // X-Vault-Token
  std::string authorization;     // Authorization
  std::string namespace_header;  // X-Vault-Namespace
  bool has_wrap_ttl = false;     // X-Vault-Wrap-TTL present
  std::string body;
  std::string remote_addr;
  std::vector<std::string> peer_certificates_der;  // TLS client chain, leaf first
};

// What the listener writes back.
struct WireResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;        // empty for 204
  bool omit_body = false;  // HEAD: headers only
  std::string location;    // a Location header (an HA standby's 307) when not empty
};

// An error answer with `{"errors":["message"]}`.
WireResponse WireError(int status, std::string_view message);

}  // namespace cellar::http
