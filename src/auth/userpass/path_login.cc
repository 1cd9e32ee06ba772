// src/auth/userpass/path_login.cc: login/:name and token renewal checks.
#include <algorithm>

#include "auth/userpass/backend.h"
#include "auth/userpass/user_entry.h"
#include "base/status_macros.h"
#include "framework/cidr.h"

namespace cellar::auth::userpass {

using framework::FieldData;
using framework::Request;
using framework::Response;

namespace {
// One message for an unknown user and a wrong password, so neither can be told apart.
constexpr std::string_view kInvalidCredentials = "invalid username or password";

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}
}  // namespace

StatusOr<Response> UserpassBackend::Login(Request& req, const FieldData& d) {
  std::string name = d.GetString("username");
  std::string password = d.GetString("password");
  if (password.empty()) {
    return InvalidArgumentError("missing password");
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<UserEntry> user, LoadUser(StorageFor(req), name));
  if (!user) {
    // Spend the time a real check takes, so timing does not reveal which users exist.
    crypto::DummyVerify(password);
    return InvalidArgumentError(std::string(kInvalidCredentials));
  }
  if (!crypto::VerifyPassword(password, user->password_hash)) {
    return InvalidArgumentError(std::string(kInvalidCredentials));
  }
  // Checked after the password, so a wrong address does not reveal that the user exists.
  if (!framework::AddressAllowed(req.remote_addr, user->token.bound_cidrs)) {
    return PermissionDeniedError("login request originated from invalid CIDR");
  }
  framework::Auth auth;
  user->token.PopulateAuth(auth);
  auth.display_name = name;
  auth.metadata["username"] = name;
  auth.internal_data["username"] = name;
  Response resp;
  resp.auth = std::move(auth);
  return resp;
}

Status UserpassBackend::RenewAuth(Request& req, const framework::Auth& auth) {
  auto it = auth.metadata.find("username");
  if (it == auth.metadata.end()) {
    return InvalidArgumentError("no username on the token");
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<UserEntry> user, LoadUser(StorageFor(req), it->second));
  if (!user) {
    return InvalidArgumentError("user no longer exists");
  }
  if (Sorted(user->token.policies) != Sorted(auth.token_policies)) {
    return InvalidArgumentError("policies have changed, not renewing");
  }
  return OkStatus();
}

}  // namespace cellar::auth::userpass
