// src/core/namespace_routing.h: which mount a request made inside a namespace reaches, and which
// sys paths only the root namespace serves.
#pragma once

#include <memory>
#include <string_view>

#include "core/mount_table.h"

namespace cellar::core {

// The sys paths API.md keeps to the root namespace: init, seal*, unseal, health, leader, rotate,
// audit (and audit-hash), generate-root, rekey. `path` is relative to the namespace.
bool IsRootNamespaceOnly(std::string_view path);

// The mount a request in namespace `ns` ("ns1/", not root) for `path` (relative to `ns`) reaches:
// one mounted in `ns` itself, or for sys/, auth/token/ and cubbyhole/ the root's built-in mount
// (every namespace shares them; the request's namespace_path tells them where they are). A root
// or other namespace's mount is never reached this way. nullptr when none.
std::shared_ptr<const Mount> MatchInNamespace(const MountTable& table, std::string_view ns,
                                              std::string_view path);

// "system", "cubbyhole" and "token": mounted once, at the root, and shared by every namespace.
bool IsSharedBuiltinMount(const MountEntry& entry);

}  // namespace cellar::core
