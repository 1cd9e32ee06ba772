// src/engines/database/backend.h: the database engine's path table and handlers.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engines/database/entries.h"
#include "framework/path_backend.h"

namespace cellar::engines::database {

// config/:name (CRUD, LIST), rotate-root/:name, roles/:name (CRUD, LIST), creds/:role. Leased
// credentials are revoked (and renewed) at the database when their lease is.
class DatabaseBackend : public framework::PathBackend {
 public:
  explicit DatabaseBackend(const framework::BackendConfig& config);
  Status Init();

  Status RevokeLease(framework::Request& request,
                     const boost::json::object& internal_data) override;
  StatusOr<framework::Response> RenewLease(framework::Request& request,
                                           const boost::json::object& internal_data) override;

 private:
  using Request = framework::Request;
  using Response = framework::Response;
  using FieldData = framework::FieldData;

  // path_config.cc
  StatusOr<Response> ListConnections(Request& req, const FieldData& d);
  StatusOr<Response> ReadConnection(Request& req, const FieldData& d);
  StatusOr<Response> WriteConnection(Request& req, const FieldData& d);
  StatusOr<Response> DeleteConnection(Request& req, const FieldData& d);
  StatusOr<Response> RotateRoot(Request& req, const FieldData& d);
  // path_roles.cc
  StatusOr<Response> ListRoles(Request& req, const FieldData& d);
  StatusOr<Response> ReadRole(Request& req, const FieldData& d);
  StatusOr<Response> WriteRole(Request& req, const FieldData& d);
  StatusOr<Response> DeleteRole(Request& req, const FieldData& d);
  StatusOr<bool> RoleExists(Request& req, const FieldData& d);
  // path_creds.cc
  StatusOr<Response> IssueCredentials(Request& req, const FieldData& d);
  // Runs the leased user's role's `statements` (`fallback` when it has none) at its connection,
  // with {{name}}/{{username}} and `values` filled in.
  Status RunForLease(Request& req, const boost::json::object& internal,
                     std::vector<std::string> RoleEntry::*statements,
                     const std::vector<std::string>& fallback,
                     std::map<std::string, std::string> values);

  framework::SystemView* system_;
};

}  // namespace cellar::engines::database
