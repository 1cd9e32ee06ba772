// src/profiles/backend.h: the sys/profiles/* and sys/workflows/* endpoints as a path-table backend.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "framework/path_backend.h"
#include "framework/request_handler.h"
#include "profiles/executor.h"
#include "profiles/nonces.h"
#include "profiles/profile.h"

namespace cellar::profiles {

// Mints and ends the tokens a signed input's sub-requests run under (core::Core::IssueToken and
// RevokeToken); a token is minted in the namespace of the profile's request.
struct RoleTokens {
  std::function<StatusOr<framework::Auth>(const framework::Auth&, std::string_view path,
                                          std::string_view namespace_path)>
      issue;
  std::function<Status(std::string_view token)> revoke;
};

// Serves, with request paths relative to "sys/" (so "profiles/modify/web"):
//   profiles/modify/:name  PUT/POST {profile|workflow, description} · GET · DELETE;  LIST modify
//   profiles/execute/:name POST (body = input, or {"input": {...}}; a JWS for a signed profile)
//   profiles/plan/:name    POST   profiles/debug/:name POST (the ACL demands sudo)
//   workflows/manage|execute|trace/:name: OpenBao's names for modify|execute|debug.
//   profiles/nonce         GET/POST: {"nonce", "expires_in"}, single use (no token needed)
//   profiles/keys/:name    PUT/POST {public_key, policies, profiles, token_ttl} · GET · DELETE;
//                          LIST keys: public keys bound to a role, for signed inputs
//   profiles/config        GET · PUT/POST {nonce_ttl}
// Profiles are stored as JSON under "profile/<name>" in request.storage (the view core gives this
// backend) and re-validated when loaded; loaded and compiled profiles are cached per name until
// this backend writes or deletes that name, so an execution reads no storage for its definition.
// Sub-requests go through `handler` (the Core) with the caller's token, the auth block's, or for a
// signed input a token minted with the signing key's policies and revoked when the execution ends
// (leases made under it end with it: signed profiles suit KV values and certificates, not dynamic
// credentials meant to outlive the call).
// Without a token, execute and plan answer only for signed and `authenticated = false` profiles
// (the core lets tokenless requests to UnauthenticatedPaths() through). Thread-safe.
class ProfilesBackend : public framework::PathBackend {
 public:
  // `handler` must outlive the backend. When it is a core::Core, signed inputs run under tokens
  // that Core mints; otherwise signed profiles answer Unsupported.
  static StatusOr<std::unique_ptr<ProfilesBackend>> Create(framework::RequestHandler& handler);
  // As above with explicit token minting and clock (tests). `clock` must outlive the backend.
  static StatusOr<std::unique_ptr<ProfilesBackend>> Create(framework::RequestHandler& handler,
                                                           RoleTokens tokens, const Clock& clock);

  std::vector<std::string> UnauthenticatedPaths() const override;

 private:
  ProfilesBackend(framework::RequestHandler& handler, RoleTokens tokens, const Clock& clock);

  StatusOr<framework::Response> List(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Read(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Write(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Delete(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Execute(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Plan(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> Debug(framework::Request& req, const framework::FieldData& d);

  // backend_signing.cc: nonces, key bindings, config.
  static std::vector<framework::Path> SigningPaths(ProfilesBackend* b);
  StatusOr<framework::Response> Nonce(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> ReadConfig(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> WriteConfig(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> ListKeys(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> ReadKey(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> WriteKey(framework::Request& req, const framework::FieldData& d);
  StatusOr<framework::Response> DeleteKey(framework::Request& req, const framework::FieldData& d);

  // What an execution runs with: its input and the token its sub-requests carry. `minted` is the
  // token made for a signed input, to revoke when the execution ends ("" otherwise).
  struct Authority {
    boost::json::object input;
    std::string token;
    std::string minted;
  };
  // The caller's token and body, or for a signed profile the verified JWS payload and a token with
  // the signing key's policies. `action`: "execute", "plan" or "debug".
  StatusOr<Authority> Authorize(framework::Request& req, const std::string& name,
                                const Profile& profile, const std::string& action);
  void Release(const Authority& authority);

  struct Stored {
    std::string text;
    std::string description;
    int64_t version = 0;
    std::shared_ptr<const Profile> profile;
  };
  StatusOr<std::shared_ptr<const Stored>> Load(framework::Request& req, const std::string& name);
  // After a write or delete of `name` reached storage: drops its cache entry, and stops a Load
  // that read storage before the change from caching what it read.
  void Invalidate(const framework::Request& req, const std::string& name);
  boost::json::object InputBody(const framework::Request& req, const Profile& profile) const;
  ExecutionOptions OptionsFor(const framework::Request& req, const std::string& name,
                              const Authority& authority) const;

  Executor executor_;
  RoleTokens tokens_;
  const Clock& clock_;
  NonceStore nonces_;
  std::mutex mu_;
  // Key: namespace + name. Only this process writes profiles today; with a shared storage written
  // by several servers (PostgreSQL HA) the other servers' writes must invalidate entries too.
  std::map<std::string, std::shared_ptr<const Stored>> cache_;  // GUARDED_BY(mu_)
  uint64_t generation_ = 0;  // GUARDED_BY(mu_); bumped by every Invalidate
};

}  // namespace cellar::profiles
