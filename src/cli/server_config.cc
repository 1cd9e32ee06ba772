// src/cli/server_config.cc: decodes the server config file with the HCL schema decoder.
#include "cli/server_config.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/duration.h"
#include "hcl/parser.h"
#include "hcl/schema.h"

namespace cellar::cli {
namespace {

using hcl::Type;

hcl::BodySchema ConfigSchema() {
  hcl::BodySchema listener;
  listener.attributes = {
      {"address", Type::kString},
      {"tls_cert_file", Type::kString},
      {"tls_key_file", Type::kString},
      {"tls_disable", Type::kAny},
      {"http_read_timeout", Type::kStringOrNumber},
      {"max_request_size", Type::kNumber},
      {"max_connections", Type::kNumber},
      {"tls_min_version", Type::kString},
      {"cluster_address", Type::kString},
  };
  hcl::BodySchema storage;
  storage.allow_any_attributes = true;  // backend-specific settings
  storage.attributes = {{"path", Type::kString}};

  hcl::BodySchema root;
  root.attributes = {
      {"api_addr", Type::kString},
      {"cluster_addr", Type::kString},
      {"cluster_name", Type::kString},
      {"log_level", Type::kString},
      {"default_lease_ttl", Type::kStringOrNumber},
      {"max_lease_ttl", Type::kStringOrNumber},
      {"disable_mlock", Type::kAny},
      {"ui", Type::kAny},
      {"pid_file", Type::kString},
      {"log_format", Type::kString},
  };
  root.blocks = {
      {.type = "storage", .labels = {"type"}, .body = storage, .required = true, .unique = true},
      {.type = "listener", .labels = {"type"}, .body = listener, .required = true},
  };
  return root;
}

std::string Where(const hcl::Value& v) { return v.range().StartString() + ": "; }

// HCL allows `true` or the string "true"/"1" for booleans, as Vault's config does.
StatusOr<bool> BoolOf(const hcl::Value& v, std::string_view name) {
  if (v.is_bool()) {
    return v.as_bool();
  }
  if (v.is_string() && (v.as_string() == "true" || v.as_string() == "1")) {
    return true;
  }
  if (v.is_string() && (v.as_string() == "false" || v.as_string() == "0")) {
    return false;
  }
  if (v.is_number()) {
    return v.as_number() != 0;
  }
  return InvalidArgumentError(Where(v) + std::string(name) + " must be a boolean");
}

StatusOr<std::chrono::seconds> SecondsOf(const hcl::Value& v, std::string_view name) {
  if (v.is_number()) {
    return std::chrono::seconds(static_cast<int64_t>(v.as_number()));
  }
  auto d = ParseDuration(v.as_string());
  if (!d.ok()) {
    return InvalidArgumentError(Where(v) + std::string(name) + ": " + d.status().message());
  }
  return *d;
}

// storage "postgresql" { connection_url, table, max_idle_connections, ha_enabled }, with
// Vault's names; the connection URL may come from $VAULT_PG_CONNECTION_URL instead, as in Vault.
StatusOr<PostgresStorageConfig> PostgresStorageOf(const hcl::DecodedBlock& storage) {
  const hcl::DecodedBody& body = storage.body;
  std::string at = storage.range.StartString() + ": storage \"postgresql\": ";
  PostgresStorageConfig config;
  if (const hcl::Value* v = body.Get("connection_url")) {
    if (!v->is_string()) {
      return InvalidArgumentError(Where(*v) + "connection_url must be a string");
    }
    config.connection_url = v->as_string();
  } else if (const char* env = std::getenv("VAULT_PG_CONNECTION_URL")) {
    config.connection_url = env;
  }
  if (config.connection_url.empty()) {
    return InvalidArgumentError(at + "needs a connection_url (or $VAULT_PG_CONNECTION_URL)");
  }
  if (const hcl::Value* v = body.Get("table")) {
    if (!v->is_string() || v->as_string().empty()) {
      return InvalidArgumentError(Where(*v) + "table must be a non-empty string");
    }
    config.table = v->as_string();
  }
  if (const hcl::Value* v = body.Get("max_idle_connections")) {
    double n = v->is_number() ? v->as_number() : -1;
    if (v->is_string()) {
      // Vault's examples quote numbers: max_idle_connections = "4".
      char* end = nullptr;
      n = std::strtod(v->as_string().c_str(), &end);
      n = *end == '\0' && !v->as_string().empty() ? n : -1;
    }
    if (n < 0 || n > 1000 || n != std::floor(n)) {
      return InvalidArgumentError(Where(*v) + "max_idle_connections must be a whole number 0-1000");
    }
    config.max_idle_connections = static_cast<int>(n);
  }
  if (const hcl::Value* v = body.Get("ha_enabled")) {
    auto enabled = BoolOf(*v, "ha_enabled");
    if (!enabled.ok()) {
      return enabled.status();
    }
    config.ha_enabled = *enabled;
  }
  return config;
}

}  // namespace

StatusOr<ServerConfig> ParseServerConfig(std::string_view text, std::string_view filename) {
  hcl::ParseResult parsed = hcl::ParseConfig(text, filename);
  if (!parsed.ok()) {
    return hcl::DiagnosticsToStatus(parsed.diagnostics);
  }
  hcl::Diagnostics diags;
  hcl::DecodedBody body = hcl::Decode(parsed.body(), ConfigSchema(), diags);
  if (hcl::HasErrors(diags)) {
    return hcl::DiagnosticsToStatus(diags);
  }

  ServerConfig config;
  for (const hcl::DecodedBlock* storage : body.BlocksOfType("storage")) {
    config.storage_type = storage->labels[0];
    if (config.storage_type == "sqlite" || config.storage_type == "file" ||
        config.storage_type == "raft") {
      // "file" and "raft" are what existing Vault configs say; both become one SQLite file.
      config.storage_type = "sqlite";
      const hcl::Value* path = storage->body.Get("path");
      if (path == nullptr || path->as_string().empty()) {
        return InvalidArgumentError(storage->range.StartString() +
                                    ": storage \"sqlite\" needs a path");
      }
      config.storage_path = path->as_string();
    } else if (config.storage_type == "postgresql") {
      auto postgres = PostgresStorageOf(*storage);
      if (!postgres.ok()) {
        return postgres.status();
      }
      config.postgres = std::move(postgres).value();
    } else if (config.storage_type != "inmem") {
      return InvalidArgumentError(storage->range.StartString() + ": unsupported storage type \"" +
                                  config.storage_type + "\" (want sqlite, postgresql or inmem)");
    }
  }
  auto listeners = body.BlocksOfType("listener");
  if (listeners.size() > 1) {
    return InvalidArgumentError(listeners[1]->range.StartString() +
                                ": only one listener is supported");
  }
  for (const hcl::DecodedBlock* listener : listeners) {
    if (listener->labels[0] != "tcp") {
      return InvalidArgumentError(listener->range.StartString() + ": unsupported listener \"" +
                                  listener->labels[0] + "\" (want tcp)");
    }
    const hcl::DecodedBody& l = listener->body;
    if (const hcl::Value* v = l.Get("address")) {
      config.listener.address = v->as_string();
    }
    bool tls_disable = false;
    if (const hcl::Value* v = l.Get("tls_disable")) {
      auto b = BoolOf(*v, "tls_disable");
      if (!b.ok()) {
        return b.status();
      }
      tls_disable = *b;
    }
    if (!tls_disable) {
      if (const hcl::Value* v = l.Get("tls_cert_file")) {
        config.listener.tls_cert_file = v->as_string();
      }
      if (const hcl::Value* v = l.Get("tls_key_file")) {
        config.listener.tls_key_file = v->as_string();
      }
      if (config.listener.tls_cert_file.empty() != config.listener.tls_key_file.empty()) {
        return InvalidArgumentError(listener->range.StartString() +
                                    ": TLS needs both tls_cert_file and tls_key_file");
      }
    }
    if (const hcl::Value* v = l.Get("http_read_timeout")) {
      if (v->is_number()) {
        config.listener.read_timeout =
            std::chrono::milliseconds(static_cast<int64_t>(v->as_number() * 1000));
      } else {
        auto d = ParseDuration(v->as_string());
        if (!d.ok()) {
          return InvalidArgumentError(Where(*v) + "http_read_timeout: " + d.status().message());
        }
        config.listener.read_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
      }
    }
    if (const hcl::Value* v = l.Get("max_request_size")) {
      if (v->as_number() > 0) {
        config.listener.max_body_bytes = static_cast<size_t>(v->as_number());
      }
    }
    if (const hcl::Value* v = l.Get("max_connections")) {
      if (v->as_number() > 0) {
        config.listener.max_connections = static_cast<size_t>(v->as_number());
      }
    }
  }
  if (const hcl::Value* v = body.Get("api_addr")) {
    config.api_addr = v->as_string();
  } else if (const char* env = std::getenv("VAULT_API_ADDR")) {
    config.api_addr = env;  // as Vault
  }
  while (!config.api_addr.empty() && config.api_addr.back() == '/') {
    config.api_addr.pop_back();  // standbys append "/v1/..." to it
  }
  if (config.postgres.ha_enabled && config.api_addr.empty()) {
    return InvalidArgumentError(body.BlocksOfType("storage").front()->range.StartString() +
                                ": storage \"postgresql\": ha_enabled needs api_addr (or "
                                "$VAULT_API_ADDR): the address standbys send clients to");
  }
  if (const hcl::Value* v = body.Get("cluster_name")) {
    config.cluster_name = v->as_string();
  }
  if (const hcl::Value* v = body.Get("log_level")) {
    config.log_level = v->as_string();
  }
  if (const hcl::Value* v = body.Get("default_lease_ttl")) {
    auto s = SecondsOf(*v, "default_lease_ttl");
    if (!s.ok()) {
      return s.status();
    }
    config.default_lease_ttl = *s;
  }
  if (const hcl::Value* v = body.Get("max_lease_ttl")) {
    auto s = SecondsOf(*v, "max_lease_ttl");
    if (!s.ok()) {
      return s.status();
    }
    config.max_lease_ttl = *s;
  }
  for (const char* name : {"disable_mlock", "ui"}) {
    if (const hcl::Value* v = body.Get(name)) {
      auto b = BoolOf(*v, name);  // accepted for compatibility; Cellar has no UI and no mlock
      if (!b.ok()) {
        return b.status();
      }
    }
  }
  return config;
}

StatusOr<ServerConfig> LoadServerConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return NotFoundError("cannot read config file " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseServerConfig(text.str(), path);
}

}  // namespace cellar::cli
