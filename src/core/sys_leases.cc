// src/core/sys_leases.cc: sys/leases/* (lookup, list, renew, revoke, revoke-prefix, revoke-force)
// and the legacy sys/renew, sys/revoke aliases.
#include <boost/json/array.hpp>

#include "base/status_macros.h"
#include "core/core_impl.h"
#include "core/lease_manager.h"
#include "core/sys_backend.h"

namespace cellar::core {
namespace {

using framework::FieldData;
using framework::FieldType;
using framework::Operation;
using framework::Path;
using framework::Request;
using framework::Response;

// Lease ids start with their mount's full path ("ns1/kv/creds/x/<id>"). Inside a namespace an
// id or prefix is taken as given when it already names that namespace, else as relative to it:
// either way a namespace reaches only its own leases and its children's, never the root's.
std::string InNamespace(const Request& req, std::string id) {
  if (req.namespace_path.empty() || id.starts_with(req.namespace_path)) {
    return id;
  }
  return req.namespace_path + id;
}

std::string LeaseId(const Request& req, const FieldData& data) {
  std::string id = data.GetString("lease_id");
  if (id.empty()) {
    id = data.GetString("url_lease_id");
  }
  return id.empty() ? id : InNamespace(req, std::move(id));
}

std::string Prefix(const Request& req, const FieldData& data) {
  return InNamespace(req, data.GetString("prefix"));
}

}  // namespace

std::vector<Path> SysLeasePaths(Core::Impl& core) {
  LeaseManager* leases = &core.leases();
  const Clock* clock = &core.clock();

  auto lookup = [leases, clock](Request& req, const FieldData& data) -> StatusOr<Response> {
    std::string id = LeaseId(req, data);
    if (id.empty()) {
      return InvalidArgumentError("missing lease_id");
    }
    CELLAR_ASSIGN_OR_RETURN(LeaseEntry entry, leases->Lookup(id));
    return Response::WithData(entry.ToLookup(clock->Now()));
  };
  auto list = [leases](Request& req, const FieldData& data) -> StatusOr<Response> {
    std::vector<std::string> keys = leases->ListKeys(Prefix(req, data));
    if (keys.empty()) {
      return Response{};  // HTTP answers an empty list with 404 {"errors":[]}
    }
    boost::json::array arr;
    for (const std::string& k : keys) {
      arr.push_back(boost::json::string(k));
    }
    return Response::WithData({{"keys", std::move(arr)}});
  };
  Core::Impl* c = &core;
  auto renew = [c, clock](Request& req, const FieldData& data) -> StatusOr<Response> {
    std::string id = LeaseId(req, data);
    if (id.empty()) {
      return InvalidArgumentError("missing lease_id");
    }
    CELLAR_ASSIGN_OR_RETURN(LeaseEntry entry,
                            c->RenewLease(id, std::chrono::seconds(data.GetDuration("increment"))));
    Response r;
    r.lease_id = entry.id;
    r.renewable = entry.renewable;
    r.lease_duration =
        std::chrono::duration_cast<std::chrono::seconds>(entry.expire_time - clock->Now());
    return r;
  };
  auto revoke = [leases](Request& req, const FieldData& data) -> StatusOr<Response> {
    std::string id = LeaseId(req, data);
    if (id.empty()) {
      return InvalidArgumentError("missing lease_id");
    }
    CELLAR_RETURN_IF_ERROR(leases->Revoke(id));
    return Response{};
  };
  auto revoke_prefix = [leases](Request& req, const FieldData& data) -> StatusOr<Response> {
    CELLAR_RETURN_IF_ERROR(leases->RevokePrefix(Prefix(req, data)));
    return Response{};
  };
  auto revoke_force = [leases](Request& req, const FieldData& data) -> StatusOr<Response> {
    CELLAR_RETURN_IF_ERROR(leases->RevokeForce(Prefix(req, data)));
    return Response{};
  };

  std::vector<framework::FieldSchema> id_fields = {
      {"lease_id", FieldType::kString, "The lease id."},
      {"url_lease_id", FieldType::kString, "The lease id, in the URL."},
      {"increment", FieldType::kDuration, "Requested extension."},
      {"sync", FieldType::kBool, "Revoke before answering (always true here).", true}};
  std::vector<framework::FieldSchema> prefix_fields = {
      {"prefix", FieldType::kString, "A lease id prefix."}};

  std::vector<Path> paths;
  paths.push_back({.pattern = "leases/lookup",
                   .fields = id_fields,
                   .operations = {{Operation::kUpdate, lookup}}});
  paths.push_back({.pattern = "leases/lookup/(?P<prefix>.*)",
                   .fields = prefix_fields,
                   .operations = {{Operation::kList, list}}});
  for (std::string_view root : {"leases/", ""}) {
    std::string r(root);
    paths.push_back({.pattern = r + "renew(?:/(?P<url_lease_id>.+))?",
                     .fields = id_fields,
                     .operations = {{Operation::kUpdate, renew}}});
    paths.push_back({.pattern = r + "revoke(?:/(?P<url_lease_id>.+))?",
                     .fields = id_fields,
                     .operations = {{Operation::kUpdate, revoke}}});
    paths.push_back({.pattern = r + "revoke-prefix/(?P<prefix>.+)",
                     .fields = prefix_fields,
                     .operations = {{Operation::kUpdate, revoke_prefix}}});
    paths.push_back({.pattern = r + "revoke-force/(?P<prefix>.+)",
                     .fields = prefix_fields,
                     .operations = {{Operation::kUpdate, revoke_force}}});
  }
  return paths;
}

}  // namespace cellar::core
