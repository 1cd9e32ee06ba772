// src/core/audit_entry.h: one audit log line (Vault's file device JSON) for a request or response.
//
// Vault's schema: {"time", "type":"request"|"response", "auth":{...}, "request":{...},
// "response":{...} (response entries), "error" (failures only)}. Strings in request and response
// data, tokens and (with hmac_accessor) accessors are written as "hmac-sha256:<hex>" under the
// device's key, unless the device logs raw. Cellar adds, for profile sub-requests (PROFILES.md
// "Audit"), request.profile and request.profile_execution_id: beside the request, never inside
// its data, so a client cannot forge them and hashing never hides them.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "framework/logical.h"

namespace cellar::core {

// What the audit log says about one request. Filled by the core once the request is authorised
// (or from the request as sent when it failed before), then formatted once per device.
struct AuditRecord {
  framework::Operation operation = framework::Operation::kRead;
  std::string path;  // full API path, after alias rewriting ("secret/data/app")
  std::string mount_type;
  std::string mount_accessor;
  std::string request_id;
  std::string remote_address;
  std::string namespace_path;               // "" for the root namespace, else "ns1/"
  std::string client_token;                 // raw; "" when none was sent
  std::optional<framework::Caller> caller;  // the token's owner, once resolved
  boost::json::object data;
  // Profile sub-requests only (framework::ProfileOrigin).
  std::string profile_name;
  std::string execution_id;
};

// How one device writes entries.
struct AuditFormat {
  std::string_view hmac_key;  // the device's secret key (not owned)
  bool log_raw = false;       // write secrets as they are
  bool hmac_accessor = true;  // hash accessors too
};

// "hmac-sha256:" + hex HMAC-SHA256 of `input` under `key`: what sys/audit-hash answers.
std::string AuditHash(std::string_view key, std::string_view input);

enum class AuditEntryType { kRequest, kResponse };

// One entry. For kResponse, `response` is the handler's answer (null when the request failed).
// `error` not OK: its message goes into "error". Returns one JSON line without the newline.
std::string FormatAuditEntry(AuditEntryType type, const AuditRecord& record,
                             const framework::Response* response, const Status& error,
                             TimePoint time, const AuditFormat& format);

}  // namespace cellar::core
