// src/core/core_namespaces.cc: namespace lifecycle glue between the namespace store and the
// mount table.
#include "base/status_macros.h"
#include "core/core_impl.h"
#include "core/namespace_routing.h"
#include "core/namespace_store.h"
#include "core/storage_util.h"

namespace cellar::core {

StatusOr<std::string> Core::Impl::ResolveNamespace(std::string_view header, std::string& path) {
  std::string base;
  if (!header.empty()) {
    // A malformed name is 400 without echoing it; a well-formed one that is missing is 404.
    CELLAR_ASSIGN_OR_RETURN(std::string normalized, NamespaceStore::Normalize(header));
    std::shared_ptr<const NamespaceMap> table = namespaces->Snapshot();
    if (!normalized.empty() && namespaces->Find(*table, normalized) == nullptr) {
      return NotFoundError("namespace \"" + normalized + "\" does not exist");
    }
    base = std::move(normalized);
  }
  std::string ns = namespaces->LongestPrefix(base, path);
  path.erase(0, ns.size() - base.size());
  if (!ns.empty() && IsRootNamespaceOnly(path)) {
    return InvalidArgumentError("\"" + path + "\" is only available in the root namespace");
  }
  return ns;
}

namespace {

// Where namespace `id`'s profiles live in the profiles view.
std::string ProfilesPrefixOf(std::string_view id) { return "namespace/" + std::string(id) + "/"; }

}  // namespace

StatusOr<std::string> Core::Impl::NamespaceProfilesPrefix(std::string_view ns) const {
  std::shared_ptr<const NamespaceMap> table = namespaces->Snapshot();
  const NamespaceEntry* entry = namespaces->Find(*table, ns);
  if (entry == nullptr) {
    return NotFoundError("namespace \"" + std::string(ns) + "\" does not exist");
  }
  return ProfilesPrefixOf(entry->id);
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
  // Its profiles and policies are configuration: they go with it, and its tokens are revoked.
  std::shared_ptr<const NamespaceMap> table = namespaces->Snapshot();
  const NamespaceEntry* entry = namespaces->Find(*table, path);
  std::string id = entry != nullptr ? entry->id : std::string();
  CELLAR_RETURN_IF_ERROR(namespaces->Delete(path));
  if (id.empty()) {
    return OkStatus();  // it did not exist
  }
  CELLAR_RETURN_IF_ERROR(DropNamespaceTokensAndPolicies(id));
  return DeleteTree(*profiles_view, ProfilesPrefixOf(id));
}

}  // namespace cellar::core
