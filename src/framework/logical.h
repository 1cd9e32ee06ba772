// src/framework/logical.h: the request and response every backend handles, independent of HTTP.
//
// Bodies are Boost.JSON values: Vault's API is JSON through and through, and writing our own
// dynamic value type would only duplicate it. Beast and OpenSSL never enter this header.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cellar::storage {
class Storage;
}

namespace cellar::framework {

class SystemView;
class RequestScope;

using Seconds = std::chrono::seconds;

// The logical operation, after HTTP methods are mapped (GET → read, LIST or ?list=true → list, POST
// and PUT → create or update by the backend's existence check, PATCH → patch, DELETE → delete).
enum class Operation { kRead, kList, kCreate, kUpdate, kPatch, kDelete };

// "read", "list", "create", "update", "patch", "delete": the names ACL capabilities use.
std::string_view OperationName(Operation op);

// Who is calling, as resolved by the token store before the backend runs.
struct Caller {
  std::string token;  // the raw client token ("" for unauthenticated paths)
  std::string accessor;
  std::string display_name;
  std::vector<std::string> policies;
  std::map<std::string, std::string> metadata;
  std::string entity_id;
  std::string namespace_id;  // the token's namespace ("" = the root namespace)
  bool is_root = false;
};

// Where a profile sub-request comes from, for its audit entries (PROFILES.md "Audit"). Owned by
// the execution, which outlives its sub-requests.
struct ProfileOrigin {
  std::string profile_name;
  std::string execution_id;
};

// One request routed to a backend. `path` is relative to the mount ("data/foo" for
// secret/data/foo).
struct Request {
  Operation operation = Operation::kRead;
  std::string path;
  std::string mount_point;  // "secret/", "auth/userpass/"
  std::string mount_type;   // "kv", "userpass"
  std::string mount_accessor;
  std::string namespace_path;  // "" for root, else "a/b/"
  boost::json::object data;    // body fields (or query parameters on GET/DELETE/LIST)
  Caller caller;
  std::string request_id;
  std::string remote_addr;
  std::vector<std::string> peer_certificates_der;  // TLS client chain, leaf first (cert auth)
  bool via_profile = false;  // a profile sub-request (direct-deny does not apply)
  const ProfileOrigin* profile = nullptr;  // a profile sub-request's origin, or null
  // The profile execution this request belongs to (RequestHandler::BeginScope), or null.
  RequestScope* scope = nullptr;

  // Set by the core before dispatch; valid for the duration of the request.
  storage::Storage* storage = nullptr;  // the mount's encrypted, prefixed view
  SystemView* system = nullptr;
};

// Authentication result of a login, or the token described by a token endpoint.
struct Auth {
  std::string client_token;  // filled by the core when it creates the token
  std::string accessor;
  std::vector<std::string> policies;        // effective (sorted, with "default" unless refused)
  std::vector<std::string> token_policies;  // as requested
  std::map<std::string, std::string> metadata;
  std::string display_name;
  Seconds ttl{0};
  Seconds max_ttl{0};
  Seconds period{0};
  int64_t num_uses = 0;
  bool renewable = true;
  bool orphan = true;
  bool no_default_policy = false;
  std::vector<std::string> bound_cidrs;
  std::string entity_id;
  boost::json::object internal_data;  // kept with the token, never shown (e.g. role name for renew)
};

// A secret the backend wants leased (dynamic credentials, certificates): the core creates the
// lease.
struct LeaseRequest {
  Seconds ttl{0};      // 0 = mount default
  Seconds max_ttl{0};  // 0 = mount max
  bool renewable = true;
  boost::json::object internal_data;  // handed back to Backend::RevokeLease / RenewLease
};

// A body sent as is, without the envelope (sys/health, PKI PEM, ...).
struct RawBody {
  int http_status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct Response {
  std::optional<boost::json::object> data;  // nullopt: "data": null
  std::vector<std::string> warnings;
  std::optional<Auth> auth;
  std::optional<LeaseRequest> lease;  // core turns it into lease_id/lease_duration/renewable
  std::optional<RawBody> raw;         // when set, the only thing written
  // Non-zero forces the HTTP status of a successful response (KV v2's 404 with a body, PKI's 202).
  int http_status = 0;
  // Set by an HA standby: answer 307 with Location = this address + the request's own target.
  std::string redirect_to;
  // Filled by the core.
  std::string lease_id;
  Seconds lease_duration{0};
  bool renewable = false;
  std::string mount_type;

  // 204 when nothing would be returned.
  bool Empty() const {
    return !data && warnings.empty() && !auth && !raw && lease_id.empty() && redirect_to.empty();
  }

  static Response WithData(boost::json::object d) {
    Response r;
    r.data = std::move(d);
    return r;
  }
};

}  // namespace cellar::framework
