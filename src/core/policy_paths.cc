// src/core/policy_paths.cc: handlers for sys/policy, sys/policies/acl and sys/capabilities*.
#include "core/policy_paths.h"

#include <map>

#include "base/status_macros.h"
#include "core/acl.h"
#include "core/acl_cache.h"
#include "core/namespace_policies.h"
#include "core/policy_store.h"
#include "core/token_store.h"

namespace cellar::core {
namespace {

using framework::FieldData;
using framework::FieldSchema;
using framework::FieldType;
using framework::Operation;
using framework::Request;
using framework::Response;

constexpr const char* kNamePattern = R"((?P<name>[^/]+))";

boost::json::array ToArray(const std::vector<std::string>& items) {
  boost::json::array out;
  for (const std::string& s : items) {
    out.emplace_back(s);
  }
  return out;
}

Response WithWarnings(std::vector<std::string> warnings) {
  Response r;
  r.warnings = std::move(warnings);
  return r;
}

// The policy store of the namespace the request is made in.
StatusOr<PolicyStore*> StoreFor(NamespacePolicies& namespaces, const Request& req) {
  CELLAR_ASSIGN_OR_RETURN(NamespacePolicySet set, namespaces.ForPath(req.namespace_path));
  return set.policies;  // a namespace's store lives on with its owner in NamespacePolicies
}

// Both sys/policy (`rules`, legacy) and sys/policies/acl (`policy`) write through here.
StatusOr<Response> WritePolicy(PolicyStore& store, const FieldData& d, bool legacy) {
  std::string text = d.GetString("policy");
  if (text.empty() && legacy) {
    text = d.GetString("rules");
  }
  if (text.empty()) {
    return InvalidArgumentError("'policy' parameter not supplied or empty");
  }
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> warnings, store.Set(d.GetString("name"), text));
  return WithWarnings(std::move(warnings));
}

StatusOr<Response> ReadPolicy(PolicyStore& store, const FieldData& d, const char* text_key) {
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Policy> p, store.Get(d.GetString("name")));
  return Response::WithData({{"name", p->name}, {text_key, p->text}});
}

StatusOr<bool> PolicyExists(PolicyStore& store, const FieldData& d) {
  StatusOr<std::shared_ptr<const Policy>> p = store.Get(d.GetString("name"));
  if (p.ok()) {
    return true;
  }
  if (p.status().code() == StatusCode::kNotFound ||
      p.status().code() == StatusCode::kInvalidArgument) {
    return false;
  }
  return p.status();
}

// {"<path>": [...], ...} plus "capabilities" when exactly one path was asked (Vault's shape), for
// a token of namespace `token_ns_id` with `policies`. Paths are asked relative to the request's
// namespace; the token's policies see them relative to its own (outside it: "deny").
StatusOr<Response> CapabilitiesFor(NamespacePolicies& namespaces, const Request& req,
                                   std::string_view token_ns_id,
                                   const std::vector<std::string>& policies, const FieldData& d) {
  std::vector<std::string> paths = d.GetList("paths");
  if (paths.empty()) {
    paths = d.GetList("path");
  }
  if (paths.empty()) {
    return InvalidArgumentError("missing paths");
  }
  CELLAR_ASSIGN_OR_RETURN(NamespacePolicySet set, namespaces.ForId(token_ns_id));
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Acl> acl, set.acls->Get(policies));
  boost::json::object data;
  std::vector<std::string> last;
  for (std::string path : paths) {
    if (!path.empty() && path.front() == '/') {
      path.erase(0, 1);
    }
    std::string full = req.namespace_path + path;
    std::optional<std::string_view> relative = PathForTokenNamespace(full, set.path);
    last = relative ? acl->Capabilities(*relative) : std::vector<std::string>{"deny"};
    data[path] = ToArray(last);
  }
  if (paths.size() == 1) {
    data["capabilities"] = ToArray(last);
  }
  return Response::WithData(std::move(data));
}

// One path of the table; a helper rather than designated initialisers so every member is set.
framework::Path MakePath(std::string pattern, std::vector<FieldSchema> fields,
                         std::map<Operation, framework::OperationHandler> operations,
                         std::string help, framework::ExistenceCheck exists = nullptr) {
  framework::Path path;
  path.pattern = std::move(pattern);
  path.fields = std::move(fields);
  path.operations = std::move(operations);
  path.existence_check = std::move(exists);
  path.help = std::move(help);
  return path;
}

std::vector<FieldSchema> CapabilityFields() {
  return {{"paths", FieldType::kCommaList, "Paths to check."},
          {"path", FieldType::kCommaList, "Deprecated alias of paths."}};
}

// A token the request's namespace may see: its own or a child namespace's (else as unknown).
bool VisibleFrom(NamespacePolicies& namespaces, const Request& req, const TokenEntry& entry) {
  return req.namespace_path.empty() || namespaces.IsWithin(entry.namespace_id, req.namespace_path);
}

// A handler run against the policy store of the request's namespace.
template <typename Fn>
framework::OperationHandler InStore(NamespacePolicies* namespaces, Fn fn) {
  return [namespaces, fn](Request& req, const FieldData& d) -> StatusOr<Response> {
    CELLAR_ASSIGN_OR_RETURN(PolicyStore * store, StoreFor(*namespaces, req));
    return fn(*store, d);
  };
}

}  // namespace

std::vector<framework::Path> PolicyPaths(NamespacePolicies& namespaces, TokenStore& tokens) {
  NamespacePolicies* ns = &namespaces;
  const FieldSchema name{"name", FieldType::kString, "Policy name."};
  auto exists = [ns](Request& req, const FieldData& d) -> StatusOr<bool> {
    CELLAR_ASSIGN_OR_RETURN(PolicyStore * store, StoreFor(*ns, req));
    return PolicyExists(*store, d);
  };
  auto remove = InStore(ns, [](PolicyStore& store, const FieldData& d) -> StatusOr<Response> {
    CELLAR_RETURN_IF_ERROR(store.Delete(d.GetString("name")));
    return Response{};
  });
  auto list = InStore(ns, [](PolicyStore& store, const FieldData&) -> StatusOr<Response> {
    CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> names, store.List());
    return Response::WithData({{"keys", ToArray(names)}});
  });
  auto legacy_list = InStore(ns, [](PolicyStore& store, const FieldData&) -> StatusOr<Response> {
    CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> names, store.List());
    return Response::WithData({{"policies", ToArray(names)}, {"keys", ToArray(names)}});
  });
  auto write_legacy = InStore(
      ns, [](PolicyStore& store, const FieldData& d) { return WritePolicy(store, d, true); });
  auto write = InStore(
      ns, [](PolicyStore& store, const FieldData& d) { return WritePolicy(store, d, false); });

  using Ops = std::map<Operation, framework::OperationHandler>;
  auto read_legacy = InStore(
      ns, [](PolicyStore& store, const FieldData& d) { return ReadPolicy(store, d, "rules"); });
  auto read = InStore(
      ns, [](PolicyStore& store, const FieldData& d) { return ReadPolicy(store, d, "policy"); });
  TokenStore* token_store = &tokens;
  auto for_token = [ns, token_store](Request& req, const FieldData& d) -> StatusOr<Response> {
    CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e,
                            token_store->Lookup(d.GetString("token")));
    if (!e || !VisibleFrom(*ns, req, *e)) {
      return InvalidArgumentError("invalid token");
    }
    return CapabilitiesFor(*ns, req, e->namespace_id, e->policies, d);
  };
  auto for_self = [ns](Request& req, const FieldData& d) {
    std::vector<std::string> policies = req.caller.policies;
    if (req.caller.is_root) {
      policies.push_back("root");
    }
    return CapabilitiesFor(*ns, req, req.caller.namespace_id, policies, d);
  };
  auto for_accessor = [ns, token_store](Request& req, const FieldData& d) -> StatusOr<Response> {
    CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e,
                            token_store->LookupByAccessor(d.GetString("accessor")));
    if (!e || !VisibleFrom(*ns, req, *e)) {
      return InvalidArgumentError("invalid accessor");
    }
    return CapabilitiesFor(*ns, req, e->namespace_id, e->policies, d);
  };
  std::vector<FieldSchema> token_fields = CapabilityFields();
  token_fields.push_back({"token", FieldType::kString, "The token to check.", nullptr, true});
  std::vector<FieldSchema> self_fields = CapabilityFields();
  self_fields.push_back({"token", FieldType::kString, "Ignored; the caller's token is used."});
  std::vector<FieldSchema> accessor_fields = CapabilityFields();
  accessor_fields.push_back(
      {"accessor", FieldType::kString, "Accessor of the token to check.", nullptr, true});

  std::vector<framework::Path> paths;
  paths.push_back(MakePath("policy/?", {},
                           Ops{{Operation::kRead, legacy_list}, {Operation::kList, list}},
                           "List ACL policies (legacy)."));
  paths.push_back(MakePath(std::string("policy/") + kNamePattern,
                           {name,
                            {"policy", FieldType::kString, "Policy text (HCL or JSON)."},
                            {"rules", FieldType::kString, "Legacy alias of policy."}},
                           Ops{{Operation::kRead, read_legacy},
                               {Operation::kUpdate, write_legacy},
                               {Operation::kCreate, write_legacy},
                               {Operation::kDelete, remove}},
                           "Read, write or delete an ACL policy (legacy).", exists));
  paths.push_back(
      MakePath("policies/acl/?", {}, Ops{{Operation::kList, list}}, "List ACL policies."));
  paths.push_back(
      MakePath(std::string("policies/acl/") + kNamePattern,
               {name, {"policy", FieldType::kString, "Policy text (HCL, JSON or base64)."}},
               Ops{{Operation::kRead, read},
                   {Operation::kUpdate, write},
                   {Operation::kCreate, write},
                   {Operation::kDelete, remove}},
               "Read, write or delete an ACL policy.", exists));
  paths.push_back(MakePath("capabilities", token_fields, Ops{{Operation::kUpdate, for_token}},
                           "Capabilities of a token on paths."));
  paths.push_back(MakePath("capabilities-self", self_fields, Ops{{Operation::kUpdate, for_self}},
                           "Capabilities of the caller's token on paths."));
  paths.push_back(MakePath("capabilities-accessor", accessor_fields,
                           Ops{{Operation::kUpdate, for_accessor}},
                           "Capabilities of a token, by accessor, on paths."));
  return paths;
}

}  // namespace cellar::core
