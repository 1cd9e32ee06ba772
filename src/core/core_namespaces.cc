// src/core/core_namespaces.cc: namespace lifecycle glue between the namespace store and the
// mount table.
#include "base/status_macros.h"
#include "core/core_impl.h"
#include "core/namespace_store.h"

namespace cellar::core {

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
