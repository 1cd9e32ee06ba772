// src/auth/userpass/user_entry.cc: JSON storage form of a userpass user.
#include "auth/userpass/user_entry.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "storage/storage.h"

namespace cellar::auth::userpass {

namespace json = boost::json;

std::string UserKey(std::string_view username) { return "user/" + std::string(username); }

std::string UserEntry::Serialize() const {
  json::object o = token.ToJson();
  o["password_hash"] = password_hash;
  return json::serialize(o);
}

StatusOr<UserEntry> UserEntry::Parse(std::string_view stored) {
  json::error_code ec;
  json::value v = json::parse(stored, ec);
  if (ec || !v.is_object()) {
    return InternalError("userpass: corrupt user entry");
  }
  UserEntry user;
  user.token = framework::TokenParams::FromJson(v.get_object());
  if (const json::value* h = v.get_object().if_contains("password_hash");
      h != nullptr && h->is_string()) {
    user.password_hash = std::string(h->get_string());
  }
  return user;
}

StatusOr<std::optional<UserEntry>> LoadUser(storage::Storage& s, std::string_view username) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, s.Get(UserKey(username)));
  if (!raw) {
    return std::optional<UserEntry>();
  }
  CELLAR_ASSIGN_OR_RETURN(UserEntry user, UserEntry::Parse(*raw));
  return std::optional<UserEntry>(std::move(user));
}

Status SaveUser(storage::Storage& s, std::string_view username, const UserEntry& user) {
  return s.Put(UserKey(username), user.Serialize());
}

}  // namespace cellar::auth::userpass
