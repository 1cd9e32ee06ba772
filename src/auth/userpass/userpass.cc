// src/auth/userpass/userpass.cc: factories and the userpass path table.
#include "auth/userpass/userpass.h"

#include "auth/userpass/backend.h"
#include "base/status_macros.h"
#include "framework/token_fields.h"

namespace cellar::auth::userpass {

using framework::Bind;
using framework::FieldSchema;
using framework::FieldType;
using framework::Operation;

namespace {
// Vault's GenericNameRegex, plus '@' so e-mail addresses work as user names.
constexpr std::string_view kUserName = R"((?P<username>\w(?:[\w.@-]*\w)?))";
}  // namespace

UserpassBackend::UserpassBackend(const framework::BackendConfig& config,
                                 crypto::ScryptParams hash_params)
    : PathBackend(framework::BackendType::kCredential, config.storage),
      hash_params_(hash_params) {}

Status UserpassBackend::Init() {
  const FieldSchema username = {"username", FieldType::kLowerCaseString, "User name."};
  const FieldSchema password = {"password", FieldType::kString, "Password."};
  std::vector<FieldSchema> user_fields = {username, password};
  framework::AppendFields(user_fields, framework::TokenFields());
  std::vector<FieldSchema> policy_fields = {username};
  framework::AppendFields(policy_fields,
                          {{"token_policies", FieldType::kNameList, "Policies of issued tokens."},
                           {"policies", FieldType::kNameList, "Deprecated: use token_policies."}});
  std::string user = "users/" + std::string(kUserName);
  SetUnauthenticatedPaths({"login/*"});
  return SetPaths({
      {.pattern = "users/?",
       .operations = {{Operation::kList, Bind(this, &UserpassBackend::ListUsers)}},
       .help = "List users."},
      {.pattern = user,
       .fields = user_fields,
       .operations = {{Operation::kRead, Bind(this, &UserpassBackend::ReadUser)},
                      {Operation::kUpdate, Bind(this, &UserpassBackend::WriteUser)},
                      {Operation::kDelete, Bind(this, &UserpassBackend::DeleteUser)}},
       .existence_check = Bind(this, &UserpassBackend::UserExists),
       .help = "Create, read, update or delete a user."},
      {.pattern = user + "/password",
       .fields = {username, password},
       .operations = {{Operation::kUpdate, Bind(this, &UserpassBackend::UpdatePassword)}},
       .help = "Set a user's password."},
      {.pattern = user + "/policies",
       .fields = policy_fields,
       .operations = {{Operation::kUpdate, Bind(this, &UserpassBackend::UpdatePolicies)}},
       .help = "Set a user's token policies."},
      {.pattern = R"(login/(?P<username>.+))",
       .fields = {username, password},
       .operations = {{Operation::kUpdate, Bind(this, &UserpassBackend::Login)}},
       .help = "Log in with a username and password."},
  });
}

StatusOr<std::unique_ptr<framework::Backend>> NewBackend(const framework::BackendConfig& config,
                                                         crypto::ScryptParams hash_params) {
  if (config.storage == nullptr) {
    return InvalidArgumentError("userpass: mount has no storage");
  }
  auto backend = std::make_unique<UserpassBackend>(config, hash_params);
  CELLAR_RETURN_IF_ERROR(backend->Init());
  return std::unique_ptr<framework::Backend>(std::move(backend));
}

StatusOr<std::unique_ptr<framework::Backend>> Factory(const framework::BackendConfig& config) {
  return NewBackend(config, crypto::ScryptParams{});
}

}  // namespace cellar::auth::userpass
