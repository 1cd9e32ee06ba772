// src/core/audit_broker.h: the enabled audit devices (persisted under the barrier) and the fan-out
// of every entry to them.
//
// Rule (Vault's): an entry counts as recorded when at least one enabled device wrote it; when
// devices are enabled and none could, logging fails and the request must fail (500) rather than
// happen unrecorded. With no device enabled nothing is logged and Active() is a relaxed atomic
// load, so the request flow pays nothing for auditing it does not use.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status_or.h"
#include "core/audit_device.h"
#include "core/audit_entry.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::core {

// The table's key under the barrier, beside core/mounts and core/auth.
inline constexpr std::string_view kAuditTableKey = "core/audit";

// What sys/audit/:path PUT asks for.
struct AuditEnableRequest {
  std::string path;  // "file" or "file/"
  std::string type;
  std::string description;
  std::map<std::string, std::string> options;
  bool local = false;
};

// Thread-safe: logging reads a snapshot without locks; Load, Clear, Enable and Disable serialise.
class AuditBroker {
 public:
  explicit AuditBroker(const Clock& clock) : clock_(clock) {}

  // Whether any device is enabled. Relaxed: a request racing an enable may go unaudited, as one
  // that started a moment earlier would.
  bool Active() const { return active_.load(std::memory_order_relaxed); }

  // On unseal: opens every device of the table stored in `barrier` (which must outlive the
  // broker's use of it). A device whose file cannot be opened is an error: requests must not run
  // unaudited when an operator asked for an audit log. Errors: storage, bad table, open failures.
  Status Load(storage::Storage* barrier);
  // On seal: closes every device.
  void Clear();

  // Opens the device, then persists the table. Errors: InvalidArgument for a taken path or bad
  // options (nothing persisted), storage errors.
  Status Enable(AuditEnableRequest request);
  // Closes and forgets the device; absent is OK. Errors: storage.
  Status Disable(std::string_view path);
  // The enabled devices' rows, in path order.
  std::vector<AuditDeviceEntry> List() const;
  // sys/audit-hash: `input` hashed with the device's key. Errors: InvalidArgument when absent.
  StatusOr<std::string> Hash(std::string_view path, std::string_view input) const;

  // Writes one entry to every device, each formatted with the device's key. OK when no device is
  // enabled or at least one wrote it; Internal when all failed (each failure is logged).
  Status Log(AuditEntryType type, const AuditRecord& record, const framework::Response* response,
             const Status& error) const;

 private:
  using Devices = std::map<std::string, std::shared_ptr<AuditDevice>, std::less<>>;
  Status Persist(const Devices& devices);
  void Publish(std::shared_ptr<const Devices> devices);
  friend const std::atomic<bool>& AuditActiveFlag(const AuditBroker& broker);

  const Clock& clock_;
  std::mutex mutex_;                     // serialises table changes
  storage::Storage* barrier_ = nullptr;  // guarded by mutex_
  std::atomic<std::shared_ptr<const Devices>> devices_{std::make_shared<const Devices>()};
  std::atomic<bool> active_{false};
};

// "file" → "file/"; InvalidArgument for an empty path.
StatusOr<std::string> NormalizeAuditPath(std::string_view path);

}  // namespace cellar::core
