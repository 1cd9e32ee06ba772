// src/core/audit_trail.h: one request's passage through the audit log: the request entry once
// the request is authorised (before its backend runs), then the response entry.
#pragma once

#include "base/status_or.h"
#include "core/audit_broker.h"
#include "core/audit_entry.h"
#include "framework/logical.h"

namespace cellar::core {

// Used by the request flow only while a device is enabled (AuditBroker::Active). Not
// thread-safe: one per request.
class AuditTrail {
 public:
  explicit AuditTrail(const AuditBroker& broker) : broker_(broker) {}

  // The request passed token and ACL checks (or needs no token): writes its request entry.
  // `full_path` is the API path after alias rewriting; `routed` the request as the backend will
  // see it (operation after the existence check, resolved caller, mount). Errors: Internal when
  // no device recorded it; the request must then not run.
  Status Authorized(const std::string& full_path, const framework::Request& routed);

  // After the request flow: the request entry when Authorized never ran (the request failed
  // before, e.g. permission denied: written from `request` as sent, with the error), then the
  // response entry. Returns `result`, or Internal when an entry could not be recorded.
  StatusOr<framework::Response> Finish(const framework::Request& request,
                                       StatusOr<framework::Response> result);

 private:
  const AuditBroker& broker_;
  AuditRecord record_;
  bool attempted_ = false;  // Authorized ran (whether or not it could write)
};

// The parts of `request` an entry shows; `caller` only when it resolved (has an accessor).
AuditRecord AuditRecordFor(std::string_view full_path, const framework::Request& request);

}  // namespace cellar::core
