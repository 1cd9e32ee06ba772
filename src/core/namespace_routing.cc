// src/core/namespace_routing.cc: mount matching inside a namespace and the root-only sys paths.
#include "core/namespace_routing.h"

#include <string>

namespace cellar::core {
namespace {

bool HasSegmentPrefix(std::string_view path, std::string_view prefix) {
  return path.starts_with(prefix) && (path.size() == prefix.size() || path[prefix.size()] == '/');
}

}  // namespace

bool IsRootNamespaceOnly(std::string_view path) {
  for (std::string_view root_only :
       {"sys/init", "sys/seal", "sys/step-down", "sys/seal-status", "sys/unseal", "sys/health",
        "sys/leader", "sys/rotate", "sys/key-status", "sys/audit", "sys/audit-hash",
        "sys/generate-root", "sys/rekey"}) {
    if (HasSegmentPrefix(path, root_only)) {
      return true;
    }
  }
  return false;
}

bool IsSharedBuiltinMount(const MountEntry& entry) {
  return entry.type == "system" || entry.type == "cubbyhole" || entry.type == "token";
}

std::shared_ptr<const Mount> MatchInNamespace(const MountTable& table, std::string_view ns,
                                              std::string_view path) {
  if (HasSegmentPrefix(path, "sys") || HasSegmentPrefix(path, "auth/token") ||
      HasSegmentPrefix(path, "cubbyhole")) {
    std::shared_ptr<const Mount> shared = table.Match(path);
    if (shared != nullptr && shared->entry.namespace_path.empty() &&
        IsSharedBuiltinMount(shared->entry)) {
      return shared;
    }
    return nullptr;
  }
  std::string full(ns);
  full.append(path);
  std::shared_ptr<const Mount> mount = table.Match(full);
  if (mount == nullptr || mount->entry.namespace_path != ns) {
    return nullptr;
  }
  return mount;
}

}  // namespace cellar::core
