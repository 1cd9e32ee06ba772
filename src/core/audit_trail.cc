// src/core/audit_trail.cc: the request and response entries of one audited request.
#include "core/audit_trail.h"

#include <utility>

namespace cellar::core {
namespace {

thread_local AuditTrail* current_trail = nullptr;

}  // namespace

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
  record.namespace_path = request.namespace_path;
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

AuditTrail::AuditTrail(const AuditBroker& broker, const framework::Request& request)
    : broker_(broker), request_(request), previous_(current_trail) {
  current_trail = this;
}

AuditTrail::~AuditTrail() { current_trail = const_cast<AuditTrail*>(previous_); }

bool AuditTracking(const framework::Request& request) {
  return current_trail != nullptr && &current_trail->request_ == &request;
}

Status AuditAuthorized(const framework::Request& request, std::string_view full_path,
                       const framework::Request& routed) {
  if (!AuditTracking(request)) {
    return OkStatus();
  }
  AuditTrail& trail = *current_trail;
  trail.attempted_ = true;
  trail.record_ = AuditRecordFor(full_path, routed);
  return trail.broker_.Log(AuditEntryType::kRequest, trail.record_, nullptr, OkStatus());
}

StatusOr<framework::Response> AuditTrail::Finish(StatusOr<framework::Response> result) {
  if (!attempted_) {
    record_ = AuditRecordFor(request_.path, request_);
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
