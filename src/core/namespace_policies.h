// src/core/namespace_policies.h: each namespace's own ACL policies (Vault Enterprise/OpenBao):
// the root's store and ACL cache, and one made on first use for every other namespace.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/status_or.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::core {

class AclCache;
class NamespaceStore;
class PolicyStore;

// One namespace's policies. A policy's paths are relative to its namespace: ns1's `path "kv/*"`
// governs ns1/kv/*, so callers authorise a path relative to the token's namespace.
struct NamespacePolicySet {
  std::string id;    // "" for the root namespace
  std::string path;  // "" for the root namespace, else "ns1/", "ns1/child/"
  PolicyStore* policies = nullptr;
  AclCache* acls = nullptr;
  std::shared_ptr<const void> owner;  // keeps a namespace's stores alive while in use
};

// Policies live in the policy view: the root's under "acl/<name>" (as before namespaces), a
// namespace's under "namespace/<id>/acl/<name>" (by id: a namespace deleted and made again starts
// with only its built-in "default"). Every namespace has "default" (built-in text until written)
// and "root" (never written). Thread-safe; the stores read through the barrier, so they fail with
// Sealed while it is closed.
class NamespacePolicies {
 public:
  // None of the references is owned; all must outlive this object.
  NamespacePolicies(storage::Storage& policy_view, PolicyStore& root_policies, AclCache& root_acls,
                    const NamespaceStore& namespaces);
  ~NamespacePolicies();
  NamespacePolicies(const NamespacePolicies&) = delete;
  NamespacePolicies& operator=(const NamespacePolicies&) = delete;

  // The set of the namespace at `path` ("" = root). NotFound when no such namespace exists.
  StatusOr<NamespacePolicySet> ForPath(std::string_view path);
  // The set of namespace `id` ("" = root). NotFound when it no longer exists.
  StatusOr<NamespacePolicySet> ForId(std::string_view id);
  // The path of namespace `id` ("" = root, ""). NotFound when it no longer exists.
  StatusOr<std::string> PathOf(std::string_view id) const;

  // Whether namespace `id` is namespace `path` or one below it: what a request made in `path`
  // may see of a token of namespace `id`. False when `id` no longer exists.
  bool IsWithin(std::string_view id, std::string_view path) const;

  // Erases namespace `id`'s stored policies and forgets its store (the namespace was deleted).
  Status Drop(std::string_view id);
  // Forgets every namespace's cached store (seal and unseal: storage may have changed).
  void Clear();

  const NamespaceStore& namespaces() const { return namespaces_; }

 private:
  struct Parts;
  StatusOr<NamespacePolicySet> Open(std::string id, std::string path);

  storage::Storage& policy_view_;
  PolicyStore& root_policies_;
  AclCache& root_acls_;
  const NamespaceStore& namespaces_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Parts>, std::less<>> parts_;  // by id; guarded by mutex_
};

// `full_path` relative to a token of namespace `token_ns` ("" root, "ns1/"): the path its
// policies are matched against. nullopt when the path is outside the token's namespace and its
// children (a token reaches nothing above or beside its namespace).
std::optional<std::string_view> PathForTokenNamespace(std::string_view full_path,
                                                      std::string_view token_ns);

}  // namespace cellar::core
