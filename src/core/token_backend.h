// src/core/token_backend.h: the auth/token/ backend (API.md §4) over the TokenStore.
#pragma once

#include <functional>
#include <memory>

#include "framework/path_backend.h"

namespace cellar::core {

class AclCache;
class NamespacePolicies;
class TokenStore;
struct TokenEntry;

// Paths (relative to auth/token/): create, create-orphan, lookup-self, lookup, lookup-accessor,
// renew-self, renew, renew-accessor, revoke-self, revoke, revoke-accessor, revoke-orphan,
// accessors/ (LIST). Create and renew answer the `auth` block with client_token already set: the
// core must pass such an Auth through rather than mint another token. Lookups answer `data` T.
//
// The core authorises each request first (ACL, incl. sudo on revoke-orphan and accessors). This
// backend adds Vault's own checks: child policies within the caller's unless the caller has root
// or sudo; `id`, `no_parent` and `period` need sudo on the create path (or root). `request.caller.
// token` must be the raw token of the caller.
//
// Namespaces (SetNamespaces): a token is made in the request's namespace (Request::namespace_
// path) and looked up in its policies. Making one in another namespace than the caller's (a child:
// the core keeps a token below its own namespace) needs sudo, takes the policies as given (names
// of the new namespace's policies), never "root", and no custom `id` outside the root namespace.
// Inside a namespace, lookup, renew, revoke and accessors see only the tokens of that namespace
// and its children, as unknown ones otherwise. Lookups show `namespace_path` for a non-root
// namespace's token.
class TokenBackend : public framework::PathBackend {
 public:
  // Called on renew for tokens issued by a login, so the auth method may refuse (Backend::
  // RenewAuth); the core routes by entry.path. Unset: renewals are allowed.
  using AuthRenewCheck = std::function<Status(const TokenEntry&)>;

  // `store` and `acls` must outlive the backend.
  TokenBackend(TokenStore& store, AclCache& acls);

  void SetAuthRenewCheck(AuthRenewCheck check) { renew_check_ = std::move(check); }
  // Unset: every token is a root namespace's. Must outlive the backend.
  void SetNamespaces(NamespacePolicies* namespaces) { namespaces_ = namespaces; }

 private:
  friend StatusOr<std::unique_ptr<TokenBackend>> NewTokenBackend(TokenStore&, AclCache&);
  std::vector<framework::Path> Paths();

  StatusOr<framework::Response> Create(framework::Request& req, const framework::FieldData& d,
                                       bool orphan);
  StatusOr<framework::Response> LookupSelf(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Lookup(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> LookupAccessor(framework::Request& req,
                                               const framework::FieldData& d);
  StatusOr<framework::Response> RenewSelf(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Renew(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> RenewAccessor(framework::Request& req,
                                              const framework::FieldData& d);
  StatusOr<framework::Response> RevokeSelf(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Revoke(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> RevokeAccessor(framework::Request& req,
                                               const framework::FieldData& d);
  StatusOr<framework::Response> RevokeOrphan(framework::Request& req,
                                             const framework::FieldData& d);
  StatusOr<framework::Response> ListAccessors(framework::Request& req,
                                              const framework::FieldData& d);

  StatusOr<framework::Response> RenewEntry(const TokenEntry& entry, std::string_view token,
                                           const framework::FieldData& d);
  // Whether the caller (whose entry is `caller`) is root or has sudo on the request's full path.
  StatusOr<bool> CallerHasSudo(const framework::Request& req, const TokenEntry& caller);
  // The namespace path of a token ("" for the root's); NotFound when its namespace is gone.
  StatusOr<std::string> NamespacePathOf(const TokenEntry& entry);
  // `found` when the request's namespace may see it (its own or a child namespace's token),
  // else nullptr.
  StatusOr<std::shared_ptr<const TokenEntry>> Visible(
      const framework::Request& req, StatusOr<std::shared_ptr<const TokenEntry>> found);
  // The lookup response T (with namespace_path for a non-root namespace's token).
  StatusOr<framework::Response> LookupResponse(const TokenEntry& entry, std::string_view token);

  TokenStore& store_;
  AclCache& acls_;
  AuthRenewCheck renew_check_;
  NamespacePolicies* namespaces_ = nullptr;
};

// A factory-friendly constructor: builds the backend and its path table.
StatusOr<std::unique_ptr<TokenBackend>> NewTokenBackend(TokenStore& store, AclCache& acls);

}  // namespace cellar::core
