// src/core/audit_trail.cc: the request and response entries of one audited request.
#include "core/audit_trail.h"

#include <utility>

namespace cellar::core {

AuditRecord AuditRecordFor(std::string_view full_path, const framework::Request& request) {
  while (!full_path.empty() && full_path.front() == '/') {
    full_path.remove_prefix(1);
  }
  AuditRecord record;
  record.operation = request.operation;
  record.path = std::string(full_path);
  record.mount_type = request.mount_type;
  record.mount_accessor = request.mount_accessor;
  record.request_id = request.request_id;
  record.remote_address = request.remote_addr;
  record.client_token = request.caller.token;
  if (!request.caller.accessor.empty()) {
    record.caller = request.caller;
  }
  record.data = request.data;
  if (request.profile != nullptr) {
    record.profile_name = request.profile->profile_name;
    record.execution_id = request.profile->execution_id;
  }
  return record;
}

Status AuditTrail::Authorized(const std::string& full_path, const framework::Request& routed) {
  attempted_ = true;
  record_ = AuditRecordFor(full_path, routed);
  return broker_.Log(AuditEntryType::kRequest, record_, nullptr, OkStatus());
}

StatusOr<framework::Response> AuditTrail::Finish(const framework::Request& request,
                                                 StatusOr<framework::Response> result) {
  if (!attempted_) {
    record_ = AuditRecordFor(request.path, request);
    Status logged = broker_.Log(AuditEntryType::kRequest, record_, nullptr, result.status());
    if (!logged.ok()) {
      return logged;
    }
  }
  Status logged = broker_.Log(AuditEntryType::kResponse, record_,
                              result.ok() ? &result.value() : nullptr, result.status());
  if (!logged.ok()) {
    return logged;
  }
  return result;
}

}  // namespace cellar::core
