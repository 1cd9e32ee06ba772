// src/engines/database/entries.cc: JSON storage form of connections and roles.
#include "engines/database/entries.h"

#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "base/status_macros.h"
#include "engines/database/statements.h"
#include "framework/json_fields.h"
#include "storage/storage.h"

namespace cellar::engines::database {

namespace json = boost::json;

namespace {

using framework::LoadStoredObject;
using framework::StoredInt;
using framework::StoredString;
using framework::StoredStrings;

json::array ToArray(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

}  // namespace

bool ConnectionEntry::AllowsRole(std::string_view role) const {
  for (const std::string& allowed : allowed_roles) {
    if (allowed == "*" || allowed == role) {
      return true;
    }
  }
  return false;
}

std::string ConnectionEntry::Conninfo() const {
  bool uri = connection_url.starts_with("postgres://") || connection_url.starts_with("postgresql://");
  // Any byte may be in a password: percent-encoded in a URI's user info, a quoted value in a
  // key=value string (where libpq takes \' and \\ inside quotes).
  auto escape = [&](const std::string& value) {
    if (uri) {
      return boost::urls::encode(value, boost::urls::unreserved_chars);
    }
    std::string quoted = "'";
    for (char c : value) {
      if (c == '\'' || c == '\\') {
        quoted += '\\';
      }
      quoted += c;
    }
    return quoted + "'";
  };
  return FillTemplate(connection_url,
                      {{"username", escape(username)}, {"password", escape(password)}});
}

StatusOr<std::optional<ConnectionEntry>> LoadConnection(storage::Storage& s,
                                                        std::string_view name) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<json::object> o,
                          LoadStoredObject(s, std::string(kConnectionPrefix) + std::string(name)));
  if (!o) {
    return std::optional<ConnectionEntry>();
  }
  return std::optional<ConnectionEntry>(ConnectionEntry{
      .plugin_name = StoredString(*o, "plugin_name"),
      .connection_url = StoredString(*o, "connection_url"),
      .username = StoredString(*o, "username"),
      .password = StoredString(*o, "password"),
      .allowed_roles = StoredStrings(*o, "allowed_roles"),
  });
}

Status SaveConnection(storage::Storage& s, std::string_view name, const ConnectionEntry& e) {
  json::object o{{"plugin_name", e.plugin_name},
                 {"connection_url", e.connection_url},
                 {"username", e.username},
                 {"password", e.password},
                 {"allowed_roles", ToArray(e.allowed_roles)}};
  return s.Put(std::string(kConnectionPrefix) + std::string(name), json::serialize(o));
}

StatusOr<std::optional<RoleEntry>> LoadRole(storage::Storage& s, std::string_view name) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<json::object> o,
                          LoadStoredObject(s, std::string(kRolePrefix) + std::string(name)));
  if (!o) {
    return std::optional<RoleEntry>();
  }
  auto seconds = [&](std::string_view key) { return framework::Seconds(StoredInt(*o, key)); };
  return std::optional<RoleEntry>(RoleEntry{
      .db_name = StoredString(*o, "db_name"),
      .creation_statements = StoredStrings(*o, "creation_statements"),
      .revocation_statements = StoredStrings(*o, "revocation_statements"),
      .renew_statements = StoredStrings(*o, "renew_statements"),
      .default_ttl = seconds("default_ttl"),
      .max_ttl = seconds("max_ttl"),
  });
}

Status SaveRole(storage::Storage& s, std::string_view name, const RoleEntry& e) {
  json::object o{{"db_name", e.db_name},
                 {"creation_statements", ToArray(e.creation_statements)},
                 {"revocation_statements", ToArray(e.revocation_statements)},
                 {"renew_statements", ToArray(e.renew_statements)},
                 {"default_ttl", e.default_ttl.count()},
                 {"max_ttl", e.max_ttl.count()}};
  return s.Put(std::string(kRolePrefix) + std::string(name), json::serialize(o));
}

}  // namespace cellar::engines::database
