// src/core/core_audit.cc: the request flow under an audit trail, apart from core.cc so the flow's
// translation unit never sees the audit headers (core/audit_hooks.h says why).
#include <utility>

#include "core/audit_trail.h"
#include "core/core_impl.h"

namespace cellar::core {

StatusOr<framework::Response> Core::Impl::HandleAudited(framework::Request& request) {
  AuditTrail trail(*audit, request);  // HandleRequest finds it through AuditTracking
  StatusOr<framework::Response> result = HandleRequest(request);
  return trail.Finish(std::move(result));
}

}  // namespace cellar::core
