// src/core/audit_device.h: one enabled file audit device: its table row and the file it appends to.
//
// Options as Vault's file device: file_path (required; "stdout" and "discard" are special),
// mode (octal, default "0600"; "0000" leaves an existing file's mode alone; no executable bits),
// hmac_accessor (default true), log_raw (default false).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "base/status_or.h"
#include "core/audit_entry.h"

namespace cellar::core {

// A row of the audit table, as persisted under the barrier.
struct AuditDeviceEntry {
  std::string path;  // "file/" (always ends in '/')
  std::string type = "file";
  std::string description;
  std::map<std::string, std::string> options;  // as given, shown by sys/audit
  bool local = false;
  std::string hmac_key;  // 32 random bytes, the device's salt: keeps hashes device-specific
};

// Thread-safe: Write serialises on a per-device mutex, so concurrent entries never interleave.
class AuditDevice {
 public:
  // Validates the options and opens the file (created with `mode`, appended to). Errors:
  // InvalidArgument for a bad type, missing file_path, bad mode or boolean, or a file that
  // cannot be opened.
  static StatusOr<std::unique_ptr<AuditDevice>> Open(AuditDeviceEntry entry);
  ~AuditDevice();
  AuditDevice(const AuditDevice&) = delete;
  AuditDevice& operator=(const AuditDevice&) = delete;

  // Appends `line` and a newline in one write. Errors: Internal when the file refuses it (disk
  // full, I/O error); the caller decides whether another device recorded the entry.
  Status Write(std::string_view line);

  const AuditDeviceEntry& entry() const { return entry_; }
  AuditFormat format() const { return format_; }

 private:
  AuditDevice(AuditDeviceEntry entry, int fd, bool owns_fd);

  const AuditDeviceEntry entry_;
  AuditFormat format_;  // hmac_key points into entry_
  std::mutex mutex_;
  const int fd_;  // -1 for "discard"
  const bool owns_fd_;
  std::string buffer_;  // guarded by mutex_; reused so a line costs no allocation
};

// Parses a boolean option as Go's strconv.ParseBool; absent gives `fallback`.
StatusOr<bool> AuditBoolOption(const std::map<std::string, std::string>& options,
                               std::string_view name, bool fallback);

}  // namespace cellar::core
