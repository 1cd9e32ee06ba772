// src/framework/backend.h: what a mounted secrets engine or auth method looks like to the core.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status_or.h"
#include "framework/logical.h"

namespace cellar::framework {

enum class BackendType { kSecrets, kCredential };

// The core as a backend sees it: mount settings and time. Implemented by src/core; engines never
// link core. Thread-safe.
class SystemView {
 public:
  virtual ~SystemView() = default;
  virtual Seconds DefaultLeaseTtl() const = 0;  // the mount's, else the system's (768h)
  virtual Seconds MaxLeaseTtl() const = 0;
  virtual const Clock& clock() const = 0;
};

// Everything a backend factory gets. `storage` and `system` outlive the backend.
struct BackendConfig {
  std::string mount_point;                     // "secret/"
  std::string type;                            // "kv"
  std::map<std::string, std::string> options;  // mount options, e.g. {"version": "2"}
  storage::Storage* storage = nullptr;         // the mount's view (already encrypted and prefixed)
  SystemView* system = nullptr;
};

// A mounted backend. Thread-safe: HandleRequest runs concurrently for many requests.
class Backend {
 public:
  virtual ~Backend() = default;

  // Handles one request. Errors: kUnknownPath when no path matches, kUnsupported when the path has
  // no handler for the operation, kInvalidArgument for bad fields (message names the field).
  virtual StatusOr<Response> HandleRequest(Request& request) = 0;

  // For a POST/PUT: whether the target already exists (the ACL then needs `update`, else
  // `create`). Paths without an existence check answer true (update).
  virtual StatusOr<bool> Exists(Request& request) = 0;

  // Paths (relative, `*` suffix allowed) that need no token: logins.
  virtual std::vector<std::string> UnauthenticatedPaths() const { return {}; }

  // Ends a lease this backend created (drop the database user, revoke the certificate).
  virtual Status RevokeLease(Request& request, const boost::json::object& internal_data) {
    return OkStatus();
  }

  // Renews a lease; the default accepts the core's new TTL unchanged.
  virtual StatusOr<Response> RenewLease(Request& request,
                                        const boost::json::object& internal_data) {
    return Response{};
  }

  // Whether tokens from this auth backend may be renewed (checked on auth/token/renew).
  virtual Status RenewAuth(Request& request, const Auth& auth) { return OkStatus(); }

  virtual BackendType type() const = 0;
};

using BackendFactory = std::function<StatusOr<std::unique_ptr<Backend>>(const BackendConfig&)>;

}  // namespace cellar::framework
