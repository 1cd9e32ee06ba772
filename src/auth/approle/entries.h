// src/auth/approle/entries.h: what AppRole stores: roles, the role ID index and secret IDs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status_or.h"
#include "framework/token_fields.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::auth::approle {

struct RoleEntry {
  std::string role_id;
  bool bind_secret_id = true;
  framework::Seconds secret_id_ttl{0};  // 0: secret IDs do not expire
  int64_t secret_id_num_uses = 0;       // 0: unlimited
  framework::TokenParams token;
};

// One secret ID, stored by the SHA-256 of its value (the value itself is never kept).
struct SecretIdEntry {
  std::string accessor;
  TimePoint creation_time;
  TimePoint expiration_time;  // epoch: never
  int64_t num_uses = 0;       // uses left; 0: unlimited
  std::map<std::string, std::string> metadata;
};

StatusOr<std::optional<RoleEntry>> LoadRole(storage::Storage& s, std::string_view name);
Status SaveRole(storage::Storage& s, std::string_view name, const RoleEntry& role);
// role_id/<id> -> role name.
StatusOr<std::optional<std::string>> RoleNameForId(storage::Storage& s, std::string_view role_id);

// Keys: secret_id/<role>/<sha256 hex of the secret ID> and accessor/<role>/<accessor> (whose
// value is that hash).
std::string SecretIdKey(std::string_view role, std::string_view secret_id);
std::string AccessorKey(std::string_view role, std::string_view accessor);
StatusOr<std::optional<SecretIdEntry>> LoadSecretId(storage::Storage& s, const std::string& key);
std::string SerializeSecretId(const SecretIdEntry& entry);

}  // namespace cellar::auth::approle
