// src/core/mount_manager.h: enables, disables and tunes mounts, persists the mount tables in the
// barrier and publishes each new table as a whole snapshot for lock-free routing.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status_or.h"
#include "core/builtin_registry.h"
#include "core/mount_table.h"

namespace cellar::core {

// Barrier keys of the persisted tables.
inline constexpr std::string_view kSecretsTableKey = "core/mounts";
inline constexpr std::string_view kAuthTableKey = "core/auth";

// What sys/mounts/:p (or sys/auth/:p) POST asks for.
struct MountRequest {
  MountTableKind kind = MountTableKind::kSecrets;
  std::string path;            // as given: "secret", "secret/", "userpass"
  std::string namespace_path;  // "" = root, else "ns1/"
  std::string type;
  std::string description;
  MountConfig config;
  std::map<std::string, std::string> options;
  bool local = false;
  bool seal_wrap = false;
};

struct TuneRequest {
  std::optional<std::chrono::seconds> default_lease_ttl;
  std::optional<std::chrono::seconds> max_lease_ttl;
  std::optional<std::string> description;
  std::map<std::string, std::string> options;  // merged; "version" may only go up
};

// Thread-safe: Snapshot() is lock-free; mutations serialise on an internal mutex.
class MountManager {
 public:
  // `registry` must contain the built-in types "system", "cubbyhole" (secrets) and "token"
  // (auth) that are always mounted, plus whatever users may mount.
  MountManager(const Clock& clock, std::chrono::seconds system_default,
               std::chrono::seconds system_max, BuiltinRegistry registry);

  // On unseal: reads both tables from `barrier` (creating sys/, cubbyhole/ and auth/token/ on
  // first use) and starts every backend. `barrier` must stay valid until Clear(). A row whose
  // type is not in the registry is skipped with an error log (its data is kept).
  Status Load(storage::Storage* barrier);

  // On seal: drops every backend; Snapshot() becomes an empty table.
  void Clear();

  // The current table (never null).
  std::shared_ptr<const MountTable> Snapshot() const { return table_.load(); }

  // Errors: InvalidArgument for a bad path or type, a reserved path ("sys/", "auth/" for
  // secrets, "token/" for auth, "cubbyhole/", "identity/") or one overlapping an existing mount
  // ("path is already in use at secret/"); Sealed when not loaded; storage errors.
  StatusOr<std::shared_ptr<const Mount>> Enable(MountRequest request);

  // Removes the mount and returns it (the caller revokes its leases and erases its data),
  // nullptr when there was none. Errors: InvalidArgument for the built-in mounts.
  // `namespace_path` ("" = root, else "ns1/") is where the mount lives, as for Tune.
  StatusOr<std::shared_ptr<const Mount>> Disable(MountTableKind kind, std::string_view path,
                                                 std::string_view namespace_path = "");

  // Errors: InvalidArgument for no mount at `path` ("no mount at secret/", as Vault answers 400),
  // when default > max, or for a KV version change.
  Status Tune(MountTableKind kind, std::string_view path, const TuneRequest& tune,
              std::string_view namespace_path = "");

  std::chrono::seconds system_default_ttl() const { return system_default_; }
  std::chrono::seconds system_max_ttl() const { return system_max_; }

 private:
  StatusOr<std::shared_ptr<MountRuntime>> StartBackend(const MountEntry& entry);
  Status PersistLocked(const MountTable& table);
  std::shared_ptr<const Mount> MakeMount(MountEntry entry, std::shared_ptr<MountRuntime> rt);

  const Clock& clock_;
  const std::chrono::seconds system_default_;
  const std::chrono::seconds system_max_;
  const BuiltinRegistry registry_;

  std::mutex mutex_;                     // serialises writers
  storage::Storage* barrier_ = nullptr;  // guarded by mutex_
  std::atomic<std::shared_ptr<const MountTable>> table_;
};

}  // namespace cellar::core
