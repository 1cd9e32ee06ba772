// src/core/core_impl.h: Core's private state, shared by core.cc (request flow), core_seal.cc
// (lifecycle), core_tokens.cc (tokens and ACL glue) and the sys_*.cc path groups.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "core/barrier.h"
#include "core/core.h"
#include "core/ha_coordinator.h"
#include "core/lease_manager.h"
#include "core/mount_manager.h"
#include "core/seal_manager.h"
#include "framework/path.h"

namespace cellar::core {

class Acl;
class AuditBroker;
class NamespaceStore;
struct NamespacePolicySet;
class SysBackend;
class TokenStore;
class PolicyStore;
class AclCache;
class RoutedStorage;
struct TokenState;

struct Core::Impl {
  explicit Impl(CoreOptions options);
  ~Impl();

  const CoreOptions options;
  const Clock& clock() const { return *options.clock; }
  MountManager& mounts() { return *mount_manager; }
  LeaseManager& leases() { return *lease_manager; }

  // --- core.cc: the request flow ---
  StatusOr<framework::Response> HandleRequest(framework::Request& request);
  // core_audit.cc: with an audit device enabled, HandleRequest under an AuditTrail, then the
  // entries.
  StatusOr<framework::Response> HandleAudited(framework::Request& request);
  // Revokes a lease at the backend of the mount that issued it (the LeaseManager's Revoker).
  Status RevokeLeaseAtBackend(const LeaseEntry& lease);
  // sys/mounts/:p DELETE, sys/auth/:p DELETE: leases (and tokens for auth) revoked, mount
  // removed, data erased. No mount: OK.
  // `ns` is the namespace the mount lives in ("" = root).
  Status DisableMount(MountTableKind kind, std::string_view path, std::string_view ns = "");
  // sys/leases/renew: the issuing backend may refuse (Backend::RenewLease), then the lease
  // manager extends it. Errors as LeaseManager::Renew, or the backend's.
  StatusOr<LeaseEntry> RenewLease(std::string_view id, std::chrono::seconds increment);
  // core_scope.cc: profile executions (Core::BeginScope) and undoing what a failed one created.
  StatusOr<std::unique_ptr<framework::RequestScope>> BeginScope(bool transactional);
  void UndoScope(const std::vector<std::string>& lease_ids,
                 const std::vector<std::string>& token_hashes);
  // Turns a backend's Response::lease into a lease (ids, TTLs) and fills the response fields.
  Status AttachLease(const Mount& mount, const framework::Request& request,
                     framework::Response& response);

  // --- core_namespaces.cc: namespaces ---
  // sys/namespaces/:p DELETE: InvalidArgument while it has child namespaces or mounts.
  // Absent: OK.
  Status DeleteNamespace(std::string_view path);
  // The namespace a request is made in: the header's `header` (NotFound unless it exists), then
  // the deepest existing namespace `path` (relative to the header's) starts with. `path` becomes
  // relative to the returned namespace. InvalidArgument for root-only sys paths elsewhere.
  StatusOr<std::string> ResolveNamespace(std::string_view header, std::string& path);
  // Where namespace `ns` ("ns1/") keeps its profiles inside profiles_view: "namespace/<id>/".
  // By id, not path: nested paths cannot collide with "profile/" keys, and a namespace deleted
  // and created again starts empty. NotFound when `ns` no longer exists.
  StatusOr<std::string> NamespaceProfilesPrefix(std::string_view ns) const;

  // --- core_seal.cc: lifecycle ---
  void StartSeal();  // builds seal_manager with the unseal/seal hooks
  StatusOr<bool> IsInitialized();
  bool IsSealed() const { return sealed.load(); }
  StatusOr<SealStatus> GetSealStatus();
  StatusOr<InitResult> Initialize(int shares, int threshold);
  StatusOr<bool> Unseal(std::string_view key);
  void ResetUnsealProgress();
  Status Seal();
  Status Rotate();
  StatusOr<KeyStatus> GetKeyStatus();
  // After the barrier opens: mounts, policies, tokens and leases loaded, expiry thread started.
  Status PostUnseal();
  // HA (core_ha.cc): the barrier is open but another node may be active; campaign for the lock.
  Status EnterStandby();
  // Election hooks: load everything (the keyring again: the last active node may have rotated
  // it) and serve; or unload everything and go back to standby.
  Status BecomeActive();
  void BecomeStandby();
  // What a standby answers a request it does not serve itself: 307 to the active node, or 503
  // while there is none.
  StatusOr<framework::Response> StandbyAnswer();
  // Before the barrier closes: the reverse.
  void PreSeal();

  // --- core_tokens.cc: tokens, policies, ACL (the ACL engineer's stores) ---
  void BuildTokenStores();    // once, in the constructor
  Status StartTokenStores();  // after the barrier opens
  void StopTokenStores();
  // Missing, unknown, expired or used-up token: PermissionDenied. Fills every Caller field; counts
  // no use. `*limited_uses` (when given) says the token has num_uses, so UseToken must run.
  // `token_hash`, when not empty, is HashToken(token) already computed. `*token_namespace` (when
  // given) is set to the token's namespace when it is not the root's (else left as it is); a
  // token of a deleted namespace is PermissionDenied.
  StatusOr<framework::Caller> ResolveToken(std::string_view token, bool* limited_uses = nullptr,
                                           std::string_view token_hash = {},
                                           NamespacePolicySet* token_namespace = nullptr);
  // The ACL of a root-namespace caller.
  StatusOr<std::shared_ptr<const Acl>> AclForCaller(const framework::Caller& caller);
  // Whether `routed` (operation, data, caller) may reach `full_path` (namespace included; `in_ns`
  // is its part inside the request's namespace): with the root's policies for a root-namespace
  // token (`token_namespace.id` ""), else only inside the token's namespace and its children,
  // with that namespace's policies on the path relative to it. PermissionDenied otherwise.
  Status AuthorizeCaller(const framework::Request& routed, std::string_view full_path,
                         std::string_view in_ns, const NamespacePolicySet& token_namespace);
  // Looks `token` up (no use counted) then its ACL (in its namespace's policies, whose paths are
  // relative to that namespace, set in `*token_namespace` when given: "" root, "ns1/").
  // PermissionDenied for a bad token.
  StatusOr<std::shared_ptr<const Acl>> AclForToken(std::string_view token,
                                                   std::string* token_namespace = nullptr);
  // A login's Auth becomes a token (client_token, accessor, policies filled in).
  Status CreateLoginToken(const Mount& mount, const framework::Request& request,
                          framework::Auth& auth);
  // Takes one use of a num_uses token before its request runs, atomically, so requests running at
  // once cannot share the last use (PermissionDenied when none is left). `*last_use` says this was
  // the last: the caller revokes with RevokeUsedUpToken once the request has run, so the request
  // on the last use still sees its token (e.g. lookup-self), as in Vault.
  Status UseToken(std::string_view token, bool* last_use);
  void RevokeUsedUpToken(std::string_view token);
  // A root token (sys/init, dev mode). `id` "" = random.
  StatusOr<std::string> CreateRootToken(std::string id);
  // Revokes a token (by id hash) and its children with the server's authority. Unknown is OK.
  Status RevokeTokenByHash(std::string_view id_hash);
  // Revokes every token created through an auth mount (sys/auth/:p DELETE).
  Status RevokeTokensUnder(std::string_view route_path);
  // A deleted namespace's tokens revoked and its policies erased (`id` is not the root's "").
  Status DropNamespaceTokensAndPolicies(std::string_view id);
  // sys/policy, sys/policies/acl, sys/capabilities* (appended to the sys table).
  std::vector<framework::Path> PolicyPaths();
  // The "token" auth backend (auth/token/).
  framework::BackendFactory TokenBackendFactory();
  size_t RunTokenExpiry();

  // --- state ---
  std::mutex lifecycle_mutex;  // serialises init, unseal, seal
  std::atomic<bool> sealed{true};
  // HA only: the barrier is open, but this node is not the active one (`sealed` is still true:
  // nothing is loaded).
  std::atomic<bool> standby{false};
  std::unique_ptr<HaCoordinator> ha;  // with options.ha_lock; lives as long as the Core
  bool initializing = false;          // inside sys/init; guarded by lifecycle_mutex
  // Under the barrier: the physical storage, or a transactional execution's buffer on the threads
  // running its requests (core/execution_scope.h).
  std::unique_ptr<RoutedStorage> routed_storage;
  std::unique_ptr<Barrier> barrier;
  std::unique_ptr<SealManager> seal_manager;     // after barrier: it holds a reference
  std::unique_ptr<storage::Storage> lease_view;  // barrier under "sys/expire/"
  std::unique_ptr<MountManager> mount_manager;
  std::unique_ptr<LeaseManager> lease_manager;
  // Audit devices, loaded on unseal (core/audit_broker.h; opaque to core.cc, hence shared_ptr),
  // and their "any device enabled" flag, the request flow's one check when none is.
  std::shared_ptr<AuditBroker> audit;
  const std::atomic<bool>* audit_active = nullptr;
  // Namespaces, loaded on unseal (core/namespace_store.h); empty() keeps the root-only path cheap.
  std::unique_ptr<NamespaceStore> namespaces;
  std::unique_ptr<SysBackend> sys_backend;  // lives as long as the Core (serves sealed routes)

  // Token store, policy store and ACL cache; opaque here (core_tokens.cc owns the layout).
  struct TokenParts;
  std::shared_ptr<TokenParts> tokens;  // shared_ptr: deletable where TokenParts is opaque

  // sys/profiles/* (CoreOptions::profiles_backend): the backend (null when none was given) and
  // its barrier view. Declared last so the backend goes first: it calls back into the Core.
  std::unique_ptr<storage::Storage> profiles_view;  // barrier under "sys/profiles-store/"
  std::unique_ptr<framework::Backend> profiles_backend;
};

}  // namespace cellar::core
