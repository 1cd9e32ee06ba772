// src/auth/userpass/user_entry.h: one stored user (password hash and token settings).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status_or.h"
#include "framework/token_fields.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::auth::userpass {

struct UserEntry {
  std::string password_hash;  // crypto::HashPassword's encoded form; never shown
  framework::TokenParams token;

  std::string Serialize() const;
  static StatusOr<UserEntry> Parse(std::string_view stored);
};

// Storage key of a user ("user/<name>").
std::string UserKey(std::string_view username);

StatusOr<std::optional<UserEntry>> LoadUser(storage::Storage& s, std::string_view username);
Status SaveUser(storage::Storage& s, std::string_view username, const UserEntry& user);

}  // namespace cellar::auth::userpass
