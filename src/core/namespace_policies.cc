// src/core/namespace_policies.cc: per-namespace policy stores and ACL caches, made on first use.
#include "core/namespace_policies.h"

#include "base/status_macros.h"
#include "core/acl_cache.h"
#include "core/namespace_store.h"
#include "core/policy_store.h"
#include "core/storage_util.h"

namespace cellar::core {
namespace {

std::string NamespacePrefix(std::string_view id) { return "namespace/" + std::string(id) + "/"; }

Status MissingNamespace(std::string_view what) {
  return NotFoundError("namespace " + std::string(what) + " does not exist");
}

}  // namespace

struct NamespacePolicies::Parts {
  Parts(storage::Storage& policy_view, std::string_view id)
      : view(NewPrefixedStorage(&policy_view, NamespacePrefix(id))),
        policies(*view),
        acls(policies) {}
  std::unique_ptr<storage::Storage> view;
  PolicyStore policies;
  AclCache acls;
};

NamespacePolicies::NamespacePolicies(storage::Storage& policy_view, PolicyStore& root_policies,
                                     AclCache& root_acls, const NamespaceStore& namespaces)
    : policy_view_(policy_view),
      root_policies_(root_policies),
      root_acls_(root_acls),
      namespaces_(namespaces) {}

NamespacePolicies::~NamespacePolicies() = default;

StatusOr<NamespacePolicySet> NamespacePolicies::ForPath(std::string_view path) {
  if (path.empty()) {
    return NamespacePolicySet{.policies = &root_policies_, .acls = &root_acls_};
  }
  std::shared_ptr<const NamespaceMap> table = namespaces_.Snapshot();
  const NamespaceEntry* entry = namespaces_.Find(*table, path);
  if (entry == nullptr) {
    return MissingNamespace("\"" + std::string(path) + "\"");
  }
  return Open(entry->id, entry->path);
}

StatusOr<NamespacePolicySet> NamespacePolicies::ForId(std::string_view id) {
  if (id.empty()) {
    return ForPath("");
  }
  CELLAR_ASSIGN_OR_RETURN(std::string path, PathOf(id));
  return Open(std::string(id), std::move(path));
}

StatusOr<std::string> NamespacePolicies::PathOf(std::string_view id) const {
  if (id.empty()) {
    return std::string();
  }
  std::shared_ptr<const NamespaceMap> table = namespaces_.Snapshot();
  const NamespaceEntry* entry = namespaces_.FindById(*table, id);
  if (entry == nullptr) {
    return MissingNamespace("id \"" + std::string(id) + "\"");
  }
  return entry->path;
}

bool NamespacePolicies::IsWithin(std::string_view id, std::string_view path) const {
  StatusOr<std::string> ns = PathOf(id);
  return ns.ok() && ns->starts_with(path);
}

StatusOr<NamespacePolicySet> NamespacePolicies::Open(std::string id, std::string path) {
  std::shared_ptr<Parts> parts;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::shared_ptr<Parts>& slot = parts_[id];
    if (slot == nullptr) {
      slot = std::make_shared<Parts>(policy_view_, id);
    }
    parts = slot;
  }
  NamespacePolicySet set{.id = std::move(id),
                         .path = std::move(path),
                         .policies = &parts->policies,
                         .acls = &parts->acls};
  set.owner = std::move(parts);
  return set;
}

Status NamespacePolicies::Drop(std::string_view id) {
  if (id.empty()) {
    return InvalidArgumentError("the root namespace's policies cannot be dropped");
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = parts_.find(id); it != parts_.end()) {
      parts_.erase(it);
    }
  }
  return DeleteTree(policy_view_, NamespacePrefix(id));
}

void NamespacePolicies::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  parts_.clear();
}

std::optional<std::string_view> PathForTokenNamespace(std::string_view full_path,
                                                      std::string_view token_ns) {
  if (!full_path.starts_with(token_ns)) {
    return std::nullopt;
  }
  return full_path.substr(token_ns.size());
}

}  // namespace cellar::core
