// src/core/sys_backend.h: the sys/ mount: mounts, auth methods, leases, seal routes, policies.
//
// One instance lives as long as the Core (sys/init and sys/unseal must answer while sealed, when no
// mount table exists); the mount table's "system" entry forwards to it.
#pragma once

#include <string>
#include <vector>

#include "core/core.h"
#include "framework/path.h"
#include "framework/path_backend.h"

namespace cellar::core {

// sys paths that need no token (relative to "sys/").
const std::vector<std::string>& SysUnauthenticatedPaths();

// sys paths (full, without "/v1/") a sealed Core still serves.
bool ServedWhileSealed(std::string_view full_path);

// The path groups, one file each; `core` outlives the returned handlers.
std::vector<framework::Path> SysMountPaths(Core::Impl& core);
std::vector<framework::Path> SysLeasePaths(Core::Impl& core);
std::vector<framework::Path> SysSealPaths(Core::Impl& core);
std::vector<framework::Path> SysAuditPaths(Core::Impl& core);
std::vector<framework::Path> SysNamespacePaths(Core::Impl& core);

class SysBackend : public framework::PathBackend {
 public:
  explicit SysBackend(Core::Impl& core);
};

}  // namespace cellar::core
