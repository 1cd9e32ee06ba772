// src/engines/database/entries.cc: JSON storage form of connections and roles.
#include "engines/database/entries.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "base/status_macros.h"
#include "engines/database/statements.h"
#include "storage/storage.h"

namespace cellar::engines::database {

namespace json = boost::json;

namespace {

std::string Text(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::vector<std::string> Texts(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const json::value* v = o.if_contains(key); v != nullptr && v->is_array()) {
    for (const json::value& item : v->get_array()) {
      if (item.is_string()) {
        out.emplace_back(item.get_string());
      }
    }
  }
  return out;
}

json::array ToArray(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}

StatusOr<std::optional<json::object>> LoadObject(storage::Storage& s, std::string key) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, s.Get(key));
  if (!raw) {
    return std::optional<json::object>();
  }
  json::error_code ec;
  json::value v = json::parse(*raw, ec);
  if (ec || !v.is_object()) {
    return InternalError("database: corrupt entry at " + key);
  }
  return std::optional<json::object>(std::move(v.get_object()));
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
                          LoadObject(s, std::string(kConnectionPrefix) + std::string(name)));
  if (!o) {
    return std::optional<ConnectionEntry>();
  }
  return std::optional<ConnectionEntry>(ConnectionEntry{
      .plugin_name = Text(*o, "plugin_name"),
      .connection_url = Text(*o, "connection_url"),
      .username = Text(*o, "username"),
      .password = Text(*o, "password"),
      .allowed_roles = Texts(*o, "allowed_roles"),
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
                          LoadObject(s, std::string(kRolePrefix) + std::string(name)));
  if (!o) {
    return std::optional<RoleEntry>();
  }
  auto seconds = [&](std::string_view key) {
    const json::value* v = o->if_contains(key);
    return framework::Seconds(v != nullptr && v->is_int64() ? v->get_int64() : 0);
  };
  return std::optional<RoleEntry>(RoleEntry{
      .db_name = Text(*o, "db_name"),
      .creation_statements = Texts(*o, "creation_statements"),
      .revocation_statements = Texts(*o, "revocation_statements"),
      .renew_statements = Texts(*o, "renew_statements"),
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
