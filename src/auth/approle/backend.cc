// src/auth/approle/backend.cc: the factory and the AppRole path table.
#include "auth/approle/backend.h"

#include "auth/approle/approle.h"
#include "base/status_macros.h"
#include "framework/token_fields.h"

namespace cellar::auth::approle {

using framework::Bind;
using framework::FieldSchema;
using framework::FieldType;
using framework::Operation;

namespace {
// Vault's GenericNameRegex.
constexpr std::string_view kRoleName = R"(role/(?P<role_name>\w(?:[\w.-]*\w)?))";
}  // namespace

AppRoleBackend::AppRoleBackend(const framework::BackendConfig& config)
    : PathBackend(framework::BackendType::kCredential, config.storage),
      system_(config.system) {}

Status AppRoleBackend::Init() {
  const FieldSchema role_name = {"role_name", FieldType::kString, "Name of the role."};
  const FieldSchema secret_id = {"secret_id", FieldType::kString, "A secret ID."};
  std::vector<FieldSchema> role_fields = {
      role_name,
      {"bind_secret_id", FieldType::kBool, "Whether login needs a secret ID.", true},
      {"secret_id_ttl", FieldType::kDuration, "Lifetime of secret IDs (0: no expiry)."},
      {"secret_id_num_uses", FieldType::kInt, "Logins per secret ID (0: unlimited)."},
      {"role_id", FieldType::kString, "A role ID of your choosing (default: a random UUID)."},
      {"local_secret_ids", FieldType::kBool, "Accepted; unused."},
      {"secret_id_bound_cidrs", FieldType::kCommaList, "Not supported."}};
  framework::AppendFields(role_fields, framework::TokenFields());
  std::string role = std::string(kRoleName);
  SetUnauthenticatedPaths({"login"});
  return SetPaths({
      {.pattern = "role/?",
       .operations = {{Operation::kList, Bind(this, &AppRoleBackend::ListRoles)}},
       .help = "List roles."},
      {.pattern = role,
       .fields = role_fields,
       .operations = {{Operation::kRead, Bind(this, &AppRoleBackend::ReadRole)},
                      {Operation::kUpdate, Bind(this, &AppRoleBackend::WriteRole)},
                      {Operation::kDelete, Bind(this, &AppRoleBackend::DeleteRole)}},
       .existence_check = Bind(this, &AppRoleBackend::RoleExists),
       .help = "Create, read, update or delete a role."},
      {.pattern = role + "/role-id",
       .fields = {role_name, {"role_id", FieldType::kString, "The role ID to set."}},
       .operations = {{Operation::kRead, Bind(this, &AppRoleBackend::ReadRoleId)},
                      {Operation::kUpdate, Bind(this, &AppRoleBackend::WriteRoleId)}},
       .help = "Read or set the role's role ID."},
      {.pattern = role + "/secret-id/?",
       .fields = {role_name,
                  {"metadata", FieldType::kString, "JSON object of string metadata."},
                  {"cidr_list", FieldType::kCommaList, "Not supported."},
                  {"token_bound_cidrs", FieldType::kCommaList, "Not supported."},
                  {"ttl", FieldType::kDuration, "A shorter lifetime for this secret ID."},
                  {"num_uses", FieldType::kInt, "Fewer uses for this secret ID."}},
       .operations = {{Operation::kUpdate, Bind(this, &AppRoleBackend::NewSecretId)},
                      {Operation::kList, Bind(this, &AppRoleBackend::ListSecretIds)}},
       .help = "Make a secret ID, or list the accessors of the role's secret IDs."},
      {.pattern = role + "/secret-id/lookup",
       .fields = {role_name, secret_id},
       .operations = {{Operation::kUpdate, Bind(this, &AppRoleBackend::LookupSecretId)}},
       .help = "What is known of a secret ID."},
      {.pattern = role + "/secret-id/destroy",
       .fields = {role_name, secret_id},
       .operations = {{Operation::kUpdate, Bind(this, &AppRoleBackend::DestroySecretId)},
                      {Operation::kDelete, Bind(this, &AppRoleBackend::DestroySecretId)}},
       .help = "Invalidate a secret ID."},
      {.pattern = "login",
       .fields = {{"role_id", FieldType::kString, "The role's role ID."}, secret_id},
       .operations = {{Operation::kUpdate, Bind(this, &AppRoleBackend::Login)}},
       .help = "Log in with a role ID and a secret ID."},
  });
}

StatusOr<std::unique_ptr<framework::Backend>> Factory(const framework::BackendConfig& config) {
  if (config.storage == nullptr || config.system == nullptr) {
    return InvalidArgumentError("approle: mount has no storage or system view");
  }
  auto backend = std::make_unique<AppRoleBackend>(config);
  CELLAR_RETURN_IF_ERROR(backend->Init());
  return std::unique_ptr<framework::Backend>(std::move(backend));
}

}  // namespace cellar::auth::approle
