// src/core/core.cc: Core construction and the request flow (validate, seal check, token, ACL,
// route, dispatch, then token creation for logins and leases for secrets).
#include "core/core.h"

#include <spdlog/spdlog.h>

#include <string>
#include <utility>

#include "base/status_macros.h"
#include "core/acl.h"
#include "core/audit_hooks.h"
#include "core/core_impl.h"
#include "core/cubbyhole_backend.h"
#include "core/execution_scope.h"
#include "core/namespace_policies.h"
#include "core/namespace_routing.h"
#include "core/namespace_store.h"
#include "core/request_path.h"
#include "core/storage_util.h"
#include "core/sys_backend.h"
#include "core/token_store.h"
#include "storage/prefix_view.h"

namespace cellar::core {
namespace {

using framework::Operation;
using framework::Request;
using framework::Response;

constexpr std::string_view kLeasePrefix = "sys/expire/";
// Beside sys/expire/, sys/token/ and sys/policy/; mounts live under logical/ and auth/.
constexpr std::string_view kProfilesPrefix = "sys/profiles-store/";

// The mount table's sys/ entry: forwards to the Core-lifetime SysBackend.
class ForwardingBackend : public framework::Backend {
 public:
  explicit ForwardingBackend(framework::Backend* target) : target_(target) {}
  StatusOr<Response> HandleRequest(Request& request) override {
    return target_->HandleRequest(request);
  }
  StatusOr<bool> Exists(Request& request) override { return target_->Exists(request); }
  std::vector<std::string> UnauthenticatedPaths() const override {
    return target_->UnauthenticatedPaths();
  }
  framework::BackendType type() const override { return target_->type(); }

 private:
  framework::Backend* target_;
};

bool MatchesAny(const std::vector<std::string>& patterns, std::string_view path) {
  for (const std::string& p : patterns) {
    if (MatchesPathPattern(p, path)) {
      return true;
    }
  }
  return false;
}

// A request addressed to `mount` for `full_path` (lease and renewal calls made by the core).
Request BackendRequestFor(const Mount& mount, const std::string& full_path) {
  Request request;
  request.path = full_path.size() >= mount.route_path.size()
                     ? full_path.substr(mount.route_path.size())
                     : std::string();
  request.mount_point = mount.route_path;
  request.mount_type = mount.entry.type;
  request.mount_accessor = mount.entry.accessor;
  request.storage = mount.runtime->view.get();
  request.system = mount.runtime->system.get();
  return request;
}

// OpenBao's sys/workflows/manage|execute|trace name sys/profiles/modify|execute|debug. Rewritten
// before the ACL (and audit) so policies only need the sys/profiles/* names.
std::string RewriteWorkflowAlias(std::string path) {
  static constexpr std::pair<std::string_view, std::string_view> kAliases[] = {
      {"sys/workflows/manage", "sys/profiles/modify"},
      {"sys/workflows/execute", "sys/profiles/execute"},
      {"sys/workflows/trace", "sys/profiles/debug"}};
  for (const auto& [from, to] : kAliases) {
    if (path.starts_with(from) && (path.size() == from.size() || path[from.size()] == '/')) {
      return std::string(to) + path.substr(from.size());
    }
  }
  return path;
}

// What a failed profile execution must revoke: the lease and the token this response created
// (a login's, or auth/token/create*'s; renew-self and lookups return tokens they did not create).
void RecordCreated(const Response& response, bool created_token, ExecutionScope& scope) {
  if (!response.lease_id.empty()) {
    scope.RecordLease(response.lease_id);
  }
  if (created_token && response.auth && !response.auth->client_token.empty()) {
    scope.RecordToken(HashToken(response.auth->client_token));
  }
}

bool IsProfilesPath(std::string_view full_path) {
  return full_path.starts_with("sys/profiles/") || full_path.starts_with("sys/workflows/");
}

}  // namespace

Core::Impl::Impl(CoreOptions opts) : options(std::move(opts)) {
  routed_storage = std::make_unique<RoutedStorage>(*options.storage);
  barrier = std::make_unique<Barrier>(*routed_storage, *options.clock);
  if (options.ha_lock != nullptr) {
    ha = std::make_unique<HaCoordinator>(
        *options.ha_lock, options.api_addr, options.ha_interval,
        HaCoordinator::Hooks{.become_active = [this] { return BecomeActive(); },
                             .become_standby = [this] { BecomeStandby(); }});
  }
  StartSeal();
  lease_view = NewPrefixedStorage(barrier.get(), std::string(kLeasePrefix));
  profiles_view = NewPrefixedStorage(barrier.get(), std::string(kProfilesPrefix));
  lease_manager = std::make_unique<LeaseManager>(
      *options.clock, [this](const LeaseEntry& lease) { return RevokeLeaseAtBackend(lease); });
  namespaces = std::make_unique<NamespaceStore>();  // before the token stores: they use it
  BuildTokenStores();
  audit = NewAuditBroker(*options.clock);  // before sys_backend: sys/audit uses it
  audit_active = &AuditActiveFlag(*audit);
  sys_backend = std::make_unique<SysBackend>(*this);

  BuiltinRegistry registry = options.builtins;
  SysBackend* sys = sys_backend.get();
  registry["system"] = {
      framework::BackendType::kSecrets,
      [sys](const framework::BackendConfig&) -> StatusOr<std::unique_ptr<framework::Backend>> {
        return std::unique_ptr<framework::Backend>(std::make_unique<ForwardingBackend>(sys));
      }};
  registry["cubbyhole"] = {framework::BackendType::kSecrets, &NewCubbyholeBackend};
  registry["token"] = {framework::BackendType::kCredential, TokenBackendFactory()};
  mount_manager = std::make_unique<MountManager>(*options.clock, options.default_lease_ttl,
                                                 options.max_lease_ttl, std::move(registry));
}

Core::Impl::~Impl() {
  if (ha) {
    ha->Stop();  // before the teardown below, which the election thread could race
  }
  lease_manager->StopTimer();
  PreSeal();
}

StatusOr<Response> Core::Impl::HandleRequest(Request& request) {
  if (audit_active->load(std::memory_order_relaxed) && !AuditTracking(request)) [[unlikely]] {
    return HandleAudited(request);  // core_audit.cc: comes back here under an AuditTrail
  }
  std::string full_path = request.path;
  while (!full_path.empty() && full_path.front() == '/') {
    full_path.erase(0, 1);
  }
  CELLAR_RETURN_IF_ERROR(ValidateRequestPath(full_path, request.operation));

  if (IsSealed()) {
    if (!ServedWhileSealed(full_path)) {
      return standby.load() ? StandbyAnswer() : SealedError();
    }
    // No mount table while sealed: the Core-lifetime sys backend answers directly.
    Request sys_request = request;
    sys_request.path = full_path.substr(4);
    sys_request.mount_point = "sys/";
    sys_request.mount_type = "system";
    CELLAR_ASSIGN_OR_RETURN(Response response, sys_backend->HandleRequest(sys_request));
    response.mount_type = "system";
    return response;
  }

  // The namespace (core_namespaces.cc): full_path becomes the path inside it, then ns + that.
  std::string ns;
  if (!request.namespace_path.empty() || !namespaces->empty()) [[unlikely]] {
    CELLAR_ASSIGN_OR_RETURN(ns, ResolveNamespace(request.namespace_path, full_path));
  }
  full_path = RewriteWorkflowAlias(std::move(full_path));
  if (!ns.empty()) [[unlikely]] {
    full_path.insert(0, ns);
  }
  std::string_view in_ns = std::string_view(full_path).substr(ns.size());
  // A transactional profile execution's requests read and write its buffer (under the barrier).
  auto* scope = dynamic_cast<ExecutionScope*>(request.scope);
  if (scope != nullptr && scope->transactional()) {
    CELLAR_RETURN_IF_ERROR(CheckAllowedInTransaction(in_ns, request.operation));
  }
  StorageRedirect redirect(scope != nullptr ? scope->redirect() : nullptr);
  std::shared_ptr<const MountTable> table = mounts().Snapshot();
  std::shared_ptr<const Mount> mount =
      ns.empty() ? table->Match(full_path) : MatchInNamespace(*table, ns, in_ns);
  std::string relative;
  if (mount != nullptr) {
    // A namespace reaches the root's sys/, auth/token/ and cubbyhole/ by its own path.
    std::string_view from = ns.empty() || !mount->entry.namespace_path.empty() ? full_path : in_ns;
    relative = from.size() >= mount->route_path.size() ? from.substr(mount->route_path.size())
                                                       : std::string_view();
  }
  bool unauthenticated =
      mount != nullptr && MatchesAny(mount->runtime->unauthenticated_paths, relative);

  Request routed = request;
  routed.path = relative;
  if (!ns.empty()) [[unlikely]] {
    routed.namespace_path = ns;
  }
  if (mount != nullptr) {
    routed.mount_point = mount->route_path;
    routed.mount_type = mount->entry.type;
    routed.mount_accessor = mount->entry.accessor;
    routed.storage = mount->runtime->view.get();
    routed.system = mount->runtime->system.get();
  }
  // The backend that answers: the mount's, or for sys/profiles/* the profiles backend (part of the
  // sys/ mount as far as callers, ACL and mount_type see, with its own barrier view).
  framework::Backend* backend = mount != nullptr ? mount->runtime->backend.get() : nullptr;
  std::optional<storage::PrefixView> namespace_profiles;
  if (profiles_backend != nullptr && IsProfilesPath(in_ns)) {
    backend = profiles_backend.get();
    routed.path = in_ns.substr(4);
    routed.mount_point = "sys/";
    routed.mount_type = "system";
    routed.storage = profiles_view.get();
    if (!ns.empty()) [[unlikely]] {  // a namespace keeps its own profiles (and signing keys)
      CELLAR_ASSIGN_OR_RETURN(std::string prefix, NamespaceProfilesPrefix(ns));
      routed.storage = &namespace_profiles.emplace(*profiles_view, std::move(prefix));
    }
    // Signed profile inputs and their nonces come without a token (the profiles backend checks
    // the signature); a request that brings a token is authorised as usual.
    unauthenticated = request.caller.token.empty() &&
                      MatchesAny(profiles_backend->UnauthenticatedPaths(), routed.path);
  }

  bool limited_uses = false;           // a num_uses token: take a use before the request runs
  std::string token_hash;              // of an authenticated request's token
  NamespacePolicySet token_namespace;  // the token's namespace (id "" for the root's)
  if (unauthenticated) {
    // Unauthenticated paths still learn who is calling when a valid token comes along.
    if (!request.caller.token.empty()) {
      StatusOr<framework::Caller> caller = ResolveToken(request.caller.token);
      if (caller.ok()) {
        routed.caller = std::move(caller).value();
      }
    }
  } else {
    // A profile's sub-requests share one token: its scope hashes it once (HandledToken below
    // hands this request's hash to a scope it begins).
    if (!request.caller.token.empty()) {
      token_hash = scope != nullptr ? scope->TokenHash(request.caller.token)
                                    : HashToken(request.caller.token);
    }
    CELLAR_ASSIGN_OR_RETURN(routed.caller, ResolveToken(request.caller.token, &limited_uses,
                                                        token_hash, &token_namespace));
    // POST/PUT become create or update by the backend's existence check; the ACL needs the one.
    if (backend != nullptr &&
        (routed.operation == Operation::kUpdate || routed.operation == Operation::kCreate)) {
      CELLAR_ASSIGN_OR_RETURN(bool exists, backend->Exists(routed));
      routed.operation = exists ? Operation::kUpdate : Operation::kCreate;
    }
    // The ACL sees the full path and runs before routing errors: no mount and no right is 403.
    CELLAR_RETURN_IF_ERROR(AuthorizeCaller(routed, full_path, in_ns, token_namespace));
  }

  // Authorised: the request entry goes to the audit log before anything can happen.
  if (audit_active->load(std::memory_order_relaxed)) [[unlikely]] {
    CELLAR_RETURN_IF_ERROR(AuditAuthorized(request, full_path, routed));
  }

  if (mount == nullptr || backend == nullptr) {
    return NotFoundError("no handler for route \"" + full_path + "\". route entry not found.");
  }

  bool last_use = false;
  if (limited_uses) {
    StorageRedirect physical(nullptr);  // a counted use stays counted whatever the execution does
    CELLAR_RETURN_IF_ERROR(UseToken(routed.caller.token, &last_use));
  }
  StatusOr<Response> handled = [&] {
    HandledToken handled_token(request.caller.token, token_hash);
    return backend->HandleRequest(routed);
  }();
  if (last_use) {
    StorageRedirect physical(nullptr);
    RevokeUsedUpToken(routed.caller.token);
  }
  if (!handled.ok()) {
    return std::move(handled).status();
  }
  Response response = std::move(handled).value();
  response.mount_type = mount->entry.type;
  bool created_token = in_ns.starts_with("auth/token/create");
  if (response.auth && !response.raw) {
    if (mount->entry.kind == MountTableKind::kAuth && mount->entry.type != "token") {
      created_token = response.auth->client_token.empty();
      CELLAR_RETURN_IF_ERROR(CreateLoginToken(*mount, routed, *response.auth));
    }
  }
  if (response.lease) {
    CELLAR_RETURN_IF_ERROR(AttachLease(*mount, routed, response));
  }
  if (scope != nullptr) {
    RecordCreated(response, created_token, *scope);
  }
  return response;
}

Status Core::Impl::AttachLease(const Mount& mount, const Request& request, Response& response) {
  const framework::LeaseRequest& want = *response.lease;
  const MountSystemView& system = *mount.runtime->system;
  std::chrono::seconds max = system.MaxLeaseTtl();
  if (want.max_ttl.count() > 0) {
    max = std::min(max, want.max_ttl);
  }
  std::chrono::seconds ttl = want.ttl.count() > 0 ? want.ttl : system.DefaultLeaseTtl();
  LeaseParams params;
  params.mount_path = mount.route_path;
  params.path = mount.route_path + request.path;
  params.ttl = std::min(ttl, max);
  params.max_ttl = max;
  params.renewable = want.renewable;
  params.internal_data = want.internal_data;
  params.token_accessor = request.caller.accessor;
  CELLAR_ASSIGN_OR_RETURN(LeaseEntry lease, leases().Create(params));
  response.lease_id = lease.id;
  response.lease_duration = params.ttl;
  response.renewable = lease.renewable;
  response.lease.reset();
  return OkStatus();
}

StatusOr<LeaseEntry> Core::Impl::RenewLease(std::string_view id, std::chrono::seconds increment) {
  // The backend extends what it issued first (a database user's VALID UNTIL), told the expiry
  // the renewal will give (request.data "expire_time", unix seconds), and may refuse.
  CELLAR_ASSIGN_OR_RETURN(LeaseEntry planned, leases().PlanRenewal(id, increment));
  if (std::shared_ptr<const Mount> mount = mounts().Snapshot()->Find(planned.mount_path)) {
    Request request = BackendRequestFor(*mount, planned.path);
    request.operation = Operation::kUpdate;
    request.data["expire_time"] =
        std::chrono::duration_cast<std::chrono::seconds>(planned.expire_time.time_since_epoch())
            .count();
    CELLAR_RETURN_IF_ERROR(
        mount->runtime->backend->RenewLease(request, planned.internal_data).status());
  }
  return leases().Renew(id, increment);
}

Status Core::Impl::RevokeLeaseAtBackend(const LeaseEntry& lease) {
  std::shared_ptr<const Mount> mount = mounts().Snapshot()->Find(lease.mount_path);
  if (mount == nullptr) {
    // The mount is gone (disabled, or not started): nothing is left to clean up at a backend.
    return OkStatus();
  }
  Request request = BackendRequestFor(*mount, lease.path);
  request.operation = Operation::kDelete;
  return mount->runtime->backend->RevokeLease(request, lease.internal_data);
}

Status Core::Impl::DisableMount(MountTableKind kind, std::string_view raw_path,
                                std::string_view ns) {
  CELLAR_ASSIGN_OR_RETURN(std::string path, NormalizeMountPath(raw_path));
  std::string route = std::string(ns) + (kind == MountTableKind::kAuth ? "auth/" + path : path);
  std::shared_ptr<const Mount> mount = mounts().Snapshot()->Find(route);
  if (mount == nullptr) {
    return OkStatus();
  }
  if (mount->entry.type == "system" || mount->entry.type == "cubbyhole" ||
      mount->entry.type == "token") {
    return InvalidArgumentError("cannot unmount '" + route + "'");
  }
  // Leases first, while the backend can still revoke them.
  CELLAR_RETURN_IF_ERROR(leases().RevokePrefix(route));
  if (kind == MountTableKind::kAuth) {
    CELLAR_RETURN_IF_ERROR(RevokeTokensUnder(route));
  }
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Mount> removed, mounts().Disable(kind, path, ns));
  if (removed != nullptr) {
    CELLAR_RETURN_IF_ERROR(DeleteTree(*barrier, removed->entry.StoragePrefix()));
  }
  return OkStatus();
}

// --- Core ---

Core::Core(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Core::~Core() = default;

StatusOr<std::unique_ptr<Core>> Core::Create(CoreOptions options) {
  if (options.storage == nullptr) {
    return InvalidArgumentError("core needs a storage backend");
  }
  if (options.clock == nullptr) {
    options.clock = &Clock::System();
  }
  if (options.ha_lock != nullptr && options.api_addr.empty()) {
    return InvalidArgumentError("HA needs this node's api_addr (where standbys send clients)");
  }
  std::unique_ptr<Core> core(new Core(std::make_unique<Impl>(std::move(options))));
  if (core->impl_->options.profiles_backend) {
    CELLAR_ASSIGN_OR_RETURN(core->impl_->profiles_backend,
                            core->impl_->options.profiles_backend(*core));
    if (core->impl_->profiles_backend == nullptr) {
      return InternalError("the profiles backend factory returned no backend");
    }
  }
  return core;
}

StatusOr<Response> Core::HandleRequest(Request& request) { return impl_->HandleRequest(request); }
StatusOr<std::unique_ptr<framework::RequestScope>> Core::BeginScope(bool transactional) {
  return impl_->BeginScope(transactional);
}
StatusOr<bool> Core::IsInitialized() const { return impl_->IsInitialized(); }
bool Core::IsSealed() const { return impl_->IsSealed(); }
StatusOr<SealStatus> Core::GetSealStatus() const { return impl_->GetSealStatus(); }
SealManager& Core::seal() { return *impl_->seal_manager; }
StatusOr<InitResult> Core::Initialize(int shares, int threshold) {
  return impl_->Initialize(shares, threshold);
}
StatusOr<bool> Core::Unseal(std::string_view key) { return impl_->Unseal(key); }
void Core::ResetUnsealProgress() { impl_->ResetUnsealProgress(); }
Status Core::Seal() { return impl_->Seal(); }
const CoreOptions& Core::options() const { return impl_->options; }

size_t Core::RunExpiryNow() {
  size_t n = impl_->leases().RunExpired();
  return n + impl_->RunTokenExpiry();
}

StatusOr<DevInitResult> Core::InitializeDev(std::string root_token_id) {
  CELLAR_ASSIGN_OR_RETURN(InitResult init, impl_->Initialize(1, 1));
  CELLAR_ASSIGN_OR_RETURN(bool unsealed, impl_->Unseal(init.keys_base64.at(0)));
  if (!unsealed) {
    return InternalError("dev unseal did not complete");
  }
  DevInitResult out;
  out.unseal_key_base64 = init.keys_base64.at(0);
  if (root_token_id.empty()) {
    out.root_token = init.root_token;
  } else {
    CELLAR_ASSIGN_OR_RETURN(out.root_token, impl_->CreateRootToken(root_token_id));
  }
  MountRequest secret;
  secret.path = "secret/";
  secret.type = "kv-v2";
  secret.description = "key/value secret storage";
  CELLAR_RETURN_IF_ERROR(impl_->mounts().Enable(std::move(secret)).status());
  return out;
}

Status Core::UnsealWithKey(std::string_view key_base64) {
  CELLAR_ASSIGN_OR_RETURN(bool unsealed, impl_->Unseal(key_base64));
  if (!unsealed) {
    return InvalidArgumentError("one key is not enough to unseal");
  }
  return OkStatus();
}

}  // namespace cellar::core
