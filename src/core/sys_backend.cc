// src/core/sys_backend.cc: assembles the sys/ path table from its groups.
#include "core/sys_backend.h"

#include <spdlog/spdlog.h>

#include "core/core_impl.h"
#include "core/request_path.h"

namespace cellar::core {

const std::vector<std::string>& SysUnauthenticatedPaths() {
  static const std::vector<std::string> kPaths = {
      "init", "seal-status", "unseal", "health", "leader", "generate-root/*", "rekey/*",
      // Answers per token itself (403 without a capability under the mount), as Vault does.
      "internal/ui/mounts/*"};
  return kPaths;
}

bool ServedWhileSealed(std::string_view path) {
  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  return path == "sys/init" || path == "sys/seal-status" || path == "sys/unseal" ||
         path == "sys/health" || path == "sys/leader";
}

SysBackend::SysBackend(Core::Impl& core)
    : framework::PathBackend(framework::BackendType::kSecrets) {
  std::vector<framework::Path> paths;
  framework::AppendPaths(paths, SysSealPaths(core));
  framework::AppendPaths(paths, SysMountPaths(core));
  framework::AppendPaths(paths, SysLeasePaths(core));
  framework::AppendPaths(paths, SysAuditPaths(core));
  framework::AppendPaths(paths, SysNamespacePaths(core));
  framework::AppendPaths(paths, core.PolicyPaths());
  SetUnauthenticatedPaths(SysUnauthenticatedPaths());
  if (Status s = SetPaths(std::move(paths)); !s.ok()) {
    spdlog::critical("sys path table does not compile: {}", s.ToString());
  }
}

}  // namespace cellar::core
