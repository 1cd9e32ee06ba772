// src/auth/userpass/path_users.cc: user management (users/, users/:name, password, policies).
#include "auth/userpass/backend.h"
#include "auth/userpass/user_entry.h"
#include "base/status_macros.h"
#include "framework/responses.h"
#include "storage/storage.h"

namespace cellar::auth::userpass {

using framework::FieldData;
using framework::Request;
using framework::Response;
namespace json = boost::json;

StatusOr<Response> UserpassBackend::ListUsers(Request& req, const FieldData&) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> names, StorageFor(req).List("user/"));
  return framework::ListResponse(names);
}

StatusOr<Response> UserpassBackend::ReadUser(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<UserEntry> user,
                          LoadUser(StorageFor(req), d.GetString("username")));
  if (!user) {
    return Response{};
  }
  json::object out;
  user->token.AddTo(out);
  return Response::WithData(std::move(out));
}

StatusOr<Response> UserpassBackend::WriteUser(Request& req, const FieldData& d) {
  std::string name = d.GetString("username");
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(name));
  CELLAR_ASSIGN_OR_RETURN(std::optional<UserEntry> existing, LoadUser(s, name));
  UserEntry user = existing ? std::move(*existing) : UserEntry{};
  std::string password = d.GetString("password");
  if (!existing && password.empty()) {
    return InvalidArgumentError("missing password");
  }
  CELLAR_RETURN_IF_ERROR(user.token.ParseFrom(d));
  if (!password.empty()) {
    CELLAR_ASSIGN_OR_RETURN(user.password_hash, crypto::HashPassword(password, hash_params_));
  }
  CELLAR_RETURN_IF_ERROR(SaveUser(s, name, user));
  return Response{};
}

StatusOr<Response> UserpassBackend::DeleteUser(Request& req, const FieldData& d) {
  std::string name = d.GetString("username");
  std::lock_guard lock(locks_.For(name));
  CELLAR_RETURN_IF_ERROR(StorageFor(req).Delete(UserKey(name)));
  return Response{};
}

StatusOr<bool> UserpassBackend::UserExists(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<UserEntry> user,
                          LoadUser(StorageFor(req), d.GetString("username")));
  return user.has_value();
}

StatusOr<Response> UserpassBackend::UpdatePassword(Request& req, const FieldData& d) {
  std::string name = d.GetString("username");
  std::string password = d.GetString("password");
  if (password.empty()) {
    return InvalidArgumentError("missing password");
  }
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(name));
  CELLAR_ASSIGN_OR_RETURN(std::optional<UserEntry> user, LoadUser(s, name));
  if (!user) {
    return InvalidArgumentError("username does not exist");
  }
  CELLAR_ASSIGN_OR_RETURN(user->password_hash, crypto::HashPassword(password, hash_params_));
  CELLAR_RETURN_IF_ERROR(SaveUser(s, name, *user));
  return Response{};
}

StatusOr<Response> UserpassBackend::UpdatePolicies(Request& req, const FieldData& d) {
  std::string name = d.GetString("username");
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(name));
  CELLAR_ASSIGN_OR_RETURN(std::optional<UserEntry> user, LoadUser(s, name));
  if (!user) {
    return InvalidArgumentError("username does not exist");
  }
  CELLAR_RETURN_IF_ERROR(user->token.ParseFrom(d));
  CELLAR_RETURN_IF_ERROR(SaveUser(s, name, *user));
  return Response{};
}

}  // namespace cellar::auth::userpass
