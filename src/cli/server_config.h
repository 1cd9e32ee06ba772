// src/cli/server_config.h: the settings `cellar server` runs with, from flags or an HCL file.
#pragma once

#include <chrono>
#include <string>

#include "base/status_or.h"
#include "http/server.h"

namespace cellar::cli {

// storage "postgresql". With ha_enabled several nodes share the table: one is active, elected
// through a PostgreSQL advisory lock, and the others are standbys sending clients to it.
struct PostgresStorageConfig {
  std::string connection_url;  // libpq URI or key=value string
  std::string table = "cellar_kv";
  int max_idle_connections = 8;
  bool ha_enabled = false;  // needs api_addr
};

struct ServerConfig {
  std::string storage_type = "inmem";  // "inmem", "sqlite" or "postgresql"
  std::string storage_path;            // sqlite file
  PostgresStorageConfig postgres;
  http::ListenerConfig listener;
  std::string api_addr;  // else $VAULT_API_ADDR
  std::string log_level = "info";
  std::chrono::seconds default_lease_ttl = std::chrono::hours(768);
  std::chrono::seconds max_lease_ttl = std::chrono::hours(768);
  std::string cluster_name = "cellar-cluster";
};

// Reads a Vault-style HCL (or JSON) config file: storage "sqlite" { path }, storage "postgresql"
// { connection_url (else $VAULT_PG_CONNECTION_URL), table, max_idle_connections, ha_enabled } or
// storage "inmem",
// one listener "tcp" { address, tls_cert_file, tls_key_file, tls_disable, http_read_timeout,
// max_request_size, max_connections }, api_addr, cluster_addr, cluster_name, log_level,
// default_lease_ttl, max_lease_ttl, disable_mlock, ui. Errors: InvalidArgument with
// "file:line:col: message" for each problem; kNotFound when the file cannot be read.
StatusOr<ServerConfig> LoadServerConfig(const std::string& path);

// The same from text (for tests); `filename` only labels messages.
StatusOr<ServerConfig> ParseServerConfig(std::string_view text, std::string_view filename);

}  // namespace cellar::cli
