// src/engines/database/statements.h: what the engine sends the database: statements filled in
// from templates, and the generated username, password and expiry they are filled with.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::engines::database {

// `text` with every {{key}} of `values` replaced (unknown {{...}} are left as they are).
std::string FillTemplate(std::string_view text, const std::map<std::string, std::string>& values);

// Each entry split on ';' (as Vault does), trimmed, empty statements dropped.
std::vector<std::string> SplitStatements(const std::vector<std::string>& entries);

// v-<display 8>-<role 8>-<20 random alphanumerics>-<unix seconds>, at most 63 bytes (a
// PostgreSQL identifier); characters other than [A-Za-z0-9_.-] in the names (quotes above all)
// become '_'.
std::string NewUsername(std::string_view display_name, std::string_view role,
                        std::chrono::system_clock::time_point now);

// 20 random alphanumerics with at least one upper, one lower case letter and one digit.
std::string NewPassword();

// "2026-12-02 15:04:05+0000": the form PostgreSQL's VALID UNTIL takes, as Vault writes it.
std::string FormatExpiration(std::chrono::system_clock::time_point when);

}  // namespace cellar::engines::database
