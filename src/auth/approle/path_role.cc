// src/auth/approle/path_role.cc: roles (role/:name) and their role IDs.
#include "auth/approle/backend.h"
#include "auth/approle/entries.h"
#include "base/status_macros.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "framework/responses.h"
#include "storage/storage.h"

namespace cellar::auth::approle {

using framework::FieldData;
using framework::Request;
using framework::Response;
namespace json = boost::json;

namespace {

std::string RoleIdKey(std::string_view role_id) { return "role_id/" + crypto::Sha256Hex(role_id); }

// Points role_id at `name`, dropping the role's previous role ID. InvalidArgument when another
// role has the new one.
Status IndexRoleId(storage::Storage& s, std::string_view name, const std::string& old_id,
                   const std::string& new_id) {
  if (new_id == old_id) {
    return OkStatus();
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> owner, RoleNameForId(s, new_id));
  if (owner && *owner != name) {
    return InvalidArgumentError("role_id already in use");
  }
  if (!old_id.empty()) {
    CELLAR_RETURN_IF_ERROR(s.Delete(RoleIdKey(old_id)));
  }
  return s.Put(RoleIdKey(new_id), std::string(name));
}

// Deletes every key below `prefix` (one level: secret IDs and accessors are flat per role).
Status DeleteAllUnder(storage::Storage& s, const std::string& prefix) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> keys, s.List(prefix));
  for (const std::string& key : keys) {
    CELLAR_RETURN_IF_ERROR(s.Delete(prefix + key));
  }
  return OkStatus();
}

}  // namespace

StatusOr<Response> AppRoleBackend::ListRoles(Request& req, const FieldData&) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> names, StorageFor(req).List("role/"));
  return framework::ListResponse(names);
}

StatusOr<Response> AppRoleBackend::ReadRole(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> role,
                          LoadRole(StorageFor(req), d.GetString("role_name")));
  if (!role) {
    return Response{};
  }
  json::object out{{"bind_secret_id", role->bind_secret_id},
                   {"secret_id_ttl", role->secret_id_ttl.count()},
                   {"secret_id_num_uses", role->secret_id_num_uses},
                   {"secret_id_bound_cidrs", json::array()},
                   {"local_secret_ids", false}};
  role->token.AddTo(out);
  return Response::WithData(std::move(out));
}

StatusOr<Response> AppRoleBackend::WriteRole(Request& req, const FieldData& d) {
  std::string name = d.GetString("role_name");
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(name));
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> existing, LoadRole(s, name));
  RoleEntry role = existing ? std::move(*existing) : RoleEntry{};
  if (d.Has("secret_id_bound_cidrs") && !d.GetList("secret_id_bound_cidrs").empty()) {
    return InvalidArgumentError("secret_id_bound_cidrs is not supported");
  }
  if (d.Has("bind_secret_id") || !existing) {
    role.bind_secret_id = d.GetBool("bind_secret_id");
  }
  if (d.Has("secret_id_ttl")) {
    role.secret_id_ttl = d.GetDuration("secret_id_ttl");
  }
  if (d.Has("secret_id_num_uses")) {
    if (d.GetInt("secret_id_num_uses") < 0) {
      return InvalidArgumentError("secret_id_num_uses cannot be negative");
    }
    role.secret_id_num_uses = d.GetInt("secret_id_num_uses");
  }
  CELLAR_RETURN_IF_ERROR(role.token.ParseFrom(d));
  if (!role.bind_secret_id && role.token.bound_cidrs.empty()) {
    // As Vault: a role ID alone is not a secret, so something else must bind the login.
    return InvalidArgumentError(
        "at least one constraint should be enabled on the role (bind_secret_id or "
        "token_bound_cidrs)");
  }
  std::string old_id = role.role_id;
  if (d.Has("role_id") && !d.GetString("role_id").empty()) {
    role.role_id = d.GetString("role_id");
  } else if (role.role_id.empty()) {
    role.role_id = crypto::NewUuid();
  }
  CELLAR_RETURN_IF_ERROR(IndexRoleId(s, name, old_id, role.role_id));
  CELLAR_RETURN_IF_ERROR(SaveRole(s, name, role));
  return Response{};
}

StatusOr<Response> AppRoleBackend::DeleteRole(Request& req, const FieldData& d) {
  std::string name = d.GetString("role_name");
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(name));
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> role, LoadRole(s, name));
  if (!role) {
    return Response{};
  }
  CELLAR_RETURN_IF_ERROR(DeleteAllUnder(s, "secret_id/" + name + "/"));
  CELLAR_RETURN_IF_ERROR(DeleteAllUnder(s, "accessor/" + name + "/"));
  CELLAR_RETURN_IF_ERROR(s.Delete(RoleIdKey(role->role_id)));
  CELLAR_RETURN_IF_ERROR(s.Delete("role/" + name));
  return Response{};
}

StatusOr<bool> AppRoleBackend::RoleExists(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> role,
                          LoadRole(StorageFor(req), d.GetString("role_name")));
  return role.has_value();
}

StatusOr<Response> AppRoleBackend::ReadRoleId(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> role,
                          LoadRole(StorageFor(req), d.GetString("role_name")));
  if (!role) {
    return Response{};
  }
  return Response::WithData({{"role_id", role->role_id}});
}

StatusOr<Response> AppRoleBackend::WriteRoleId(Request& req, const FieldData& d) {
  std::string name = d.GetString("role_name");
  std::string role_id = d.GetString("role_id");
  if (role_id.empty()) {
    return InvalidArgumentError("missing role_id");
  }
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(name));
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> role, LoadRole(s, name));
  if (!role) {
    return InvalidArgumentError("role \"" + name + "\" does not exist");
  }
  CELLAR_RETURN_IF_ERROR(IndexRoleId(s, name, role->role_id, role_id));
  role->role_id = role_id;
  CELLAR_RETURN_IF_ERROR(SaveRole(s, name, *role));
  return Response{};
}

}  // namespace cellar::auth::approle
