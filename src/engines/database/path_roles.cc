// src/engines/database/path_roles.cc: roles (roles/:name).
#include "base/status_macros.h"
#include "engines/database/backend.h"
#include "engines/database/entries.h"
#include "framework/responses.h"
#include "storage/storage.h"

namespace cellar::engines::database {

using framework::FieldData;
using framework::Request;
using framework::Response;
namespace json = boost::json;

StatusOr<Response> DatabaseBackend::ListRoles(Request& req, const FieldData&) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> names,
                          StorageFor(req).List(std::string(kRolePrefix)));
  return framework::ListResponse(names);
}

StatusOr<Response> DatabaseBackend::ReadRole(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> r,
                          LoadRole(StorageFor(req), d.GetString("name")));
  if (!r) {
    return Response{};
  }
  auto array = [](const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); };
  return Response::WithData({{"db_name", r->db_name},
                             {"creation_statements", array(r->creation_statements)},
                             {"revocation_statements", array(r->revocation_statements)},
                             {"renew_statements", array(r->renew_statements)},
                             {"rollback_statements", json::array()},
                             {"default_ttl", r->default_ttl.count()},
                             {"max_ttl", r->max_ttl.count()},
                             {"credential_type", "password"}});
}

StatusOr<Response> DatabaseBackend::WriteRole(Request& req, const FieldData& d) {
  std::string name = d.GetString("name");
  storage::Storage& s = StorageFor(req);
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> existing, LoadRole(s, name));
  RoleEntry r = existing ? std::move(*existing) : RoleEntry{};
  if (d.Has("db_name")) {
    r.db_name = d.GetString("db_name");
  }
  if (r.db_name.empty()) {
    return InvalidArgumentError("empty database name attribute");
  }
  if (d.Has("creation_statements")) {
    r.creation_statements = d.GetList("creation_statements");
  }
  if (r.creation_statements.empty()) {
    return InvalidArgumentError("creation_statements must be specified");
  }
  if (d.Has("revocation_statements")) {
    r.revocation_statements = d.GetList("revocation_statements");
  }
  if (d.Has("renew_statements")) {
    r.renew_statements = d.GetList("renew_statements");
  }
  if (d.Has("default_ttl")) {
    r.default_ttl = d.GetDuration("default_ttl");
  }
  if (d.Has("max_ttl")) {
    r.max_ttl = d.GetDuration("max_ttl");
  }
  if (r.max_ttl.count() > 0 && r.default_ttl > r.max_ttl) {
    return InvalidArgumentError("ttl cannot be greater than max_ttl");
  }
  CELLAR_RETURN_IF_ERROR(SaveRole(s, name, r));
  return Response{};
}

StatusOr<Response> DatabaseBackend::DeleteRole(Request& req, const FieldData& d) {
  CELLAR_RETURN_IF_ERROR(StorageFor(req).Delete(std::string(kRolePrefix) + d.GetString("name")));
  return Response{};
}

StatusOr<bool> DatabaseBackend::RoleExists(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> r,
                          LoadRole(StorageFor(req), d.GetString("name")));
  return r.has_value();
}

}  // namespace cellar::engines::database
