// src/cli/output.h: how the CLI prints answers: Vault-style tables, pretty JSON, single fields.
#pragma once

#include <boost/json/value.hpp>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace cellar::cli {

using Rows = std::vector<std::pair<std::string, std::string>>;

// A value as Vault's CLI prints it in a table (Go's fmt %v): strings bare, lists "[a b]", maps
// "map[k:v]", null "<nil>".
std::string FormatValue(const boost::json::value& value);

// A TTL in seconds as Vault's CLI prints lease_duration and token_duration: "1h", "1h30m",
// "1m30s", "768h"; 0 is "∞" (no expiry).
std::string HumanDuration(const boost::json::value& seconds);

// "Key   Value\n---   -----\n..." with the first column padded.
void PrintTable(const Rows& rows, std::ostream& out, const std::string& key_header = "Key",
                const std::string& value_header = "Value");

// Indented JSON (4 spaces, like the Vault CLI), ending in a newline.
void PrintJson(const boost::json::value& value, std::ostream& out);

// The rows of an object with keys sorted.
Rows RowsOf(const boost::json::object& object);

}  // namespace cellar::cli
