// src/auth/userpass/backend.h: the userpass backend's path table and handlers.
#pragma once

#include <mutex>

#include "crypto/password.h"
#include "framework/keyed_mutexes.h"
#include "framework/path_backend.h"

namespace cellar::auth::userpass {

// users/:name (CRUD, LIST users/), users/:name/password, users/:name/policies and login/:name.
// Thread-safe: user updates take a per-user lock so password and policy changes do not race.
class UserpassBackend : public framework::PathBackend {
 public:
  UserpassBackend(const framework::BackendConfig& config, crypto::ScryptParams hash_params);
  Status Init();

  // A token from this mount renews only while its user exists with the same policies.
  Status RenewAuth(framework::Request& request, const framework::Auth& auth) override;

 private:
  using Request = framework::Request;
  using Response = framework::Response;
  using FieldData = framework::FieldData;

  StatusOr<Response> ListUsers(Request& req, const FieldData& d);
  StatusOr<Response> ReadUser(Request& req, const FieldData& d);
  StatusOr<Response> WriteUser(Request& req, const FieldData& d);
  StatusOr<Response> DeleteUser(Request& req, const FieldData& d);
  StatusOr<bool> UserExists(Request& req, const FieldData& d);
  StatusOr<Response> UpdatePassword(Request& req, const FieldData& d);
  StatusOr<Response> UpdatePolicies(Request& req, const FieldData& d);
  StatusOr<Response> Login(Request& req, const FieldData& d);

  crypto::ScryptParams hash_params_;
  framework::KeyedMutexes<> locks_;
};

}  // namespace cellar::auth::userpass
