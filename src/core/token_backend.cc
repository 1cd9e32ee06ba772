// src/core/token_backend.cc: auth/token/ handlers: create, lookup, renew, revoke, accessors.
#include "core/token_backend.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "base/status_macros.h"
#include "core/acl.h"
#include "core/acl_cache.h"
#include "core/namespace_policies.h"
#include "core/token_store.h"

namespace cellar::core {
namespace {

using framework::FieldData;
using framework::FieldSchema;
using framework::FieldType;
using framework::Operation;
using framework::Request;
using framework::Response;

std::vector<FieldSchema> CreateFields() {
  return {
      {"id", FieldType::kString, "Token value (root or sudo only)."},
      {"policies", FieldType::kNameList, "Policies of the token (within the caller's)."},
      {"meta", FieldType::kStringMap, "Arbitrary metadata."},
      {"no_parent", FieldType::kBool, "Make an orphan (sudo only)."},
      {"no_default_policy", FieldType::kBool, "Leave out the default policy."},
      {"renewable", FieldType::kBool, "Whether the token may be renewed.", true},
      {"ttl", FieldType::kDuration, "Initial TTL."},
      {"lease", FieldType::kDuration, "Deprecated alias of ttl."},
      {"explicit_max_ttl", FieldType::kDuration, "Hard cap on the token's life."},
      {"period", FieldType::kDuration, "Renew period (sudo only)."},
      {"display_name", FieldType::kString, "Shown as token-<display_name>."},
      {"num_uses", FieldType::kInt, "Number of uses; 0 is unlimited."},
      {"type", FieldType::kString, "Only \"service\" (or \"default\")."},
      {"entity_alias", FieldType::kString, "Not supported; ignored."},
  };
}

// Vault's display name sanitising: "token-" + name, odd characters as '-'.
std::string DisplayName(std::string_view name) {
  if (name.empty()) {
    return "token";
  }
  std::string out = "token-";
  for (char c : name) {
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    out.push_back(ok ? c : '-');
  }
  while (out.size() > 6 && out.back() == '-') {
    out.pop_back();
  }
  return out;
}

Response AuthResponse(framework::Auth auth) {
  Response r;
  r.auth = std::move(auth);
  return r;
}

bool HasPolicy(const std::vector<std::string>& policies, std::string_view name) {
  return std::find(policies.begin(), policies.end(), name) != policies.end();
}

// One path of the table; a helper rather than designated initialisers so every member is set.
framework::Path MakePath(std::string pattern, std::vector<FieldSchema> fields,
                         std::map<Operation, framework::OperationHandler> operations,
                         std::string help) {
  framework::Path path;
  path.pattern = std::move(pattern);
  path.fields = std::move(fields);
  path.operations = std::move(operations);
  path.help = std::move(help);
  return path;
}

}  // namespace

TokenBackend::TokenBackend(TokenStore& store, AclCache& acls)
    : framework::PathBackend(framework::BackendType::kCredential), store_(store), acls_(acls) {}

StatusOr<std::unique_ptr<TokenBackend>> NewTokenBackend(TokenStore& store, AclCache& acls) {
  auto backend = std::make_unique<TokenBackend>(store, acls);
  CELLAR_RETURN_IF_ERROR(backend->SetPaths(backend->Paths()));
  return backend;
}

std::vector<framework::Path> TokenBackend::Paths() {
  using framework::Bind;
  const FieldSchema token_field{"token", FieldType::kString, "The token.", nullptr, true};
  const FieldSchema accessor_field{"accessor", FieldType::kString, "The token's accessor.", nullptr,
                                   true};
  const FieldSchema increment{"increment", FieldType::kDuration, "Requested TTL extension."};
  auto create = [this](bool orphan) {
    return [this, orphan](Request& r, const FieldData& d) { return Create(r, d, orphan); };
  };
  using Ops = std::map<Operation, framework::OperationHandler>;
  auto lookup_self = Bind(this, &TokenBackend::LookupSelf);
  auto lookup = Bind(this, &TokenBackend::Lookup);
  auto lookup_accessor = Bind(this, &TokenBackend::LookupAccessor);
  const FieldSchema ignored_token{"token", FieldType::kString, "Ignored; the caller's is used."};
  return {
      MakePath("create", CreateFields(), Ops{{Operation::kUpdate, create(false)}},
               "Create a child token of the caller."),
      MakePath("create-orphan", CreateFields(), Ops{{Operation::kUpdate, create(true)}},
               "Create a token without a parent."),
      MakePath("lookup-self", {ignored_token},
               Ops{{Operation::kRead, lookup_self}, {Operation::kUpdate, lookup_self}},
               "Look up the caller's own token."),
      MakePath("lookup", {token_field},
               Ops{{Operation::kRead, lookup}, {Operation::kUpdate, lookup}}, "Look up a token."),
      MakePath("lookup-accessor", {accessor_field},
               Ops{{Operation::kRead, lookup_accessor}, {Operation::kUpdate, lookup_accessor}},
               "Look up a token by its accessor."),
      MakePath("renew-self", {increment, ignored_token},
               Ops{{Operation::kUpdate, Bind(this, &TokenBackend::RenewSelf)}},
               "Renew the caller's own token."),
      MakePath("renew", {token_field, increment},
               Ops{{Operation::kUpdate, Bind(this, &TokenBackend::Renew)}}, "Renew a token."),
      MakePath("renew-accessor", {accessor_field, increment},
               Ops{{Operation::kUpdate, Bind(this, &TokenBackend::RenewAccessor)}},
               "Renew a token by its accessor."),
      MakePath("revoke-self", {ignored_token},
               Ops{{Operation::kUpdate, Bind(this, &TokenBackend::RevokeSelf)}},
               "Revoke the caller's token and its children."),
      MakePath("revoke", {token_field},
               Ops{{Operation::kUpdate, Bind(this, &TokenBackend::Revoke)}},
               "Revoke a token and its children."),
      MakePath("revoke-accessor", {accessor_field},
               Ops{{Operation::kUpdate, Bind(this, &TokenBackend::RevokeAccessor)}},
               "Revoke a token by its accessor."),
      MakePath("revoke-orphan", {token_field},
               Ops{{Operation::kUpdate, Bind(this, &TokenBackend::RevokeOrphan)}},
               "Revoke a token, orphaning its children (sudo)."),
      MakePath("accessors/?", {}, Ops{{Operation::kList, Bind(this, &TokenBackend::ListAccessors)}},
               "List token accessors (sudo)."),
  };
}

StatusOr<bool> TokenBackend::CallerHasSudo(const Request& req, const TokenEntry& caller) {
  if (req.caller.is_root || HasPolicy(caller.policies, "root")) {
    return true;
  }
  std::string path = req.namespace_path + req.mount_point + req.path;
  if (namespaces_ == nullptr) {
    CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Acl> acl, acls_.Get(caller.policies));
    return (acl->CapabilitiesFor(path) & kCapSudo) != 0;
  }
  // The caller's policies are relative to its namespace (the core kept the request inside it).
  CELLAR_ASSIGN_OR_RETURN(NamespacePolicySet set, namespaces_->ForId(caller.namespace_id));
  std::optional<std::string_view> relative = PathForTokenNamespace(path, set.path);
  if (!relative) {
    return false;
  }
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Acl> acl, set.acls->Get(caller.policies));
  return (acl->CapabilitiesFor(*relative) & kCapSudo) != 0;
}

StatusOr<std::string> TokenBackend::NamespacePathOf(const TokenEntry& entry) {
  if (namespaces_ == nullptr || entry.namespace_id.empty()) {
    return std::string();
  }
  return namespaces_->PathOf(entry.namespace_id);
}

StatusOr<std::shared_ptr<const TokenEntry>> TokenBackend::Visible(
    const Request& req, StatusOr<std::shared_ptr<const TokenEntry>> found) {
  if (!found.ok() || *found == nullptr || req.namespace_path.empty()) {
    return found;
  }
  if (namespaces_ == nullptr ||
      !namespaces_->IsWithin((*found)->namespace_id, req.namespace_path)) {
    return std::shared_ptr<const TokenEntry>();  // another namespace's: as an unknown token
  }
  return found;
}

StatusOr<Response> TokenBackend::LookupResponse(const TokenEntry& entry, std::string_view token) {
  boost::json::object data = store_.LookupData(entry, token);
  CELLAR_ASSIGN_OR_RETURN(std::string ns, NamespacePathOf(entry));
  if (!ns.empty()) {
    data["namespace_path"] = ns;  // as Vault: only for a non-root namespace's token
  }
  return Response::WithData(std::move(data));
}

StatusOr<Response> TokenBackend::Create(Request& req, const FieldData& d, bool orphan) {
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> parent,
                          store_.Lookup(req.caller.token));
  if (!parent) {
    return PermissionDeniedError();
  }
  bool caller_root = HasPolicy(parent->policies, "root");
  // The new token belongs to the request's namespace.
  std::string namespace_id;
  if (namespaces_ != nullptr && !req.namespace_path.empty()) {
    CELLAR_ASSIGN_OR_RETURN(NamespacePolicySet set, namespaces_->ForPath(req.namespace_path));
    namespace_id = set.id;
  }
  bool other_namespace = namespace_id != parent->namespace_id;
  std::string type = d.GetString("type");
  if (!type.empty() && type != "service" && type != "default") {
    return InvalidArgumentError("only service tokens are supported");
  }
  bool custom_id = d.Has("id") && !d.GetString("id").empty();
  if (custom_id && !namespace_id.empty()) {
    return InvalidArgumentError("token IDs can only be manually specified in the root namespace");
  }
  CELLAR_ASSIGN_OR_RETURN(bool sudo, CallerHasSudo(req, *parent));
  if ((custom_id || d.GetBool("no_parent") || d.GetDuration("period").count() > 0) && !sudo) {
    return PermissionDeniedError("root or sudo privileges required to set id, no_parent or period");
  }
  if (other_namespace && !sudo) {
    return InvalidArgumentError(
        "root or sudo privileges required to directly generate a token in a child namespace");
  }
  if (d.GetInt("num_uses") < 0) {
    return InvalidArgumentError("number of uses cannot be negative");
  }

  bool no_default = d.GetBool("no_default_policy");
  std::vector<std::string> policies;
  if (other_namespace) {
    // The parent's policies mean nothing in the child namespace: the names are the child's.
    policies = d.GetList("policies");
    if (HasPolicy(policies, "root")) {
      return InvalidArgumentError("root tokens may not be created from a parent namespace");
    }
  } else if (d.Has("policies")) {
    policies = d.GetList("policies");
    if (!caller_root && HasPolicy(policies, "root")) {
      return PermissionDeniedError("root tokens may only be created by a root token");
    }
    if (!caller_root && !sudo) {
      for (const std::string& p : policies) {
        if (p != "default" && !HasPolicy(parent->policies, p)) {
          return InvalidArgumentError("child policies must be subset of parent");
        }
      }
    }
  } else {
    policies = parent->policies;  // a child inherits its parent's policies
    if (no_default) {
      policies.erase(std::remove(policies.begin(), policies.end(), "default"), policies.end());
    }
  }
  TokenParams params;
  params.id = d.GetString("id");
  params.policies = NormalizeTokenPolicies(std::move(policies), no_default);
  params.meta = d.GetStringMap("meta");
  params.display_name = DisplayName(d.GetString("display_name"));
  params.path = req.mount_point + req.path;
  if (!orphan && !d.GetBool("no_parent")) {
    params.parent_hash = parent->id_hash;
  }
  params.ttl = d.Has("ttl") ? d.GetDuration("ttl") : d.GetDuration("lease");
  params.explicit_max_ttl = d.GetDuration("explicit_max_ttl");
  params.period = d.GetDuration("period");
  params.num_uses = d.GetInt("num_uses");
  params.renewable = d.GetBool("renewable");
  params.namespace_id = namespace_id;
  if (req.system != nullptr) {
    params.max_ttl = req.system->MaxLeaseTtl();
  }
  CELLAR_ASSIGN_OR_RETURN(CreatedToken created, store_.Create(params));
  return AuthResponse(store_.AuthFor(created.entry, created.token));
}

StatusOr<Response> TokenBackend::LookupSelf(Request& req, const FieldData& d) {
  // The core took this request's use before it ran; on the last one the token still answers.
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e,
                          store_.LookupOnLastUse(req.caller.token));
  if (!e) {
    return PermissionDeniedError();
  }
  return LookupResponse(*e, req.caller.token);
}

StatusOr<Response> TokenBackend::Lookup(Request& req, const FieldData& d) {
  std::string token = d.GetString("token");
  if (token.empty()) {
    return InvalidArgumentError("missing token to look up");
  }
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e, Visible(req, store_.Lookup(token)));
  if (!e) {
    return PermissionDeniedError("bad token");
  }
  return LookupResponse(*e, token);
}

StatusOr<Response> TokenBackend::LookupAccessor(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e,
                          Visible(req, store_.LookupByAccessor(d.GetString("accessor"))));
  if (!e) {
    return InvalidArgumentError("invalid accessor");
  }
  return LookupResponse(*e, "");
}

StatusOr<Response> TokenBackend::RenewEntry(const TokenEntry& entry, std::string_view token,
                                            const FieldData& d) {
  if (renew_check_) {
    CELLAR_RETURN_IF_ERROR(renew_check_(entry));
  }
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> renewed,
                          store_.Renew(entry.id_hash, d.GetDuration("increment")));
  return AuthResponse(store_.AuthFor(*renewed, token));
}

StatusOr<Response> TokenBackend::RenewSelf(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e, store_.Lookup(req.caller.token));
  if (!e) {
    return PermissionDeniedError();
  }
  return RenewEntry(*e, req.caller.token, d);
}

StatusOr<Response> TokenBackend::Renew(Request& req, const FieldData& d) {
  std::string token = d.GetString("token");
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e, Visible(req, store_.Lookup(token)));
  if (!e) {
    return InvalidArgumentError("invalid token");
  }
  return RenewEntry(*e, token, d);
}

StatusOr<Response> TokenBackend::RenewAccessor(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e,
                          Visible(req, store_.LookupByAccessor(d.GetString("accessor"))));
  if (!e) {
    return InvalidArgumentError("invalid accessor");
  }
  return RenewEntry(*e, "", d);
}

StatusOr<Response> TokenBackend::RevokeSelf(Request& req, const FieldData& d) {
  if (req.caller.token.empty()) {
    return PermissionDeniedError();
  }
  CELLAR_RETURN_IF_ERROR(store_.RevokeByHash(HashToken(req.caller.token)));
  return Response{};
}

StatusOr<Response> TokenBackend::Revoke(Request& req, const FieldData& d) {
  std::string token = d.GetString("token");
  if (token.empty()) {
    return InvalidArgumentError("missing token to revoke");
  }
  // Revoking an unknown token is not an error (as Vault): the outcome is the same. Inside a
  // namespace, another namespace's token counts as unknown.
  if (!req.namespace_path.empty()) {
    CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e,
                            Visible(req, store_.Lookup(token)));
    if (!e) {
      return Response{};
    }
  }
  CELLAR_RETURN_IF_ERROR(store_.RevokeByHash(HashToken(token)));
  return Response{};
}

StatusOr<Response> TokenBackend::RevokeAccessor(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e,
                          Visible(req, store_.LookupByAccessor(d.GetString("accessor"))));
  if (!e) {
    return InvalidArgumentError("invalid accessor");
  }
  CELLAR_RETURN_IF_ERROR(store_.RevokeByHash(e->id_hash));
  return Response{};
}

StatusOr<Response> TokenBackend::RevokeOrphan(Request& req, const FieldData& d) {
  // The ACL already required sudo (auth/token/revoke-orphan is a sudo path).
  std::string token = d.GetString("token");
  if (token.empty()) {
    return InvalidArgumentError("missing token to revoke");
  }
  if (!req.namespace_path.empty()) {
    CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e,
                            Visible(req, store_.Lookup(token)));
    if (!e) {
      return InvalidArgumentError("token to revoke not found");
    }
  }
  CELLAR_RETURN_IF_ERROR(store_.RevokeOrphan(HashToken(token)));
  return Response{};
}

StatusOr<Response> TokenBackend::ListAccessors(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> accessors, store_.ListAccessors());
  boost::json::array keys;
  for (const std::string& a : accessors) {
    if (!req.namespace_path.empty()) {
      CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> e,
                              Visible(req, store_.LookupByAccessor(a)));
      if (!e) {
        continue;
      }
    }
    keys.emplace_back(a);
  }
  return Response::WithData({{"keys", std::move(keys)}});
}

}  // namespace cellar::core
