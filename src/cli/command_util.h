// src/cli/command_util.h: the helpers client command files share (defined in commands.cc): one
// API call with Vault-style error printing, key=value arguments, and secret/keys printing.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "cli/client.h"
#include "cli/commands.h"

namespace cellar::cli {

constexpr int kLocalError = 1;   // bad arguments, unreadable file
constexpr int kRemoteError = 2;  // the server answered with an error, or nothing was found

struct Reply {
  int status = 0;
  boost::json::value body;  // null when the body is empty or not JSON
};

// One API call. Prints transport and HTTP errors the way Vault's CLI does and returns nullopt.
// `ok_404` lets the caller handle "not found" itself.
std::optional<Reply> Call(const Client& c, std::string_view method, const std::string& path,
                          const boost::json::object* body = nullptr, bool ok_404 = false,
                          std::string_view content_type = "application/json");

// k=v, k=@file (the file's contents) and k=- (stdin), from args[start] on. Prints and returns
// nullopt for an argument without '='.
std::optional<boost::json::object> ParseKeyValues(const Args& args, size_t start);

// The contents of `file`, or of stdin when it is "-"; nullopt when it cannot be read.
std::optional<std::string> ReadFileOrStdin(const std::string& file);

// The member `key` of an object, or null.
const boost::json::value* Find(const boost::json::value& v, std::string_view key);

// Prints a secret response: JSON, one field, or a table of lease info and data (or auth).
int PrintSecret(const boost::json::value& body, const OutputFlags& o);
// Prints data.keys of a LIST answer; kRemoteError when there are none.
int PrintKeys(const boost::json::value& body, const OutputFlags& o);
// kLocalError with the usage line when fewer than `n` arguments were given.
int NeedArgs(const Args& args, size_t n, const char* usage);

}  // namespace cellar::cli
