// src/auth/approle/path_login.cc: login with a role ID (and secret ID), and renewal checks.
#include "auth/approle/backend.h"
#include "auth/approle/entries.h"
#include "base/status_macros.h"
#include "framework/cidr.h"
#include "storage/storage.h"

namespace cellar::auth::approle {

using framework::FieldData;
using framework::Request;
using framework::Response;

namespace {
// One message for every bad pair, so a caller cannot tell a valid role ID from an invalid one.
constexpr std::string_view kInvalid = "invalid role ID or secret ID";
}  // namespace

StatusOr<Response> AppRoleBackend::Login(Request& req, const FieldData& d) {
  std::string role_id = d.GetString("role_id");
  if (role_id.empty()) {
    return InvalidArgumentError("missing role_id");
  }
  storage::Storage& s = StorageFor(req);
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> name, RoleNameForId(s, role_id));
  if (!name) {
    return InvalidArgumentError(std::string(kInvalid));
  }
  std::lock_guard lock(locks_.For(*name));
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> role, LoadRole(s, *name));
  if (!role || role->role_id != role_id) {
    return InvalidArgumentError(std::string(kInvalid));
  }
  if (role->bind_secret_id) {
    std::string secret_id = d.GetString("secret_id");
    if (secret_id.empty()) {
      return InvalidArgumentError("missing secret_id");
    }
    std::string key = SecretIdKey(*name, secret_id);
    CELLAR_ASSIGN_OR_RETURN(std::optional<SecretIdEntry> entry, LoadSecretId(s, key));
    if (!entry) {
      return InvalidArgumentError(std::string(kInvalid));
    }
    bool expired = entry->expiration_time != TimePoint() &&
                   system_->clock().Now() >= entry->expiration_time;
    bool last_use = entry->num_uses == 1;
    if (expired || last_use) {
      // Gone once expired or used up (under the role's lock, so two logins cannot share the
      // last use).
      CELLAR_RETURN_IF_ERROR(s.Delete(AccessorKey(*name, entry->accessor)));
      CELLAR_RETURN_IF_ERROR(s.Delete(key));
      if (expired) {
        return InvalidArgumentError(std::string(kInvalid));
      }
    } else if (entry->num_uses > 1) {
      --entry->num_uses;
      CELLAR_RETURN_IF_ERROR(s.Put(key, SerializeSecretId(*entry)));
    }
  }
  if (!framework::AddressAllowed(req.remote_addr, role->token.bound_cidrs)) {
    return PermissionDeniedError("login request originated from invalid CIDR");
  }
  framework::Auth auth;
  role->token.PopulateAuth(auth);
  auth.display_name = "approle";
  auth.metadata["role_name"] = *name;
  auth.internal_data["role_name"] = *name;
  Response resp;
  resp.auth = std::move(auth);
  return resp;
}

Status AppRoleBackend::RenewAuth(Request& req, const framework::Auth& auth) {
  auto it = auth.metadata.find("role_name");
  if (it == auth.metadata.end()) {
    return InvalidArgumentError("no role_name on the token");
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> role, LoadRole(StorageFor(req), it->second));
  if (!role) {
    return InvalidArgumentError("role \"" + it->second + "\" no longer exists");
  }
  return OkStatus();
}

}  // namespace cellar::auth::approle
