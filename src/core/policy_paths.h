// src/core/policy_paths.h: the sys/ paths for ACL policies and capabilities, for the sys backend.
#pragma once

#include <vector>

#include "framework/path.h"

namespace cellar::core {

class NamespacePolicies;
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
//
// Namespaces: the policy paths manage the policies of the request's namespace (Request::
// namespace_path; NotFound when it does not exist). Capabilities take paths relative to the
// request's namespace and check them with the token's namespace's policies; a token of another
// namespace than the request's or its children is "invalid".
std::vector<framework::Path> PolicyPaths(NamespacePolicies& namespaces, TokenStore& tokens);

}  // namespace cellar::core
