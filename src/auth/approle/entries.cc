// src/auth/approle/entries.cc: JSON storage form of roles and secret IDs.
#include "auth/approle/entries.h"

#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "crypto/hash.h"
#include "framework/json_fields.h"
#include "storage/storage.h"

namespace cellar::auth::approle {

namespace json = boost::json;

namespace {

using framework::LoadStoredObject;
using framework::StoredInt;
using framework::StoredString;

int64_t UnixNanos(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

StatusOr<std::optional<RoleEntry>> LoadRole(storage::Storage& s, std::string_view name) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<json::object> o, LoadStoredObject(s, "role/" + std::string(name)));
  if (!o) {
    return std::optional<RoleEntry>();
  }
  RoleEntry role;
  role.role_id = StoredString(*o, "role_id");
  const json::value* bind = o->if_contains("bind_secret_id");
  role.bind_secret_id = bind == nullptr || !bind->is_bool() || bind->get_bool();
  role.secret_id_ttl = framework::Seconds(StoredInt(*o, "secret_id_ttl"));
  role.secret_id_num_uses = StoredInt(*o, "secret_id_num_uses");
  if (const json::value* t = o->if_contains("token"); t != nullptr && t->is_object()) {
    role.token = framework::TokenParams::FromJson(t->get_object());
  }
  return std::optional<RoleEntry>(std::move(role));
}

Status SaveRole(storage::Storage& s, std::string_view name, const RoleEntry& role) {
  json::object o{{"role_id", role.role_id},
                 {"bind_secret_id", role.bind_secret_id},
                 {"secret_id_ttl", role.secret_id_ttl.count()},
                 {"secret_id_num_uses", role.secret_id_num_uses},
                 {"token", role.token.ToJson()}};
  return s.Put("role/" + std::string(name), json::serialize(o));
}

StatusOr<std::optional<std::string>> RoleNameForId(storage::Storage& s, std::string_view role_id) {
  return s.Get("role_id/" + crypto::Sha256Hex(role_id));
}

std::string SecretIdKey(std::string_view role, std::string_view secret_id) {
  return "secret_id/" + std::string(role) + "/" + crypto::Sha256Hex(secret_id);
}

std::string AccessorKey(std::string_view role, std::string_view accessor) {
  return "accessor/" + std::string(role) + "/" + std::string(accessor);
}

StatusOr<std::optional<SecretIdEntry>> LoadSecretId(storage::Storage& s, const std::string& key) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<json::object> o, LoadStoredObject(s, key));
  if (!o) {
    return std::optional<SecretIdEntry>();
  }
  SecretIdEntry e;
  e.accessor = StoredString(*o, "accessor");
  e.creation_time = TimePoint(std::chrono::nanoseconds(StoredInt(*o, "creation_time")));
  e.expiration_time = TimePoint(std::chrono::nanoseconds(StoredInt(*o, "expiration_time")));
  e.num_uses = StoredInt(*o, "num_uses");
  if (const json::value* m = o->if_contains("metadata"); m != nullptr && m->is_object()) {
    for (const auto& [k, v] : m->get_object()) {
      if (v.is_string()) {
        e.metadata[std::string(k)] = std::string(v.get_string());
      }
    }
  }
  return std::optional<SecretIdEntry>(std::move(e));
}

std::string SerializeSecretId(const SecretIdEntry& e) {
  json::object metadata;
  for (const auto& [k, v] : e.metadata) {
    metadata[k] = v;
  }
  json::object o{{"accessor", e.accessor},
                 {"creation_time", UnixNanos(e.creation_time)},
                 {"expiration_time", UnixNanos(e.expiration_time)},
                 {"num_uses", e.num_uses},
                 {"metadata", std::move(metadata)}};
  return json::serialize(o);
}

}  // namespace cellar::auth::approle
