// src/core/core_tokens.cc: Core's glue to the token store, policy store and ACL cache: token
// resolution, ACLs, login tokens, root tokens, token expiry on the shared timer, and revocation
// hooks (a revoked token's leases and cubbyhole go with it).
#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/status_macros.h"
#include "core/acl.h"
#include "core/acl_cache.h"
#include "core/core_impl.h"
#include "core/namespace_policies.h"
#include "core/namespace_store.h"
#include "core/policy_paths.h"
#include "core/policy_store.h"
#include "core/storage_util.h"
#include "core/token_backend.h"
#include "core/token_store.h"

namespace cellar::core {
namespace {

// As Vault: only sys/init, generate-root and a root token make root tokens, never a login.
bool HasRootPolicy(const framework::Auth& auth) {
  auto has = [](const std::vector<std::string>& v) {
    return std::find(v.begin(), v.end(), "root") != v.end();
  };
  return has(auth.policies) || has(auth.token_policies);
}

}  // namespace

// Built once with the Core: the sys/ path table and auth/token/ keep references to these stores,
// which read through the barrier and so simply fail with Sealed while it is closed.
struct Core::Impl::TokenParts {
  std::unique_ptr<storage::Storage> token_view;
  std::unique_ptr<storage::Storage> policy_view;
  std::unique_ptr<TokenStore> store;
  std::unique_ptr<PolicyStore> policies;
  std::unique_ptr<AclCache> acls;
  // Every namespace's policies, the root's being `policies` and `acls` above.
  std::unique_ptr<NamespacePolicies> namespaced;
};

void Core::Impl::BuildTokenStores() {
  auto parts = std::make_shared<TokenParts>();
  parts->token_view = NewPrefixedStorage(barrier.get(), "sys/token/");
  parts->policy_view = NewPrefixedStorage(barrier.get(), "sys/policy/");
  parts->store = std::make_unique<TokenStore>(*parts->token_view, clock(),
                                              options.default_lease_ttl, options.max_lease_ttl);
  parts->policies = std::make_unique<PolicyStore>(*parts->policy_view);
  parts->acls = std::make_unique<AclCache>(*parts->policies);
  parts->namespaced = std::make_unique<NamespacePolicies>(*parts->policy_view, *parts->policies,
                                                          *parts->acls, *namespaces);
  parts->store->SetRevocationHook([this](const TokenEntry& entry) {
    leases().RevokeByToken(entry.accessor);
    // The cubbyhole keys its data by the token's hash, which is the store's id_hash.
    if (std::shared_ptr<const Mount> cubby = mounts().Snapshot()->Find("cubbyhole/")) {
      Status erased = DeleteTree(*cubby->runtime->view, entry.id_hash + "/");
      if (!erased.ok()) {
        spdlog::warn("cubbyhole of a revoked token not erased: {}", erased.ToString());
      }
    }
  });
  parts->store->SetExpiryListener([this](TimePoint) { leases().Wake(); });
  TokenStore* store = parts->store.get();
  leases().SetExtraTimer([store] { return store->NextExpiry(); },
                         [store] {
                           StatusOr<size_t> n = store->Tidy();
                           if (!n.ok()) {
                             spdlog::warn("token tidy failed: {}", n.status().ToString());
                           }
                         });
  tokens = std::move(parts);
}

Status Core::Impl::StartTokenStores() {
  tokens->policies->Invalidate();
  tokens->namespaced->Clear();
  return tokens->store->Load();
}

void Core::Impl::StopTokenStores() {
  tokens->policies->Invalidate();
  tokens->namespaced->Clear();
}

StatusOr<framework::Caller> Core::Impl::ResolveToken(std::string_view token, bool* limited_uses,
                                                     std::string_view token_hash,
                                                     NamespacePolicySet* token_namespace) {
  if (token.empty()) {
    return PermissionDeniedError();
  }
  StatusOr<std::shared_ptr<const TokenEntry>> entry =
      token_hash.empty() ? tokens->store->Lookup(token) : tokens->store->LookupByHash(token_hash);
  if (!entry.ok()) {
    if (entry.status().code() == StatusCode::kSealed) {
      return entry.status();
    }
    spdlog::debug("token lookup failed: {}", entry.status().ToString());
    return PermissionDeniedError();
  }
  if (*entry == nullptr) {
    return PermissionDeniedError();
  }
  const TokenEntry& e = **entry;
  if (!e.namespace_id.empty()) [[unlikely]] {
    // A token of a deleted namespace is dead (its revocation may still be under way).
    StatusOr<NamespacePolicySet> ns = tokens->namespaced->ForId(e.namespace_id);
    if (!ns.ok()) {
      return PermissionDeniedError();
    }
    if (token_namespace != nullptr) {
      *token_namespace = std::move(ns).value();
    }
  }
  framework::Caller caller;
  caller.token = std::string(token);
  caller.accessor = e.accessor;
  caller.display_name = e.display_name;
  caller.policies = e.policies;
  caller.metadata = e.meta;
  caller.entity_id = e.entity_id;
  caller.namespace_id = e.namespace_id;
  caller.is_root = std::find(e.policies.begin(), e.policies.end(), "root") != e.policies.end();
  if (limited_uses != nullptr) {
    *limited_uses = e.num_uses > 0;
  }
  return caller;
}

StatusOr<std::shared_ptr<const Acl>> Core::Impl::AclForCaller(const framework::Caller& caller) {
  return tokens->acls->Get(caller.policies);
}

Status Core::Impl::AuthorizeCaller(const framework::Request& routed, std::string_view full_path,
                                   std::string_view in_ns,
                                   const NamespacePolicySet& token_namespace) {
  std::shared_ptr<const Acl> acl;
  std::string_view acl_path = full_path;
  if (token_namespace.id.empty()) [[likely]] {
    CELLAR_ASSIGN_OR_RETURN(acl, AclForCaller(routed.caller));
  } else {
    // A namespace's token reaches its namespace and the ones below it, with its namespace's
    // policies, whose paths are relative to that namespace.
    std::optional<std::string_view> path = PathForTokenNamespace(full_path, token_namespace.path);
    if (!path) {
      return PermissionDeniedError();
    }
    acl_path = *path;
    CELLAR_ASSIGN_OR_RETURN(acl, token_namespace.acls->Get(routed.caller.policies));
  }
  CELLAR_RETURN_IF_ERROR(
      acl->Authorize(routed.operation, acl_path, routed.data, routed.via_profile));
  // Sudo paths are named inside the request's namespace: "ns1/sys/auth/x" is ns1's sys/auth/x,
  // which the ACL's own check cannot tell when the policy path still carries a namespace.
  bool list = routed.operation == framework::Operation::kList;
  if (acl_path.size() != in_ns.size() && !acl->is_root() && RequiresSudo(routed.operation, in_ns) &&
      (acl->CapabilitiesFor(acl_path, list) & kCapSudo) == 0) {
    return PermissionDeniedError();
  }
  return OkStatus();
}

StatusOr<std::shared_ptr<const Acl>> Core::Impl::AclForToken(std::string_view token,
                                                             std::string* token_namespace) {
  if (token.empty()) {
    return PermissionDeniedError();
  }
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, tokens->store->Lookup(token));
  if (entry == nullptr) {
    return PermissionDeniedError();
  }
  StatusOr<NamespacePolicySet> set = tokens->namespaced->ForId(entry->namespace_id);
  if (!set.ok()) {
    return PermissionDeniedError();  // its namespace was deleted
  }
  if (token_namespace != nullptr) {
    *token_namespace = set->path;
  }
  return set->acls->Get(entry->policies);
}

Status Core::Impl::CreateLoginToken(const Mount& mount, const framework::Request& request,
                                    framework::Auth& auth) {
  if (!auth.client_token.empty()) {
    return OkStatus();  // auth/token/create and renew already carry their token
  }
  if (HasRootPolicy(auth)) {
    return PermissionDeniedError("auth methods cannot create root tokens");
  }
  LoginContext ctx;
  ctx.mount_path = mount.route_path;
  ctx.request_path = mount.route_path + request.path;
  if (!mount.entry.namespace_path.empty()) {
    // A login through a namespace's auth mount makes a token of that namespace.
    CELLAR_ASSIGN_OR_RETURN(NamespacePolicySet set,
                            tokens->namespaced->ForPath(mount.entry.namespace_path));
    ctx.namespace_id = set.id;
  }
  ctx.mount_default_ttl = mount.runtime->system->DefaultLeaseTtl();
  ctx.mount_max_ttl = mount.runtime->system->MaxLeaseTtl();
  CELLAR_ASSIGN_OR_RETURN(auth, tokens->store->CreateFromLogin(auth, ctx));
  return OkStatus();
}

Status Core::Impl::UseToken(std::string_view token, bool* last_use) {
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> used,
                          tokens->store->Use(token, last_use));
  if (used == nullptr) {
    return PermissionDeniedError();  // used up (or revoked) since it was resolved
  }
  return OkStatus();
}

void Core::Impl::RevokeUsedUpToken(std::string_view token) {
  Status s = tokens->store->RevokeByHash(HashToken(token));
  if (!s.ok()) {
    spdlog::warn("used-up token not revoked yet (the expiry timer retries): {}", s.ToString());
  }
}

StatusOr<std::string> Core::Impl::CreateRootToken(std::string id) {
  CELLAR_ASSIGN_OR_RETURN(CreatedToken created, tokens->store->CreateRoot(std::move(id)));
  return created.token;
}

Status Core::Impl::RevokeTokenByHash(std::string_view id_hash) {
  return tokens->store->RevokeByHash(id_hash);
}

Status Core::Impl::RevokeTokensUnder(std::string_view route_path) {
  return tokens->store->RevokeByPathPrefix(route_path).status();
}

Status Core::Impl::DropNamespaceTokensAndPolicies(std::string_view id) {
  CELLAR_RETURN_IF_ERROR(tokens->store->RevokeByNamespace(id).status());
  return tokens->namespaced->Drop(id);
}

StatusOr<framework::Auth> Core::IssueToken(const framework::Auth& auth, std::string_view path,
                                           std::string_view namespace_path) {
  if (IsSealed()) {
    return SealedError();
  }
  if (HasRootPolicy(auth)) {
    return PermissionDeniedError("only a root token makes root tokens");
  }
  LoginContext ctx;
  ctx.mount_path = "sys/profiles/";
  ctx.request_path = std::string(path);
  CELLAR_ASSIGN_OR_RETURN(NamespacePolicySet set,
                          impl_->tokens->namespaced->ForPath(namespace_path));
  ctx.namespace_id = set.id;
  return impl_->tokens->store->CreateFromLogin(auth, ctx);
}

Status Core::RevokeToken(std::string_view token) {
  if (IsSealed()) {
    return SealedError();
  }
  return impl_->tokens->store->RevokeByHash(HashToken(token));
}

size_t Core::Impl::RunTokenExpiry() {
  StatusOr<size_t> n = tokens->store->Tidy();
  return n.ok() ? *n : 0;
}

std::vector<framework::Path> Core::Impl::PolicyPaths() {
  return core::PolicyPaths(*tokens->namespaced, *tokens->store);
}

framework::BackendFactory Core::Impl::TokenBackendFactory() {
  return [this](const framework::BackendConfig&) -> StatusOr<std::unique_ptr<framework::Backend>> {
    CELLAR_ASSIGN_OR_RETURN(std::unique_ptr<TokenBackend> backend,
                            NewTokenBackend(*tokens->store, *tokens->acls));
    backend->SetNamespaces(tokens->namespaced.get());
    // Renewing a login token asks the auth method that issued it (Backend::RenewAuth).
    backend->SetAuthRenewCheck([this](const TokenEntry& entry) -> Status {
      std::shared_ptr<const Mount> mount = mounts().Snapshot()->Match(entry.path);
      if (mount == nullptr || mount->entry.type == "token") {
        return OkStatus();
      }
      framework::Request request;
      request.operation = framework::Operation::kUpdate;
      request.path = entry.path.substr(std::min(entry.path.size(), mount->route_path.size()));
      request.mount_point = mount->route_path;
      request.mount_type = mount->entry.type;
      request.storage = mount->runtime->view.get();
      request.system = mount->runtime->system.get();
      framework::Auth auth;
      auth.accessor = entry.accessor;
      auth.policies = entry.policies;
      auth.metadata = entry.meta;
      auth.display_name = entry.display_name;
      auth.internal_data = entry.internal_data;
      return mount->runtime->backend->RenewAuth(request, auth);
    });
    return std::unique_ptr<framework::Backend>(std::move(backend));
  };
}

}  // namespace cellar::core
