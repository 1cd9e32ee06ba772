// src/core/policy_paths.h: the sys/ paths for ACL policies and capabilities, for the sys backend.
#pragma once

#include <vector>

#include "framework/path.h"

namespace cellar::core {

class AclCache;
class PolicyStore;
class TokenStore;

// Paths relative to the sys/ mount, to append to the sys backend's table:
//   policy                 GET: {policies, keys}
//   policy/:name           GET {name, rules}; PUT/POST policy or rules; DELETE
//   policies/acl/          LIST: {keys}
//   policies/acl/:name     GET {name, policy}; PUT/POST policy*; DELETE
//   capabilities           POST paths (or path), token: {"<path>": [...], capabilities}
//   capabilities-self      POST paths: for the caller's own token
//   capabilities-accessor  POST paths, accessor
// `root` is immutable, `default` undeletable; parse errors are InvalidArgument "policy:l:c: ...".
// Reading a missing policy is NotFound. Writes answer 204 or the parser's warnings. The stores
// must outlive the paths.
std::vector<framework::Path> PolicyPaths(PolicyStore& policies, TokenStore& tokens, AclCache& acls);

}  // namespace cellar::core
