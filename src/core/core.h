// src/core/core.h: the server's heart: seal lifecycle, mount table, routing, tokens, ACL, leases.
//
// HTTP (and profiles) call Core through framework::RequestHandler::HandleRequest; src/cli builds
// it from CoreOptions. Heavy state (barrier, mount table, token store, lease manager) hides in
// Impl.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status_or.h"
#include "core/builtin_registry.h"
#include "core/seal_manager.h"  // InitResult, SealStatus
#include "framework/backend.h"
#include "framework/logical.h"
#include "framework/request_handler.h"

namespace cellar::storage {
class HaLock;
class Storage;
}

namespace cellar::core {

struct CoreOptions {
  // The physical storage (memory, SQLite, ...). Not owned; must outlive the Core. Required.
  storage::Storage* storage = nullptr;
  // Time source for TTLs and lease expiry. Not owned; must outlive the Core. Tests pass a
  // FakeClock.
  const Clock* clock = &Clock::System();
  // Mountable backend types (src/builtins). "kv" is needed for dev mode's secret/.
  BuiltinRegistry builtins;
  // System-wide lease/token TTLs (config file `default_lease_ttl` / `max_lease_ttl`).
  std::chrono::seconds default_lease_ttl = std::chrono::hours(768);
  std::chrono::seconds max_lease_ttl = std::chrono::hours(768);
  // Shown by sys/seal-status and sys/health.
  std::string cluster_name = "cellar-cluster";
  std::string version = "0.1.0";
  // When false no background thread revokes expired leases/tokens; tests call RunExpiryNow().
  bool start_expiry_thread = true;
  // Optional: the lock electing the active node among servers sharing `storage` (PostgreSQL
  // with ha_enabled). Not owned; must outlive the Core. With it, an unsealed node is a standby
  // that redirects clients (307) to the active node until it takes the lock itself.
  storage::HaLock* ha_lock = nullptr;
  // This node's API address ("https://10.0.0.1:8200"), where standbys send clients. Required
  // with ha_lock.
  std::string api_addr;
  // How often a standby tries for the lock and the active node checks it still holds it.
  std::chrono::milliseconds ha_interval{1000};
  // Optional: builds the sys/profiles/* (and OpenBao sys/workflows/*) backend. It lives in
  // src/profiles, above core, hence a factory: Create calls it once with the Core (the backend's
  // sub-requests go through Core::HandleRequest) and keeps the backend. When empty,
  // sys/profiles/* answers 404 as any unknown sys path.
  std::function<StatusOr<std::unique_ptr<framework::Backend>>(framework::RequestHandler&)>
      profiles_backend;
};

// Result of InitializeDev.
struct DevInitResult {
  std::string unseal_key_base64;
  std::string root_token;
};

// Thread-safe: HandleRequest runs concurrently on any number of threads; lifecycle methods
// (Initialize, Unseal, Seal) serialise among themselves and may run while requests are in flight
// (requests then see either the sealed or the unsealed state, never half of one).
class Core : public framework::RequestHandler {
 public:
  // Builds a sealed Core over `options.storage`. Does not touch storage beyond reading whether it
  // is initialised. Errors: InvalidArgument when storage is null.
  static StatusOr<std::unique_ptr<Core>> Create(CoreOptions options);
  ~Core() override;  // stops the expiry thread; does not close the storage

  // The whole request flow (API.md §1-§2): path validation, seal check, token, ACL, routing,
  // dispatch, token creation for logins, lease creation, mount_type. `request.path` is the full
  // API path without "/v1/"; `request.caller.token` the raw token (Core fills the rest of caller).
  // Errors carry the code HTTP maps: InvalidArgument 400, PermissionDenied 403, NotFound /
  // UnknownPath 404, Unsupported 405, Sealed 503, Internal 500.
  //
  // Response conventions HTTP relies on: `raw` set → write it alone (sys/init, seal-status,
  // unseal, health, leader, generate-root, rekey; raw.http_status for sys/health's 501/503);
  // `Response::http_status` non-zero → that status. HTTP itself copies data keys to the top level
  // for sys/mounts, auth, policy, capabilities* (http/envelope.h CopiesDataToTopLevel).
  StatusOr<framework::Response> HandleRequest(framework::Request& request) override;

  // A profile execution's scope (core/execution_scope.h): requests carrying it record the leases
  // and tokens they create; when `transactional`, their storage writes are buffered under the
  // barrier (seen only by the scope's requests) until Commit, and writes that change in-memory
  // server state (sys/, token revocation) are refused with InvalidArgument.
  StatusOr<std::unique_ptr<framework::RequestScope>> BeginScope(bool transactional) override;

  // --- Lifecycle (also reachable through sys/init, sys/unseal, sys/seal). ---

  // Whether the barrier has been initialised. Errors: storage failures.
  StatusOr<bool> IsInitialized() const;
  bool IsSealed() const;
  StatusOr<SealStatus> GetSealStatus() const;

  // sys/init: creates the root key, splits it (1 <= threshold <= shares <= 255), creates a root
  // token. Leaves the Core sealed. Errors: InvalidArgument (bad counts, already initialised).
  StatusOr<InitResult> Initialize(int secret_shares, int secret_threshold);

  // sys/unseal with one share (hex or base64). Returns true once unsealed (mount table, policies,
  // tokens and leases loaded; leases expired while sealed are revoked). Errors: InvalidArgument
  // for a bad key (progress reset), FailedPrecondition when not initialised.
  StatusOr<bool> Unseal(std::string_view key);
  void ResetUnsealProgress();

  // sys/seal: drops keys and every loaded table; requests then get Sealed.
  Status Seal();

  // Dev mode: Initialize(1, 1), unseal, create a root token with id `root_token_id` (random when
  // empty), mount secret/ as KV v2 (needs builtins["kv"]). Errors: any step's error.
  StatusOr<DevInitResult> InitializeDev(std::string root_token_id = "");

  // For an existing dev SQLite file: unseals with the key kept beside it. Same as Unseal.
  Status UnsealWithKey(std::string_view key_base64);

  // Revokes every lease and token whose time has come, now; returns how many. Tests use it with a
  // FakeClock instead of sleeping; the expiry thread calls the same code.
  size_t RunExpiryNow();

  const CoreOptions& options() const;

  // The seal (rekey, generate-root, dev key files) for callers that need more than the methods
  // above; valid as long as the Core.
  SealManager& seal();

  // Tokens for callers the core did not authenticate itself: the profiles backend verifies a
  // signed input (PROFILES.md) and runs its sub-requests under a token carrying the signing key's
  // policies. `auth` as a login's (policies, no_default_policy, ttl, renewable, display_name,
  // metadata); `path` becomes the token's path; the token belongs to namespace `namespace_path`
  // ("" root, "ns1/") and its policies are that namespace's. Returns the Auth with client_token
  // and accessor. Errors: Sealed, NotFound for a missing namespace, PermissionDenied for "root",
  // InvalidArgument for bad TTLs, storage errors.
  StatusOr<framework::Auth> IssueToken(const framework::Auth& auth, std::string_view path,
                                       std::string_view namespace_path);
  // Revokes `token`, its children and their leases. An unknown token is OK.
  Status RevokeToken(std::string_view token);

  struct Impl;

 private:
  explicit Core(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cellar::core
