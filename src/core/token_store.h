// src/core/token_store.h: service tokens (API.md §4): create, look up, renew, revoke, expire.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/clock.h"
#include "base/status_or.h"
#include "framework/logical.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::core {

using std::chrono::seconds;

// One stored token. The raw token is never kept: `id_hash` (SHA-256 hex of it) is the key.
struct TokenEntry {
  std::string id_hash;
  std::string accessor;
  std::string parent_hash;            // "" for an orphan; stored, never shown
  std::vector<std::string> policies;  // effective: sorted, unique
  std::map<std::string, std::string> meta;
  std::string display_name;  // "token", "token-ci", "userpass-bob"
  std::string path;          // "auth/token/create", "auth/userpass/login/bob"
  TimePoint creation_time{};
  seconds creation_ttl{0};  // TTL granted at creation (0 = never expires)
  TimePoint expire_time{};  // epoch 0 = never expires
  seconds explicit_max_ttl{0};
  seconds max_ttl{0};  // lifetime cap from the issuing role/mount (0 = system)
  seconds period{0};
  int64_t num_uses = 0;  // uses left; 0 unlimited; -1 used up, awaiting revoke
  bool renewable = true;
  std::string entity_id;
  std::string namespace_id;           // "" for the root namespace
  boost::json::object internal_data;  // from the login's Auth, never shown

  bool orphan() const { return parent_hash.empty(); }
  bool never_expires() const { return expire_time == TimePoint{}; }
  bool ExpiredAt(TimePoint now) const { return !never_expires() && now >= expire_time; }

  boost::json::object ToJson() const;
  static StatusOr<TokenEntry> FromJson(const boost::json::object& json);
};

// What a new token should be. Policies are taken as given (callers normalise them with
// NormalizeTokenPolicies); TTL rules are applied by Create (API.md §4).
struct TokenParams {
  std::string id;  // a caller-chosen raw token (sudo/root only); "" draws `hvs.` + 24 base62
  std::vector<std::string> policies;
  std::map<std::string, std::string> meta;
  std::string display_name = "token";
  std::string path = "auth/token/create";
  std::string parent_hash;  // "" makes an orphan
  seconds ttl{0};           // 0: the mount default (never, for a root token)
  seconds max_ttl{0};       // role/mount cap on the lifetime (0: the store's max)
  seconds explicit_max_ttl{0};
  seconds period{0};
  int64_t num_uses = 0;
  bool renewable = true;
  std::string entity_id;
  std::string namespace_id;  // non-empty: the token gets the suffix ".<namespace_id>"
  boost::json::object internal_data;
};

struct CreatedToken {
  std::string token;  // the raw token: returned once, never stored
  TokenEntry entry;
};

// Where a login happened, for CreateFromLogin.
struct LoginContext {
  std::string mount_path;        // "auth/userpass/"
  std::string request_path;      // "auth/userpass/login/bob" (shown as the token's `path`)
  seconds mount_default_ttl{0};  // 0: the store's default
  seconds mount_max_ttl{0};      // 0: the store's max
  std::string namespace_id;      // the auth mount's namespace ("" = root)
};

// Sorted, unique, lower-cased policies, with "default" added unless `no_default_policy`; a set
// holding "root" is left as the caller gave it plus root.
std::vector<std::string> NormalizeTokenPolicies(std::vector<std::string> policies,
                                                bool no_default_policy);

// The namespace id a token was minted in: "ab12" for "hvs.<24>.ab12", "" otherwise. Lets the core
// pick the namespace's TokenStore before looking the token up.
std::string_view TokenNamespaceId(std::string_view token);

// SHA-256 hex of a raw token: its storage key.
std::string HashToken(std::string_view token);

// The token store over a storage view (the core hands in the barrier view for tokens; keys
// "id/<hash>", "accessor/<accessor>", "parent/<parent hash>/<child hash>"). Thread-safe.
//
// Expiry: expired tokens stop working at their expire_time (Lookup answers nullptr), whoever
// calls. Clean-up is the core's timer: it asks NextExpiry(), sleeps until then and calls Tidy(),
// which revokes every expired or used-up token (children and leases included). The callback set
// with SetExpiryListener fires when a token with an earlier expiry than any before appears, so the
// timer can wake up early; it runs without the store's lock, after the change. Revocation calls the
// hook set with SetRevocationHook once per revoked token (after it is gone from storage, without
// the store's lock held) so the core revokes the leases that token created.
class TokenStore {
 public:
  using RevocationHook = std::function<void(const TokenEntry&)>;
  using ExpiryListener = std::function<void(TimePoint)>;

  TokenStore(storage::Storage& view, const Clock& clock,
             seconds default_ttl = std::chrono::hours(768),
             seconds max_ttl = std::chrono::hours(768));
  TokenStore(const TokenStore&) = delete;
  TokenStore& operator=(const TokenStore&) = delete;

  void SetRevocationHook(RevocationHook hook);
  void SetExpiryListener(ExpiryListener listener);

  // On unseal: indexes every stored token's expiry. Errors: storage errors, corrupt entries.
  Status Load();

  // Creates a token. Errors: InvalidArgument for a taken custom id or bad TTLs, NotFound when
  // `parent_hash` names no live token, storage errors.
  StatusOr<CreatedToken> Create(const TokenParams& params);

  // A root token (policy "root", no TTL, orphan), e.g. for sys/init, generate-root and dev mode.
  StatusOr<CreatedToken> CreateRoot(std::string id = "");

  // Turns a login's Auth into a token (API.md §4 "auth"): fills client_token, accessor, policies
  // (sorted, with "default" unless auth.no_default_policy), token_policies, ttl (the granted
  // lease_duration), orphan = true. `auth.display_name` becomes "<mount>-<name>".
  StatusOr<framework::Auth> CreateFromLogin(const framework::Auth& auth, const LoginContext& ctx);

  // The live token, or nullptr when unknown, expired or used up. Does not count a use.
  StatusOr<std::shared_ptr<const TokenEntry>> Lookup(std::string_view token);
  StatusOr<std::shared_ptr<const TokenEntry>> LookupByAccessor(std::string_view accessor);
  StatusOr<std::shared_ptr<const TokenEntry>> LookupByHash(std::string_view id_hash);
  // Like Lookup, but also finds a token whose last use the current request took (num_uses -1,
  // revoked once that request ends), as Vault's lookup-self does.
  StatusOr<std::shared_ptr<const TokenEntry>> LookupOnLastUse(std::string_view token);

  // Authenticates one request: like Lookup, and counts a use of a limited token. When that was
  // its last use, `*last_use` is set: the token stops working now and the caller should
  // RevokeByHash it once the request is done (Tidy does it otherwise).
  StatusOr<std::shared_ptr<const TokenEntry>> Use(std::string_view token, bool* last_use = nullptr);

  // Extends a live token (API.md §4): periodic tokens to their period; others to `increment` (0:
  // their creation TTL), capped so the lifetime stays under explicit_max_ttl and max TTL.
  // Errors: NotFound (unknown or expired), InvalidArgument when not renewable.
  StatusOr<std::shared_ptr<const TokenEntry>> Renew(std::string_view id_hash, seconds increment);

  // Revokes the token and, recursively, its children. Unknown is OK.
  Status RevokeByHash(std::string_view id_hash);
  // Revokes only the token; its children become orphans.
  Status RevokeOrphan(std::string_view id_hash);

  // Revokes every token whose `path` starts with `prefix` ("auth/userpass/"), with its children:
  // disabling an auth mount revokes its tokens. Scans all tokens (mount changes are rare).
  // Returns how many were revoked.
  StatusOr<size_t> RevokeByPathPrefix(std::string_view prefix);
  // Revokes every token of namespace `namespace_id` (not ""), with its children: deleting a
  // namespace revokes its tokens. Scans all tokens. Returns how many were revoked.
  StatusOr<size_t> RevokeByNamespace(std::string_view namespace_id);

  // Every accessor, sorted (auth/token/accessors).
  StatusOr<std::vector<std::string>> ListAccessors();

  // The earliest expiry of any token, nullopt when none expires.
  std::optional<TimePoint> NextExpiry() const;
  // Accessors of tokens expired at `now` (or used up), for a core that prefers to revoke them
  // itself (e.g. through RevokeByHash after LookupByAccessor); Tidy is the simpler path.
  std::vector<std::string> ExpiredAccessors(TimePoint now) const;
  // Revokes every token expired at clock.Now() or used up; returns how many were revoked.
  StatusOr<size_t> Tidy();

  // API.md §4 "T" for lookups. `token` is shown as `id` ("" for lookup-accessor).
  boost::json::object LookupData(const TokenEntry& entry, std::string_view token) const;
  // The request's Caller for a live token: token, accessor, display_name, policies, metadata,
  // entity_id; is_root when its policies hold "root".
  static framework::Caller CallerFor(const TokenEntry& entry, std::string_view token);
  // API.md §4 "auth" block fields as a framework::Auth (for create and renew responses).
  framework::Auth AuthFor(const TokenEntry& entry, std::string_view token) const;

  const Clock& clock() const { return clock_; }
  seconds default_ttl() const { return default_ttl_; }
  seconds max_ttl() const { return max_ttl_; }

 private:
  Status LoadImpl();
  StatusOr<CreatedToken> CreateImpl(const TokenParams& params);
  StatusOr<std::shared_ptr<const TokenEntry>> RenewImpl(std::string_view id_hash,
                                                        seconds increment);
  // Calls the expiry listener, without the lock, when an earlier expiry was indexed.
  void NotifyExpiry();
  // The stored, unexpired entry (used up or not), or nullptr.
  StatusOr<std::shared_ptr<const TokenEntry>> LookupLive(std::string_view id_hash);
  StatusOr<std::shared_ptr<const TokenEntry>> LoadLocked(std::string_view id_hash);
  Status SaveLocked(const TokenEntry& entry);
  void IndexExpiryLocked(const TokenEntry& entry);
  void UnindexLocked(const std::string& id_hash);
  // Deletes `id_hash` (and with `children`, its subtree) and returns what was removed.
  Status RevokeLocked(const std::string& id_hash, bool children, std::vector<TokenEntry>& revoked);
  // Revokes (with children) every stored token `match` accepts.
  StatusOr<size_t> RevokeMatching(const std::function<bool(const TokenEntry&)>& match);
  void RunHooks(const std::vector<TokenEntry>& revoked);

  storage::Storage& view_;
  const Clock& clock_;
  seconds default_ttl_;
  seconds max_ttl_;

  mutable std::mutex mutex_;
  RevocationHook revocation_hook_;                                            // guarded by mutex_
  ExpiryListener expiry_listener_;                                            // guarded by mutex_
  std::unordered_map<std::string, std::shared_ptr<const TokenEntry>> cache_;  // by id_hash
  std::multimap<TimePoint, std::string> expiries_;                            // → id_hash
  std::unordered_map<std::string, TimePoint> expiry_of_;                      // id_hash →
  std::vector<std::string> used_up_;                                          // id_hashes
  std::optional<TimePoint> pending_wake_;  // an earlier expiry not yet announced
};

}  // namespace cellar::core
