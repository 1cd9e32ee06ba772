// src/cli/profile_commands.h: `cellar profile write|read|list|delete|execute|plan|debug`.
#pragma once

#include <string>
#include <string_view>

#include "cli/client.h"
#include "cli/commands.h"
#include "hcl/diagnostic.h"

namespace cellar::cli {

// Exit codes as commands.h: 0 success, 1 local error, 2 server error.
int CmdProfileWrite(const Client& c, const Args& args);  // NAME FILE|-
int CmdProfileRead(const Client& c, const OutputFlags& o, const Args& args);
int CmdProfileList(const Client& c, const OutputFlags& o);
int CmdProfileDelete(const Client& c, const Args& args);
// For a signed profile (`input { signed = true }`): the input goes out as a JWS, and no token.
struct ProfileSignFlags {
  std::string key_file;  // -sign-key: PEM private key bound at sys/profiles/keys/:name
  std::string kid;       // -kid: that binding's name; empty embeds the public key as a jwk
};

// action: "execute", "plan" or "debug". Arguments after NAME are key=value (a string) or
// key:=JSON (any JSON value: numbers, bools, lists, maps), also key=@file and key=-.
int CmdProfileRun(const Client& c, const OutputFlags& o, const ProfileSignFlags& sign,
                  const std::string& action, const Args& args);

// The positioned errors in a server message such as
// `profile "web" is invalid: 2:13: request.b does not exist; 4:1: ...`, as diagnostics in `file`.
// Empty when the message carries no line:column.
hcl::Diagnostics ProfileErrorsIn(std::string_view message, std::string_view file);

}  // namespace cellar::cli
