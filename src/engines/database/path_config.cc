// src/engines/database/path_config.cc: connections (config/:name) and rotate-root/:name.
#include "base/status_macros.h"
#include "engines/database/backend.h"
#include "engines/database/entries.h"
#include "engines/database/postgres_client.h"
#include "engines/database/statements.h"
#include "framework/responses.h"
#include "storage/storage.h"

namespace cellar::engines::database {

using framework::FieldData;
using framework::Request;
using framework::Response;
namespace json = boost::json;

namespace {

constexpr std::string_view kPostgresPlugin = "postgresql-database-plugin";

// "name" as a PostgreSQL identifier (double quotes doubled) and 'text' as a literal.
std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return out + "\"";
}
std::string QuoteLiteral(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    out += c == '\'' ? std::string("''") : std::string(1, c);
  }
  return out + "'";
}

}  // namespace

StatusOr<Response> DatabaseBackend::ListConnections(Request& req, const FieldData&) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> names,
                          StorageFor(req).List(std::string(kConnectionPrefix)));
  return framework::ListResponse(names);
}

StatusOr<Response> DatabaseBackend::ReadConnection(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<ConnectionEntry> c,
                          LoadConnection(StorageFor(req), d.GetString("name")));
  if (!c) {
    return Response{};
  }
  return Response::WithData(
      {{"plugin_name", c->plugin_name},
       {"connection_details",
        json::object{{"connection_url", c->connection_url}, {"username", c->username}}},
       {"allowed_roles", json::array(c->allowed_roles.begin(), c->allowed_roles.end())},
       {"root_credentials_rotate_statements", json::array()},
       {"password_policy", ""},
       {"verify_connection", true}});
}

StatusOr<Response> DatabaseBackend::WriteConnection(Request& req, const FieldData& d) {
  std::string name = d.GetString("name");
  storage::Storage& s = StorageFor(req);
  CELLAR_ASSIGN_OR_RETURN(std::optional<ConnectionEntry> existing, LoadConnection(s, name));
  ConnectionEntry c = existing ? std::move(*existing) : ConnectionEntry{};
  if (d.Has("plugin_name")) {
    c.plugin_name = d.GetString("plugin_name");
  }
  if (c.plugin_name.empty()) {
    return InvalidArgumentError("plugin_name must be specified");
  }
  if (c.plugin_name != kPostgresPlugin) {
    return InvalidArgumentError("unsupported plugin_name \"" + c.plugin_name + "\" (want " +
                                std::string(kPostgresPlugin) + ")");
  }
  if (d.Has("connection_url")) {
    c.connection_url = d.GetString("connection_url");
  }
  if (c.connection_url.empty()) {
    return InvalidArgumentError("connection_url must be specified");
  }
  if (d.Has("username")) {
    c.username = d.GetString("username");
  }
  if (d.Has("password")) {
    c.password = d.GetString("password");
  }
  if (d.Has("allowed_roles")) {
    c.allowed_roles = d.GetList("allowed_roles");
  }
  if (d.Has("username_template")) {
    return InvalidArgumentError("username_template is not supported");
  }
  if (d.GetBool("verify_connection")) {
    if (Status verified = VerifyConnection(c.Conninfo()); !verified.ok()) {
      return InvalidArgumentError("error verifying connection: " + verified.message());
    }
  }
  CELLAR_RETURN_IF_ERROR(SaveConnection(s, name, c));
  return Response{};
}

StatusOr<Response> DatabaseBackend::DeleteConnection(Request& req, const FieldData& d) {
  CELLAR_RETURN_IF_ERROR(
      StorageFor(req).Delete(std::string(kConnectionPrefix) + d.GetString("name")));
  return Response{};
}

StatusOr<Response> DatabaseBackend::RotateRoot(Request& req, const FieldData& d) {
  std::string name = d.GetString("name");
  storage::Storage& s = StorageFor(req);
  CELLAR_ASSIGN_OR_RETURN(std::optional<ConnectionEntry> c, LoadConnection(s, name));
  if (!c) {
    return InvalidArgumentError("unknown connection: " + name);
  }
  if (c->username.empty() || c->connection_url.find("{{password}}") == std::string::npos) {
    return InvalidArgumentError(
        "rotate-root needs username and a connection_url that uses {{password}}");
  }
  ConnectionEntry rotated = *c;
  rotated.password = NewPassword();
  CELLAR_RETURN_IF_ERROR(
      RunInTransaction(c->Conninfo(), {"ALTER ROLE " + QuoteIdentifier(c->username) +
                                       " WITH PASSWORD " + QuoteLiteral(rotated.password)}));
  if (Status saved = SaveConnection(s, name, rotated); !saved.ok()) {
    // Not stored: put the old password back, or nobody could log in as this user again.
    (void)RunInTransaction(rotated.Conninfo(), {"ALTER ROLE " + QuoteIdentifier(c->username) +
                                                " WITH PASSWORD " + QuoteLiteral(c->password)});
    return saved;
  }
  return Response{};
}

}  // namespace cellar::engines::database
