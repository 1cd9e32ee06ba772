// src/engines/database/backend.cc: the factory and the path table.
#include "engines/database/backend.h"

#include "base/status_macros.h"
#include "engines/database/database.h"

namespace cellar::engines::database {

using framework::Bind;
using framework::FieldSchema;
using framework::FieldType;
using framework::Operation;

namespace {
// Vault's GenericNameRegex.
constexpr std::string_view kName = R"((?P<name>\w(?:[\w.-]*\w)?))";
}  // namespace

DatabaseBackend::DatabaseBackend(const framework::BackendConfig& config)
    : PathBackend(framework::BackendType::kSecrets, config.storage),
      system_(config.system) {}

Status DatabaseBackend::Init() {
  const FieldSchema name = {"name", FieldType::kString, "Name of the connection or role."};
  std::string named = std::string(kName);
  return SetPaths({
      {.pattern = "config/?",
       .operations = {{Operation::kList, Bind(this, &DatabaseBackend::ListConnections)}},
       .help = "List connections."},
      {.pattern = "config/" + named,
       .fields = {name,
                  {"plugin_name", FieldType::kString, "postgresql-database-plugin."},
                  {"connection_url", FieldType::kString,
                   "libpq URL or key=value string; may use {{username}} and {{password}}."},
                  {"username", FieldType::kString, "The engine's own database user."},
                  {"password", FieldType::kString, "Its password (never shown)."},
                  {"allowed_roles", FieldType::kCommaList, "Roles that may use it; * for all."},
                  {"verify_connection", FieldType::kBool, "Connect before saving.", true},
                  {"password_authentication", FieldType::kString, "Accepted; unused."},
                  {"max_open_connections", FieldType::kInt, "Accepted; unused."},
                  {"max_idle_connections", FieldType::kInt, "Accepted; unused."},
                  {"max_connection_lifetime", FieldType::kDuration, "Accepted; unused."},
                  {"username_template", FieldType::kString, "Not supported."}},
       .operations = {{Operation::kRead, Bind(this, &DatabaseBackend::ReadConnection)},
                      {Operation::kUpdate, Bind(this, &DatabaseBackend::WriteConnection)},
                      {Operation::kDelete, Bind(this, &DatabaseBackend::DeleteConnection)}},
       .help = "Configure a database connection."},
      {.pattern = "rotate-root/" + named,
       .fields = {name},
       .operations = {{Operation::kUpdate, Bind(this, &DatabaseBackend::RotateRoot)}},
       .help = "Give the engine's database user a new password only Cellar knows."},
      {.pattern = "roles/?",
       .operations = {{Operation::kList, Bind(this, &DatabaseBackend::ListRoles)}},
       .help = "List roles."},
      {.pattern = "roles/" + named,
       .fields = {name,
                  {"db_name", FieldType::kString, "The connection (config/:name) to use."},
                  {"creation_statements", FieldType::kStringList,
                   "SQL creating the user: {{name}}, {{password}}, {{expiration}}."},
                  {"revocation_statements", FieldType::kStringList,
                   "SQL dropping it (default: DROP OWNED BY and DROP ROLE)."},
                  {"renew_statements", FieldType::kStringList,
                   "SQL run on renewal (default: ALTER ROLE ... VALID UNTIL)."},
                  {"rollback_statements", FieldType::kStringList, "Accepted; unused."},
                  {"default_ttl", FieldType::kDuration, "Lease TTL (0: the mount's)."},
                  {"max_ttl", FieldType::kDuration, "Longest lease (0: the mount's)."}},
       .operations = {{Operation::kRead, Bind(this, &DatabaseBackend::ReadRole)},
                      {Operation::kUpdate, Bind(this, &DatabaseBackend::WriteRole)},
                      {Operation::kDelete, Bind(this, &DatabaseBackend::DeleteRole)}},
       .existence_check = Bind(this, &DatabaseBackend::RoleExists),
       .help = "Create, read, update or delete a role."},
      {.pattern = "creds/" + named,
       .fields = {name},
       .operations = {{Operation::kRead, Bind(this, &DatabaseBackend::IssueCredentials)}},
       .help = "New leased credentials for a role."},
  });
}

StatusOr<std::unique_ptr<framework::Backend>> Factory(const framework::BackendConfig& config) {
  if (config.storage == nullptr || config.system == nullptr) {
    return InvalidArgumentError("database: mount has no storage or system view");
  }
  auto backend = std::make_unique<DatabaseBackend>(config);
  CELLAR_RETURN_IF_ERROR(backend->Init());
  return std::unique_ptr<framework::Backend>(std::move(backend));
}

}  // namespace cellar::engines::database
