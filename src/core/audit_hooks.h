// src/core/audit_hooks.h: what the request flow (core.cc) calls of auditing, as declarations only.
//
// The broker's and trail's headers stay out of the flow's translation unit: instantiating their
// inline code there changed GCC's inlining of the flow's own string copies, which cost the
// no-device path ~100 instructions a request (bench/profiles/count.sh).
#pragma once

#include <atomic>
#include <memory>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"

namespace cellar::framework {
struct Request;
}

namespace cellar::core {

class AuditBroker;

// A broker with no device (core/audit_broker.h); shared_ptr: deletable where the type is opaque.
std::shared_ptr<AuditBroker> NewAuditBroker(const Clock& clock);
// Its "any device enabled" flag (AuditBroker::Active), valid as long as the broker; the flow loads
// it relaxed.
const std::atomic<bool>& AuditActiveFlag(const AuditBroker& broker);

// Whether this thread's current AuditTrail (core/audit_trail.h) follows `request`.
bool AuditTracking(const framework::Request& request);

// `request` passed token and ACL checks (or needs no token): writes its request entry through
// its AuditTrail. `full_path` is the API path after alias rewriting; `routed` the request as the
// backend will see it (operation after the existence check, resolved caller, mount). OK when no
// trail follows `request` (a device was enabled while it ran). Errors: Internal when no device
// recorded the entry; the request must then not run.
Status AuditAuthorized(const framework::Request& request, std::string_view full_path,
                       const framework::Request& routed);

}  // namespace cellar::core
