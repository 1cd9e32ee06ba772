// src/engines/database/path_creds.cc: creds/:role (a new database user, leased), and the
// lease's renewal and revocation at the database.
#include <algorithm>

#include "base/status_macros.h"
#include "engines/database/backend.h"
#include "engines/database/entries.h"
#include "engines/database/postgres_client.h"
#include "engines/database/statements.h"
#include "framework/json_fields.h"

namespace cellar::engines::database {

using framework::FieldData;
using framework::Request;
using framework::Response;
namespace json = boost::json;

namespace {

// When a role gives none: remove what the user owns and its grants, then the user ("default
// revocation drops the role"); extend VALID UNTIL on renewal.
const std::vector<std::string> kDefaultRevocation = {
    R"(DROP OWNED BY "{{name}}"; DROP ROLE IF EXISTS "{{name}}";)"};
const std::vector<std::string> kDefaultRenewal = {
    R"(ALTER ROLE "{{name}}" VALID UNTIL '{{expiration}}';)"};

using framework::StoredString;

std::vector<std::string> Filled(const std::vector<std::string>& statements,
                                const std::map<std::string, std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& one : SplitStatements(statements)) {
    out.push_back(FillTemplate(one, values));
  }
  return out;
}

}  // namespace

StatusOr<Response> DatabaseBackend::IssueCredentials(Request& req, const FieldData& d) {
  std::string role_name = d.GetString("name");
  storage::Storage& s = StorageFor(req);
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> role, LoadRole(s, role_name));
  if (!role) {
    return InvalidArgumentError("unknown role: " + role_name);
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<ConnectionEntry> db, LoadConnection(s, role->db_name));
  if (!db) {
    return InvalidArgumentError("unknown database: " + role->db_name);
  }
  if (!db->AllowsRole(role_name)) {
    return InvalidArgumentError("\"" + role_name + "\" is not an allowed role");
  }
  framework::Seconds max = role->max_ttl.count() > 0
                               ? std::min(role->max_ttl, system_->MaxLeaseTtl())
                               : system_->MaxLeaseTtl();
  framework::Seconds ttl =
      std::min(role->default_ttl.count() > 0 ? role->default_ttl : system_->DefaultLeaseTtl(), max);
  auto now = system_->clock().Now();
  std::string username = NewUsername(req.caller.display_name, role_name, now);
  std::string password = NewPassword();
  CELLAR_RETURN_IF_ERROR(RunInTransaction(
      db->Conninfo(),
      Filled(role->creation_statements, {{"name", username},
                                         {"username", username},
                                         {"password", password},
                                         {"expiration", FormatExpiration(now + ttl)}})));
  Response response = Response::WithData({{"username", username}, {"password", password}});
  response.lease = framework::LeaseRequest{
      .ttl = ttl,
      .max_ttl = max,
      .renewable = true,
      .internal_data = {{"username", username}, {"role", role_name}, {"db_name", role->db_name}}};
  return response;
}

Status DatabaseBackend::RunForLease(Request& req, const json::object& internal,
                                    std::vector<std::string> RoleEntry::*statements,
                                    const std::vector<std::string>& fallback,
                                    std::map<std::string, std::string> values) {
  std::string db_name = StoredString(internal, "db_name");
  storage::Storage& s = StorageFor(req);
  CELLAR_ASSIGN_OR_RETURN(std::optional<ConnectionEntry> db, LoadConnection(s, db_name));
  if (!db) {
    // Kept (and retried) rather than forgotten: the user still exists in that database.
    return FailedPreconditionError("database connection \"" + db_name +
                                   "\" is gone; configure it again, or revoke-force the lease");
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> role, LoadRole(s, StoredString(internal, "role")));
  const std::vector<std::string>& chosen =
      role && !((*role).*statements).empty() ? (*role).*statements : fallback;
  values["name"] = values["username"] = StoredString(internal, "username");
  return RunInTransaction(db->Conninfo(), Filled(chosen, values));
}

Status DatabaseBackend::RevokeLease(Request& req, const json::object& internal) {
  return RunForLease(req, internal, &RoleEntry::revocation_statements, kDefaultRevocation, {});
}

StatusOr<Response> DatabaseBackend::RenewLease(Request& req, const json::object& internal) {
  const json::value* expire = req.data.if_contains("expire_time");
  if (expire == nullptr || !expire->is_int64()) {
    return Response{};
  }
  auto when = std::chrono::system_clock::time_point(std::chrono::seconds(expire->get_int64()));
  CELLAR_RETURN_IF_ERROR(RunForLease(req, internal, &RoleEntry::renew_statements, kDefaultRenewal,
                                     {{"expiration", FormatExpiration(when)}}));
  return Response{};
}

}  // namespace cellar::engines::database
