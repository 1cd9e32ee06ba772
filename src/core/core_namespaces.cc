// src/core/core_namespaces.cc: namespace lifecycle glue between the namespace store and the
// mount table.
#include "base/status_macros.h"
#include "core/core_impl.h"
#include "core/namespace_routing.h"
#include "core/namespace_store.h"

namespace cellar::core {

StatusOr<std::string> Core::Impl::ResolveNamespace(std::string_view header, std::string& path) {
  std::string base;
  if (!header.empty()) {
    StatusOr<std::string> normalized = NamespaceStore::Normalize(header);
    std::shared_ptr<const NamespaceMap> table = namespaces->Snapshot();
    if (!normalized.ok() ||
        (!normalized->empty() && namespaces->Find(*table, *normalized) == nullptr)) {
      return NotFoundError("namespace \"" + std::string(header) + "\" does not exist");
    }
    base = std::move(normalized).value();
  }
  std::string ns = namespaces->LongestPrefix(base, path);
  path.erase(0, ns.size() - base.size());
  if (!ns.empty() && IsRootNamespaceOnly(path)) {
    return InvalidArgumentError("\"" + path + "\" is only available in the root namespace");
  }
  return ns;
}

Status Core::Impl::DeleteNamespace(std::string_view path) {
  // Vault tears a namespace's contents down in the background; Cellar refuses while it still holds
  // mounts, so nothing is deleted that the caller did not disable on purpose.
  for (const auto& mount : mounts().Snapshot()->mounts()) {
    if (mount->entry.namespace_path.starts_with(path)) {
      return InvalidArgumentError("cannot delete namespace \"" + std::string(path) +
                                  "\": it still has mounts (" + mount->route_path + ")");
    }
  }
  return namespaces->Delete(path);
}

}  // namespace cellar::core
