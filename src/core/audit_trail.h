// src/core/audit_trail.h: one request's passage through the audit log: the request entry once
// the request is authorised (before its backend runs), then the response entry.
#pragma once

#include <string_view>

#include "base/status_or.h"
#include "core/audit_broker.h"
#include "core/audit_entry.h"
#include "core/audit_hooks.h"
#include "framework/logical.h"

namespace cellar::core {

// Lives on the stack of the audited request flow (Core::Impl::HandleAudited) while a device is
// enabled, registered as this thread's trail for `request`: the flow finds it through
// AuditTracking and AuditAuthorized (core/audit_hooks.h) rather than through a parameter, so the
// path without devices keeps its code as it was. Nests: a sub-request handled on the same thread
// registers its own trail, and the destructor restores the previous one.
class AuditTrail {
 public:
  AuditTrail(const AuditBroker& broker, const framework::Request& request);
  ~AuditTrail();
  AuditTrail(const AuditTrail&) = delete;
  AuditTrail& operator=(const AuditTrail&) = delete;

  // After the request flow: the request entry when Authorized never ran (the request failed
  // before, e.g. permission denied: written from the request as sent, with the error), then the
  // response entry. Returns `result`, or Internal when an entry could not be recorded.
  StatusOr<framework::Response> Finish(StatusOr<framework::Response> result);

 private:
  friend bool AuditTracking(const framework::Request& request);
  friend Status AuditAuthorized(const framework::Request& request, std::string_view full_path,
                                const framework::Request& routed);

  const AuditBroker& broker_;
  const framework::Request& request_;
  const AuditTrail* previous_;
  AuditRecord record_;
  bool attempted_ = false;  // Authorized ran (whether or not it could write)
};

// The parts of `request` an entry shows; `caller` only when it resolved (has an accessor).
AuditRecord AuditRecordFor(std::string_view full_path, const framework::Request& request);

}  // namespace cellar::core
