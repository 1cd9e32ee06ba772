// src/core/mount_entry.h: one row of the mount table (a secrets engine or auth method), its API
// shape (sys/mounts "M") and its persisted form.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <map>
#include <string>

#include "base/status_or.h"

namespace cellar::core {

enum class MountTableKind { kSecrets, kAuth };

struct MountConfig {
  std::chrono::seconds default_lease_ttl{0};  // 0 = the system default
  std::chrono::seconds max_lease_ttl{0};      // 0 = the system max
};

struct MountEntry {
  MountTableKind kind = MountTableKind::kSecrets;
  std::string path;  // as listed: "secret/" (secrets) or "userpass/" (auth, without "auth/")
  std::string namespace_path;  // "" for the root namespace, else "ns1/": a prefix of RoutePath()
  std::string type;            // "kv", "userpass", "system", "cubbyhole", "token"
  std::string description;
  std::string accessor;  // "kv_1a2b3c4d", "auth_userpass_1a2b3c4d"
  std::string uuid;
  MountConfig config;
  std::map<std::string, std::string> options;  // {"version": "2"}
  bool local = false;
  bool seal_wrap = false;

  // Where requests reach it: "secret/", "auth/userpass/", "ns1/secret/".
  std::string RoutePath() const {
    return namespace_path + (kind == MountTableKind::kAuth ? "auth/" + path : path);
  }

  // The barrier prefix of its data: "logical/<uuid>/" or "auth/<uuid>/"; sys/ and token/ use
  // fixed prefixes owned by core.
  std::string StoragePrefix() const;

  // API.md's M: {type, description, accessor, uuid, config:{default_lease_ttl, max_lease_ttl},
  // options, local, seal_wrap}.
  boost::json::object ToApi() const;

  // Persisted form (the API form plus the kind) and back. FromJson: Internal on a corrupt row.
  boost::json::object ToJson() const;
  static StatusOr<MountEntry> FromJson(const boost::json::object& json);
};

// Turns an API type into (type, options): "kv-v2" → kv + version 2, "generic" → kv + version 1,
// "kv" → kv + version from options (default "1"). Other types pass through.
void CanonicalizeMountType(std::string& type, std::map<std::string, std::string>& options);

// A fresh accessor: "<type>_<8 hex>" for secrets, "auth_<type>_<8 hex>" for auth methods.
std::string NewMountAccessor(MountTableKind kind, std::string_view type);

}  // namespace cellar::core
