// src/core/token_store.cc: creates, renews and revokes tokens; keeps an in-memory expiry index.
#include "core/token_store.h"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "base/status_macros.h"
#include "crypto/hash.h"
#include "crypto/random.h"
#include "framework/json_fields.h"
#include "framework/time_format.h"
#include "storage/storage.h"

namespace cellar::core {
namespace {

constexpr size_t kMaxCachedTokens = 100'000;

std::string IdKey(std::string_view hash) { return "id/" + std::string(hash); }
std::string AccessorKey(std::string_view accessor) { return "accessor/" + std::string(accessor); }
std::string ParentKey(std::string_view parent, std::string_view child) {
  return "parent/" + std::string(parent) + "/" + std::string(child);
}

int64_t Nanos(TimePoint t) { return framework::ToUnixNanos(t); }

// A caller-chosen token must be printable and not collide with the hash namespace's separators.
bool ValidCustomId(std::string_view id) {
  return !id.empty() && id.size() <= 256 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isgraph(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

boost::json::object TokenEntry::ToJson() const {
  boost::json::object o;
  o["id_hash"] = id_hash;
  o["accessor"] = accessor;
  o["parent_hash"] = parent_hash;
  boost::json::array pols;
  for (const std::string& p : policies) {
    pols.emplace_back(p);
  }
  o["policies"] = std::move(pols);
  boost::json::object m;
  for (const auto& [k, v] : meta) {
    m[k] = v;
  }
  o["meta"] = std::move(m);
  o["display_name"] = display_name;
  o["path"] = path;
  o["creation_time"] = Nanos(creation_time);
  o["creation_ttl"] = creation_ttl.count();
  o["expire_time"] = Nanos(expire_time);
  o["explicit_max_ttl"] = explicit_max_ttl.count();
  o["max_ttl"] = max_ttl.count();
  o["period"] = period.count();
  o["num_uses"] = num_uses;
  o["renewable"] = renewable;
  o["entity_id"] = entity_id;
  o["namespace_id"] = namespace_id;
  o["internal_data"] = internal_data;
  return o;
}

StatusOr<TokenEntry> TokenEntry::FromJson(const boost::json::object& o) {
  TokenEntry e;
  e.id_hash = framework::StoredString(o, "id_hash");
  e.accessor = framework::StoredString(o, "accessor");
  if (e.id_hash.empty() || e.accessor.empty()) {
    return InternalError("stored token entry is corrupt");
  }
  e.parent_hash = framework::StoredString(o, "parent_hash");
  if (const boost::json::value* p = o.if_contains("policies"); p && p->is_array()) {
    for (const boost::json::value& item : p->get_array()) {
      if (item.is_string()) {
        e.policies.emplace_back(item.get_string());
      }
    }
  }
  if (const boost::json::value* m = o.if_contains("meta"); m && m->is_object()) {
    for (const auto& kv : m->get_object()) {
      if (kv.value().is_string()) {
        e.meta[std::string(kv.key())] = std::string(kv.value().get_string());
      }
    }
  }
  e.display_name = framework::StoredString(o, "display_name");
  e.path = framework::StoredString(o, "path");
  e.creation_time = framework::FromUnixNanos(framework::StoredInt(o, "creation_time"));
  e.creation_ttl = seconds(framework::StoredInt(o, "creation_ttl"));
  int64_t expire = framework::StoredInt(o, "expire_time");
  e.expire_time = expire == 0 ? TimePoint{} : framework::FromUnixNanos(expire);
  e.explicit_max_ttl = seconds(framework::StoredInt(o, "explicit_max_ttl"));
  e.max_ttl = seconds(framework::StoredInt(o, "max_ttl"));
  e.period = seconds(framework::StoredInt(o, "period"));
  e.num_uses = framework::StoredInt(o, "num_uses");
  e.renewable = framework::StoredBool(o, "renewable");
  e.entity_id = framework::StoredString(o, "entity_id");
  e.namespace_id = framework::StoredString(o, "namespace_id");
  if (const boost::json::value* d = o.if_contains("internal_data"); d && d->is_object()) {
    e.internal_data = d->get_object();
  }
  return e;
}

std::vector<std::string> NormalizeTokenPolicies(std::vector<std::string> policies,
                                                bool no_default_policy) {
  for (std::string& p : policies) {
    std::transform(p.begin(), p.end(), p.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  }
  policies.erase(std::remove_if(policies.begin(), policies.end(),
                                [](const std::string& p) { return p.empty(); }),
                 policies.end());
  bool has_root = std::find(policies.begin(), policies.end(), "root") != policies.end();
  if (!no_default_policy && !has_root) {
    policies.emplace_back("default");
  }
  std::sort(policies.begin(), policies.end());
  policies.erase(std::unique(policies.begin(), policies.end()), policies.end());
  return policies;
}

std::string_view TokenNamespaceId(std::string_view token) {
  if (token.substr(0, 4) != "hvs.") {
    return {};
  }
  size_t dot = token.find('.', 4);
  return dot == std::string_view::npos ? std::string_view() : token.substr(dot + 1);
}

std::string HashToken(std::string_view token) { return crypto::Sha256Hex(token); }

TokenStore::TokenStore(storage::Storage& view, const Clock& clock, seconds default_ttl,
                       seconds max_ttl)
    : view_(view), clock_(clock), default_ttl_(default_ttl), max_ttl_(max_ttl) {}

void TokenStore::SetRevocationHook(RevocationHook hook) {
  std::lock_guard<std::mutex> lock(mutex_);
  revocation_hook_ = std::move(hook);
}

void TokenStore::SetExpiryListener(ExpiryListener listener) {
  std::lock_guard<std::mutex> lock(mutex_);
  expiry_listener_ = std::move(listener);
}

Status TokenStore::LoadImpl() {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> hashes, view_.List("id/"));
  std::lock_guard<std::mutex> lock(mutex_);
  cache_.clear();
  expiries_.clear();
  expiry_of_.clear();
  used_up_.clear();
  for (const std::string& hash : hashes) {
    CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, LoadLocked(hash));
    if (entry) {
      IndexExpiryLocked(*entry);
      if (entry->num_uses < 0) {
        used_up_.push_back(entry->id_hash);
      }
    }
  }
  return OkStatus();
}

StatusOr<std::shared_ptr<const TokenEntry>> TokenStore::LoadLocked(std::string_view id_hash) {
  std::string key(id_hash);
  if (auto it = cache_.find(key); it != cache_.end()) {
    return it->second;
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, view_.Get(IdKey(id_hash)));
  if (!raw) {
    return std::shared_ptr<const TokenEntry>();
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(*raw, ec);
  if (ec || !v.is_object()) {
    return InternalError("stored token entry is corrupt");
  }
  CELLAR_ASSIGN_OR_RETURN(TokenEntry entry, TokenEntry::FromJson(v.get_object()));
  auto shared = std::make_shared<const TokenEntry>(std::move(entry));
  if (cache_.size() >= kMaxCachedTokens) {
    cache_.clear();
  }
  cache_[key] = shared;
  return shared;
}

Status TokenStore::SaveLocked(const TokenEntry& entry) {
  CELLAR_RETURN_IF_ERROR(view_.Put(IdKey(entry.id_hash), boost::json::serialize(entry.ToJson())));
  cache_[entry.id_hash] = std::make_shared<const TokenEntry>(entry);
  return OkStatus();
}

void TokenStore::NotifyExpiry() {
  std::optional<TimePoint> wake;
  ExpiryListener listener;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    wake.swap(pending_wake_);
    listener = expiry_listener_;
  }
  if (wake && listener) {
    listener(*wake);
  }
}

Status TokenStore::Load() {
  Status status = LoadImpl();
  NotifyExpiry();
  return status;
}

StatusOr<CreatedToken> TokenStore::Create(const TokenParams& params) {
  StatusOr<CreatedToken> created = CreateImpl(params);
  NotifyExpiry();
  return created;
}

StatusOr<std::shared_ptr<const TokenEntry>> TokenStore::Renew(std::string_view id_hash,
                                                              seconds increment) {
  StatusOr<std::shared_ptr<const TokenEntry>> renewed = RenewImpl(id_hash, increment);
  NotifyExpiry();
  return renewed;
}

void TokenStore::IndexExpiryLocked(const TokenEntry& entry) {
  UnindexLocked(entry.id_hash);
  if (entry.never_expires()) {
    return;
  }
  bool earliest = expiries_.empty() || entry.expire_time < expiries_.begin()->first;
  expiries_.emplace(entry.expire_time, entry.id_hash);
  expiry_of_[entry.id_hash] = entry.expire_time;
  if (earliest) {
    pending_wake_ = entry.expire_time;  // announced by NotifyExpiry, outside the lock
  }
}

void TokenStore::UnindexLocked(const std::string& id_hash) {
  auto it = expiry_of_.find(id_hash);
  if (it == expiry_of_.end()) {
    return;
  }
  auto [lo, hi] = expiries_.equal_range(it->second);
  for (auto e = lo; e != hi; ++e) {
    if (e->second == id_hash) {
      expiries_.erase(e);
      break;
    }
  }
  expiry_of_.erase(it);
}

StatusOr<CreatedToken> TokenStore::CreateImpl(const TokenParams& params) {
  if (params.ttl.count() < 0 || params.explicit_max_ttl.count() < 0 || params.period.count() < 0 ||
      params.max_ttl.count() < 0 || params.num_uses < 0) {
    return InvalidArgumentError("token TTLs and num_uses must not be negative");
  }
  if (!params.id.empty() && !ValidCustomId(params.id)) {
    return InvalidArgumentError("invalid token id");
  }
  TimePoint now = clock_.Now();
  TokenEntry entry;
  std::string token = params.id;
  if (token.empty()) {
    token = crypto::NewToken();
    if (!params.namespace_id.empty()) {
      token += "." + params.namespace_id;
    }
  }
  entry.id_hash = HashToken(token);
  entry.accessor = crypto::NewAccessor();
  entry.parent_hash = params.parent_hash;
  entry.policies = params.policies;
  entry.meta = params.meta;
  entry.display_name = params.display_name;
  entry.path = params.path;
  entry.creation_time = now;
  entry.explicit_max_ttl = params.explicit_max_ttl;
  entry.max_ttl = params.max_ttl;
  entry.period = params.period;
  entry.num_uses = params.num_uses;
  entry.renewable = params.renewable;
  entry.entity_id = params.entity_id;
  entry.namespace_id = params.namespace_id;
  entry.internal_data = params.internal_data;

  // API.md §4: ttl, else the default; capped by the max and explicit_max_ttl; periodic tokens
  // live one period at a time; root tokens without any TTL never expire.
  bool is_root =
      std::find(entry.policies.begin(), entry.policies.end(), "root") != entry.policies.end();
  seconds max = params.max_ttl.count() > 0 ? std::min(params.max_ttl, max_ttl_) : max_ttl_;
  seconds ttl{0};
  if (params.period.count() > 0) {
    ttl = params.period;
  } else if (params.ttl.count() > 0) {
    ttl = std::min(params.ttl, max);
  } else if (!(is_root && params.explicit_max_ttl.count() == 0)) {
    ttl = std::min(default_ttl_, max);
  }
  if (params.explicit_max_ttl.count() > 0 && (ttl.count() == 0 || ttl > params.explicit_max_ttl)) {
    ttl = params.explicit_max_ttl;
  }
  entry.creation_ttl = ttl;
  entry.expire_time = ttl.count() > 0 ? now + ttl : TimePoint{};

  std::lock_guard<std::mutex> lock(mutex_);
  if (!entry.parent_hash.empty()) {
    CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> parent,
                            LoadLocked(entry.parent_hash));
    if (!parent || parent->ExpiredAt(now)) {
      return NotFoundError("parent token not found");
    }
  }
  if (!params.id.empty()) {
    CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> existing, LoadLocked(entry.id_hash));
    if (existing) {
      return InvalidArgumentError("a token with that id already exists");
    }
  }
  std::vector<storage::WriteOp> ops = {
      {storage::WriteOp::Kind::kPut, IdKey(entry.id_hash), boost::json::serialize(entry.ToJson())},
      {storage::WriteOp::Kind::kPut, AccessorKey(entry.accessor), entry.id_hash},
  };
  if (!entry.parent_hash.empty()) {
    ops.push_back({storage::WriteOp::Kind::kPut, ParentKey(entry.parent_hash, entry.id_hash), ""});
  }
  CELLAR_RETURN_IF_ERROR(view_.Commit(ops));
  cache_[entry.id_hash] = std::make_shared<const TokenEntry>(entry);
  IndexExpiryLocked(entry);
  return CreatedToken{std::move(token), std::move(entry)};
}

StatusOr<CreatedToken> TokenStore::CreateRoot(std::string id) {
  TokenParams params;
  params.id = std::move(id);
  params.policies = {"root"};
  params.display_name = "root";
  params.path = "auth/token/root";
  return Create(params);
}

StatusOr<framework::Auth> TokenStore::CreateFromLogin(const framework::Auth& auth,
                                                      const LoginContext& ctx) {
  std::vector<std::string> requested = auth.token_policies;
  requested.insert(requested.end(), auth.policies.begin(), auth.policies.end());
  TokenParams params;
  params.policies = NormalizeTokenPolicies(std::move(requested), auth.no_default_policy);
  params.meta = auth.metadata;
  // "auth/userpass/" → "userpass", then Vault's "<mount>-<name>".
  std::string mount = ctx.mount_path;
  if (mount.rfind("auth/", 0) == 0) {
    mount = mount.substr(5);
  }
  while (!mount.empty() && mount.back() == '/') {
    mount.pop_back();
  }
  std::replace(mount.begin(), mount.end(), '/', '-');
  params.display_name = auth.display_name.empty() ? mount : mount + "-" + auth.display_name;
  params.path = ctx.request_path;
  seconds mount_max = ctx.mount_max_ttl.count() > 0 ? ctx.mount_max_ttl : max_ttl_;
  params.max_ttl = auth.max_ttl.count() > 0 ? std::min(auth.max_ttl, mount_max) : mount_max;
  params.ttl = auth.ttl.count() > 0
                   ? auth.ttl
                   : (ctx.mount_default_ttl.count() > 0 ? ctx.mount_default_ttl : default_ttl_);
  params.period = auth.period;
  params.num_uses = auth.num_uses;
  params.renewable = auth.renewable;
  params.entity_id = auth.entity_id;
  params.internal_data = auth.internal_data;
  params.namespace_id = ctx.namespace_id;
  CELLAR_ASSIGN_OR_RETURN(CreatedToken created, Create(params));
  framework::Auth out = AuthFor(created.entry, created.token);
  out.token_policies = auth.token_policies.empty() ? auth.policies : auth.token_policies;
  out.no_default_policy = auth.no_default_policy;
  out.bound_cidrs = auth.bound_cidrs;
  out.internal_data = auth.internal_data;
  return out;
}

StatusOr<std::shared_ptr<const TokenEntry>> TokenStore::LookupByHash(std::string_view id_hash) {
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, LookupLive(id_hash));
  if (entry && entry->num_uses < 0) {
    return std::shared_ptr<const TokenEntry>();
  }
  return entry;
}

StatusOr<std::shared_ptr<const TokenEntry>> TokenStore::LookupOnLastUse(std::string_view token) {
  if (token.empty()) {
    return std::shared_ptr<const TokenEntry>();
  }
  return LookupLive(HashToken(token));
}

StatusOr<std::shared_ptr<const TokenEntry>> TokenStore::LookupLive(std::string_view id_hash) {
  std::lock_guard<std::mutex> lock(mutex_);
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, LoadLocked(id_hash));
  if (!entry || entry->ExpiredAt(clock_.Now())) {
    return std::shared_ptr<const TokenEntry>();
  }
  return entry;
}

StatusOr<std::shared_ptr<const TokenEntry>> TokenStore::Lookup(std::string_view token) {
  if (token.empty()) {
    return std::shared_ptr<const TokenEntry>();
  }
  return LookupByHash(HashToken(token));
}

StatusOr<std::shared_ptr<const TokenEntry>> TokenStore::LookupByAccessor(
    std::string_view accessor) {
  if (accessor.empty() || accessor.find('/') != std::string_view::npos) {
    return std::shared_ptr<const TokenEntry>();
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> hash, view_.Get(AccessorKey(accessor)));
  if (!hash) {
    return std::shared_ptr<const TokenEntry>();
  }
  return LookupByHash(*hash);
}

StatusOr<std::shared_ptr<const TokenEntry>> TokenStore::Use(std::string_view token,
                                                            bool* last_use) {
  if (last_use) {
    *last_use = false;
  }
  if (token.empty()) {
    return std::shared_ptr<const TokenEntry>();
  }
  std::string hash = HashToken(token);
  std::lock_guard<std::mutex> lock(mutex_);
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, LoadLocked(hash));
  if (!entry || entry->ExpiredAt(clock_.Now()) || entry->num_uses < 0) {
    return std::shared_ptr<const TokenEntry>();
  }
  if (entry->num_uses == 0) {
    return entry;
  }
  TokenEntry updated = *entry;
  // The last use marks the token used up (-1) rather than deleting it mid-request.
  updated.num_uses = entry->num_uses == 1 ? -1 : entry->num_uses - 1;
  CELLAR_RETURN_IF_ERROR(SaveLocked(updated));
  if (updated.num_uses < 0) {
    used_up_.push_back(hash);
    if (last_use) {
      *last_use = true;
    }
  }
  return entry;
}

StatusOr<std::shared_ptr<const TokenEntry>> TokenStore::RenewImpl(std::string_view id_hash,
                                                                  seconds increment) {
  std::lock_guard<std::mutex> lock(mutex_);
  TimePoint now = clock_.Now();
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, LoadLocked(id_hash));
  if (!entry || entry->ExpiredAt(now) || entry->num_uses < 0) {
    return NotFoundError("token not found");
  }
  if (!entry->renewable) {
    return InvalidArgumentError("lease is not renewable");
  }
  if (entry->never_expires()) {
    return entry;  // nothing to extend
  }
  TokenEntry updated = *entry;
  seconds ttl = entry->period.count() > 0
                    ? entry->period
                    : (increment.count() > 0 ? increment : entry->creation_ttl);
  // The lifetime cap: explicit_max_ttl always; the max TTL for non-periodic tokens.
  std::optional<TimePoint> cap;
  if (entry->explicit_max_ttl.count() > 0) {
    cap = entry->creation_time + entry->explicit_max_ttl;
  }
  if (entry->period.count() == 0) {
    seconds max = entry->max_ttl.count() > 0 ? std::min(entry->max_ttl, max_ttl_) : max_ttl_;
    TimePoint max_cap = entry->creation_time + max;
    cap = cap ? std::min(*cap, max_cap) : max_cap;
  }
  TimePoint expire = now + ttl;
  if (cap && expire > *cap) {
    expire = *cap;
  }
  updated.expire_time = expire;
  CELLAR_RETURN_IF_ERROR(SaveLocked(updated));
  IndexExpiryLocked(updated);
  return cache_[updated.id_hash];
}

Status TokenStore::RevokeLocked(const std::string& id_hash, bool children,
                                std::vector<TokenEntry>& revoked) {
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> entry, LoadLocked(id_hash));
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> kids, view_.List(ParentKey(id_hash, "")));
  std::vector<storage::WriteOp> ops;
  for (const std::string& kid : kids) {
    if (kid.empty() || kid.back() == '/') {
      continue;
    }
    if (children) {
      CELLAR_RETURN_IF_ERROR(RevokeLocked(kid, true, revoked));
    } else {
      CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const TokenEntry> child, LoadLocked(kid));
      if (child) {
        TokenEntry orphaned = *child;
        orphaned.parent_hash.clear();
        CELLAR_RETURN_IF_ERROR(SaveLocked(orphaned));
      }
      ops.push_back({storage::WriteOp::Kind::kDelete, ParentKey(id_hash, kid), ""});
    }
  }
  if (!entry) {
    if (!ops.empty()) {
      CELLAR_RETURN_IF_ERROR(view_.Commit(ops));
    }
    return OkStatus();
  }
  ops.push_back({storage::WriteOp::Kind::kDelete, IdKey(id_hash), ""});
  ops.push_back({storage::WriteOp::Kind::kDelete, AccessorKey(entry->accessor), ""});
  if (!entry->parent_hash.empty()) {
    ops.push_back({storage::WriteOp::Kind::kDelete, ParentKey(entry->parent_hash, id_hash), ""});
  }
  CELLAR_RETURN_IF_ERROR(view_.Commit(ops));
  cache_.erase(id_hash);
  UnindexLocked(id_hash);
  used_up_.erase(std::remove(used_up_.begin(), used_up_.end(), id_hash), used_up_.end());
  revoked.push_back(*entry);
  return OkStatus();
}

void TokenStore::RunHooks(const std::vector<TokenEntry>& revoked) {
  RevocationHook hook;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    hook = revocation_hook_;
  }
  if (!hook) {
    return;
  }
  for (const TokenEntry& e : revoked) {
    hook(e);
  }
}

Status TokenStore::RevokeByHash(std::string_view id_hash) {
  std::vector<TokenEntry> revoked;
  Status status;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    status = RevokeLocked(std::string(id_hash), true, revoked);
  }
  RunHooks(revoked);
  return status;
}

Status TokenStore::RevokeOrphan(std::string_view id_hash) {
  std::vector<TokenEntry> revoked;
  Status status;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    status = RevokeLocked(std::string(id_hash), false, revoked);
  }
  RunHooks(revoked);
  return status;
}

StatusOr<size_t> TokenStore::RevokeByPathPrefix(std::string_view prefix) {
  return RevokeMatching(
      [prefix](const TokenEntry& entry) { return entry.path.substr(0, prefix.size()) == prefix; });
}

StatusOr<size_t> TokenStore::RevokeByNamespace(std::string_view namespace_id) {
  if (namespace_id.empty()) {
    return InvalidArgumentError("the root namespace's tokens are not revoked by namespace");
  }
  return RevokeMatching(
      [namespace_id](const TokenEntry& entry) { return entry.namespace_id == namespace_id; });
}

StatusOr<size_t> TokenStore::RevokeMatching(const std::function<bool(const TokenEntry&)>& match) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> hashes, view_.List("id/"));
  std::vector<TokenEntry> revoked;
  Status status;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const std::string& hash : hashes) {
      StatusOr<std::shared_ptr<const TokenEntry>> entry = LoadLocked(hash);
      if (!entry.ok()) {
        status = entry.status();
        break;
      }
      // A parent revoked earlier in this loop may already have taken this one.
      if (*entry && match(**entry)) {
        status = RevokeLocked(hash, true, revoked);
        if (!status.ok()) {
          break;
        }
      }
    }
  }
  RunHooks(revoked);
  if (!status.ok()) {
    return status;
  }
  return revoked.size();
}

StatusOr<std::vector<std::string>> TokenStore::ListAccessors() {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> keys, view_.List("accessor/"));
  keys.erase(std::remove_if(keys.begin(), keys.end(),
                            [](const std::string& k) { return k.empty() || k.back() == '/'; }),
             keys.end());
  return keys;
}

std::optional<TimePoint> TokenStore::NextExpiry() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!used_up_.empty()) {
    return clock_.Now();
  }
  if (expiries_.empty()) {
    return std::nullopt;
  }
  return expiries_.begin()->first;
}

std::vector<std::string> TokenStore::ExpiredAccessors(TimePoint now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  auto add = [&](const std::string& hash) {
    if (auto it = cache_.find(hash); it != cache_.end()) {
      out.push_back(it->second->accessor);
    }
  };
  for (auto it = expiries_.begin(); it != expiries_.end() && it->first <= now; ++it) {
    add(it->second);
  }
  for (const std::string& hash : used_up_) {
    add(hash);
  }
  return out;
}

StatusOr<size_t> TokenStore::Tidy() {
  std::vector<TokenEntry> revoked;
  Status status;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    TimePoint now = clock_.Now();
    std::vector<std::string> due = used_up_;
    for (auto it = expiries_.begin(); it != expiries_.end() && it->first <= now; ++it) {
      due.push_back(it->second);
    }
    for (const std::string& hash : due) {
      status = RevokeLocked(hash, true, revoked);
      if (!status.ok()) {
        break;
      }
    }
  }
  RunHooks(revoked);
  if (!status.ok()) {
    return status;
  }
  return revoked.size();
}

boost::json::object TokenStore::LookupData(const TokenEntry& entry, std::string_view token) const {
  TimePoint now = clock_.Now();
  boost::json::object d;
  d["id"] = token;
  d["accessor"] = entry.accessor;
  boost::json::array pols;
  for (const std::string& p : entry.policies) {
    pols.emplace_back(p);
  }
  d["policies"] = std::move(pols);
  int64_t ttl = 0;
  if (!entry.never_expires()) {
    ttl =
        std::max<int64_t>(0, std::chrono::duration_cast<seconds>(entry.expire_time - now).count());
  }
  d["ttl"] = ttl;
  d["creation_ttl"] = entry.creation_ttl.count();
  d["creation_time"] =
      std::chrono::duration_cast<seconds>(entry.creation_time.time_since_epoch()).count();
  if (entry.never_expires()) {
    d["expire_time"] = nullptr;
  } else {
    d["expire_time"] = framework::FormatRfc3339Nano(entry.expire_time);
  }
  d["explicit_max_ttl"] = entry.explicit_max_ttl.count();
  d["num_uses"] = std::max<int64_t>(entry.num_uses, 0);
  d["orphan"] = entry.orphan();
  d["display_name"] = entry.display_name;
  if (entry.meta.empty()) {
    d["meta"] = nullptr;
  } else {
    boost::json::object m;
    for (const auto& [k, v] : entry.meta) {
      m[k] = v;
    }
    d["meta"] = std::move(m);
  }
  d["path"] = entry.path;
  d["renewable"] = entry.renewable;
  d["entity_id"] = entry.entity_id;
  d["type"] = "service";
  if (entry.period.count() > 0) {
    d["period"] = entry.period.count();
  }
  return d;
}

framework::Caller TokenStore::CallerFor(const TokenEntry& entry, std::string_view token) {
  framework::Caller caller;
  caller.token = std::string(token);
  caller.accessor = entry.accessor;
  caller.display_name = entry.display_name;
  caller.policies = entry.policies;
  caller.metadata = entry.meta;
  caller.entity_id = entry.entity_id;
  caller.is_root =
      std::find(entry.policies.begin(), entry.policies.end(), "root") != entry.policies.end();
  return caller;
}

framework::Auth TokenStore::AuthFor(const TokenEntry& entry, std::string_view token) const {
  framework::Auth auth;
  auth.client_token = std::string(token);
  auth.accessor = entry.accessor;
  auth.policies = entry.policies;
  auth.token_policies = entry.policies;
  auth.metadata = entry.meta;
  auth.display_name = entry.display_name;
  if (!entry.never_expires()) {
    // Rounded, not truncated: a token made a few microseconds ago shows the TTL it was granted
    // (3600, not 3599), as Vault's login and create responses do.
    auth.ttl = std::max(seconds(0), std::chrono::round<seconds>(entry.expire_time - clock_.Now()));
  }
  auth.max_ttl = entry.explicit_max_ttl;
  auth.period = entry.period;
  auth.num_uses = std::max<int64_t>(entry.num_uses, 0);
  auth.renewable = entry.renewable;
  auth.orphan = entry.orphan();
  auth.entity_id = entry.entity_id;
  return auth;
}

}  // namespace cellar::core
