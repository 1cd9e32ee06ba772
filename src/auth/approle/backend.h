// src/auth/approle/backend.h: the AppRole backend's path table and handlers.
#pragma once

#include <mutex>

#include "framework/keyed_mutexes.h"
#include "framework/path_backend.h"

namespace cellar::auth::approle {

// role/:name (CRUD, LIST role/), role/:name/role-id, role/:name/secret-id (POST makes one,
// LIST its accessors), role/:name/secret-id/lookup and /destroy, and login. Thread-safe: a
// per-role lock makes taking a secret ID's last use atomic.
class AppRoleBackend : public framework::PathBackend {
 public:
  explicit AppRoleBackend(const framework::BackendConfig& config);
  Status Init();

  // A token from this mount renews only while its role exists.
  Status RenewAuth(framework::Request& request, const framework::Auth& auth) override;

 private:
  using Request = framework::Request;
  using Response = framework::Response;
  using FieldData = framework::FieldData;

  // path_role.cc
  StatusOr<Response> ListRoles(Request& req, const FieldData& d);
  StatusOr<Response> ReadRole(Request& req, const FieldData& d);
  StatusOr<Response> WriteRole(Request& req, const FieldData& d);
  StatusOr<Response> DeleteRole(Request& req, const FieldData& d);
  StatusOr<bool> RoleExists(Request& req, const FieldData& d);
  StatusOr<Response> ReadRoleId(Request& req, const FieldData& d);
  StatusOr<Response> WriteRoleId(Request& req, const FieldData& d);
  // path_secret_id.cc
  StatusOr<Response> NewSecretId(Request& req, const FieldData& d);
  StatusOr<Response> ListSecretIds(Request& req, const FieldData& d);
  StatusOr<Response> LookupSecretId(Request& req, const FieldData& d);
  StatusOr<Response> DestroySecretId(Request& req, const FieldData& d);
  // path_login.cc
  StatusOr<Response> Login(Request& req, const FieldData& d);

  framework::SystemView* system_;
  framework::KeyedMutexes<> locks_;
};

}  // namespace cellar::auth::approle
