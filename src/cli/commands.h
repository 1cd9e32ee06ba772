// src/cli/commands.h: the client commands (status, read, write, kv, token, policy, ...). Each
// returns the process exit code as Vault's CLI does: 0 success, 1 local error (bad arguments),
// 2 an error from the server or no value found.
#pragma once

#include <string>
#include <vector>

#include "cli/client.h"

namespace cellar::cli {

struct OutputFlags {
  std::string format = "table";  // "table" or "json"
  std::string field;             // print only this field
};

using Args = std::vector<std::string>;  // positional arguments after the command

int CmdStatus(const Client& c, const OutputFlags& o);
int CmdOperatorInit(const Client& c, const OutputFlags& o, int shares, int threshold);
int CmdOperatorUnseal(const Client& c, const OutputFlags& o, const std::string& key, bool reset);
int CmdOperatorSeal(const Client& c);
// sys/step-down: the active HA node hands over to a standby.
int CmdOperatorStepDown(const Client& c);

struct LoginFlags {
  std::string method = "token";
  std::string path;  // mount path, default the method name
  bool no_store = false;
};
int CmdLogin(Client c, const OutputFlags& o, const LoginFlags& l, const Args& args);

int CmdRead(const Client& c, const OutputFlags& o, const Args& args);
int CmdWrite(const Client& c, const OutputFlags& o, const Args& args);
int CmdList(const Client& c, const OutputFlags& o, const Args& args);
int CmdDelete(const Client& c, const Args& args);

struct KvFlags {
  std::string mount;                         // -mount: the path is then relative to it
  int version = 0;                           // kv get -version
  int cas = -1;                              // kv put/patch -cas
  std::string versions;                      // kv delete/undelete/destroy -versions=1,2
  int max_versions = -1;                     // kv metadata put
  std::string cas_required;                  // kv metadata put: "true"/"false"
  std::string delete_version_after;          // kv metadata put
  std::vector<std::string> custom_metadata;  // kv metadata put: k=v
};
// sub: get put patch list delete undelete destroy; metadata get|put|delete via CmdKvMetadata.
int CmdKv(const Client& c, const OutputFlags& o, const std::string& sub, const KvFlags& k,
          const Args& args);
int CmdKvMetadata(const Client& c, const OutputFlags& o, const std::string& sub, const KvFlags& k,
                  const Args& args);

struct MountFlags {
  std::string path;
  std::string description;
  std::string version;  // secrets enable -version=2
};
// kind: "secrets" (sys/mounts) or "auth" (sys/auth).
int CmdMountEnable(const Client& c, const std::string& kind, const MountFlags& m, const Args& args);
int CmdMountDisable(const Client& c, const std::string& kind, const Args& args);
int CmdMountList(const Client& c, const OutputFlags& o, const std::string& kind);

int CmdPolicyWrite(const Client& c, const Args& args);
int CmdPolicyRead(const Client& c, const OutputFlags& o, const Args& args);
int CmdPolicyList(const Client& c, const OutputFlags& o);
int CmdPolicyDelete(const Client& c, const Args& args);

struct TokenFlags {
  std::vector<std::string> policies;
  std::vector<std::string> metadata;  // k=v
  std::string ttl;
  std::string explicit_max_ttl;
  std::string period;
  std::string display_name;
  std::string id;
  std::string role;
  int use_limit = 0;
  bool orphan = false;
  bool no_default_policy = false;
  std::string renewable;  // "" unset, "true"/"false"
  std::string increment;  // renew
  bool self = false;      // revoke -self
  bool accessor = false;  // lookup/renew/revoke by accessor
};
int CmdTokenCreate(const Client& c, const OutputFlags& o, const TokenFlags& t);
int CmdTokenLookup(const Client& c, const OutputFlags& o, const TokenFlags& t, const Args& args);
int CmdTokenRenew(const Client& c, const OutputFlags& o, const TokenFlags& t, const Args& args);
int CmdTokenRevoke(const Client& c, const TokenFlags& t, const Args& args);

}  // namespace cellar::cli
