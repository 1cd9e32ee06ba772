// src/engines/database/entries.h: what the engine stores: connections and roles.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"
#include "framework/logical.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::engines::database {

// config/:name. The password is stored (under the barrier) and never shown.
struct ConnectionEntry {
  std::string plugin_name;
  std::string connection_url;  // may hold {{username}} and {{password}}
  std::string username;
  std::string password;
  std::vector<std::string> allowed_roles;  // "*" allows every role

  bool AllowsRole(std::string_view role) const;
  // connection_url with {{username}} and {{password}} filled in, escaped for its form (a
  // postgres:// URI or a key=value string).
  std::string Conninfo() const;
};

// roles/:name.
struct RoleEntry {
  std::string db_name;
  std::vector<std::string> creation_statements;
  std::vector<std::string> revocation_statements;
  std::vector<std::string> renew_statements;
  framework::Seconds default_ttl{0};  // 0: the mount's
  framework::Seconds max_ttl{0};      // 0: the mount's
};

StatusOr<std::optional<ConnectionEntry>> LoadConnection(storage::Storage& s, std::string_view name);
Status SaveConnection(storage::Storage& s, std::string_view name, const ConnectionEntry& entry);
StatusOr<std::optional<RoleEntry>> LoadRole(storage::Storage& s, std::string_view name);
Status SaveRole(storage::Storage& s, std::string_view name, const RoleEntry& entry);

// Storage keys and the folders LIST reads.
inline constexpr std::string_view kConnectionPrefix = "config/";
inline constexpr std::string_view kRolePrefix = "role/";

}  // namespace cellar::engines::database
