// src/core/lease_manager.cc: lease bookkeeping, persistence and the expiry timer.
#include "core/lease_manager.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "crypto/random.h"
#include "framework/json_fields.h"
#include "framework/time_format.h"
#include "storage/storage.h"

namespace cellar::core {
namespace {

using std::chrono::seconds;

constexpr std::string_view kIdPrefix = "id/";
constexpr seconds kMaxBackoff = std::chrono::minutes(10);

seconds Backoff(int attempts) {
  int shift = std::min(attempts, 10);
  return std::min(seconds(1LL << shift), kMaxBackoff);
}

}  // namespace

boost::json::object LeaseEntry::ToJson() const {
  boost::json::object o;
  o["id"] = id;
  o["mount_path"] = mount_path;
  o["path"] = path;
  o["issue_time"] = framework::ToUnixNanos(issue_time);
  o["expire_time"] = framework::ToUnixNanos(expire_time);
  o["last_renewal"] = framework::ToUnixNanos(last_renewal);
  o["max_expire_time"] = framework::ToUnixNanos(max_expire_time);
  o["ttl"] = ttl.count();
  o["renewable"] = renewable;
  o["internal_data"] = internal_data;
  o["token_accessor"] = token_accessor;
  return o;
}

StatusOr<LeaseEntry> LeaseEntry::FromJson(const boost::json::object& o) {
  LeaseEntry e;
  e.id = framework::StoredString(o, "id");
  if (e.id.empty()) {
    return InternalError("corrupt lease entry");
  }
  e.mount_path = framework::StoredString(o, "mount_path");
  e.path = framework::StoredString(o, "path");
  e.issue_time = framework::FromUnixNanos(framework::StoredInt(o, "issue_time"));
  e.expire_time = framework::FromUnixNanos(framework::StoredInt(o, "expire_time"));
  e.last_renewal = framework::FromUnixNanos(framework::StoredInt(o, "last_renewal"));
  e.max_expire_time = framework::FromUnixNanos(framework::StoredInt(o, "max_expire_time"));
  e.ttl = seconds(framework::StoredInt(o, "ttl"));
  const boost::json::value* r = o.if_contains("renewable");
  e.renewable = r != nullptr && r->is_bool() && r->as_bool();
  if (const boost::json::value* d = o.if_contains("internal_data"); d && d->is_object()) {
    e.internal_data = d->as_object();
  }
  e.token_accessor = framework::StoredString(o, "token_accessor");
  return e;
}

boost::json::object LeaseEntry::ToLookup(TimePoint now) const {
  boost::json::object o;
  o["id"] = id;
  o["issue_time"] = framework::FormatRfc3339Nano(issue_time);
  o["expire_time"] = framework::FormatRfc3339Nano(expire_time);
  if (last_renewal.time_since_epoch().count() == 0) {
    o["last_renewal"] = nullptr;
  } else {
    o["last_renewal"] = framework::FormatRfc3339Nano(last_renewal);
  }
  o["renewable"] = renewable;
  int64_t left = std::chrono::duration_cast<seconds>(expire_time - now).count();
  o["ttl"] = std::max<int64_t>(left, 0);
  return o;
}

LeaseManager::LeaseManager(const Clock& clock, Revoker revoker)
    : clock_(clock), revoker_(std::move(revoker)) {}

LeaseManager::~LeaseManager() { StopTimer(); }

void LeaseManager::ScheduleLocked(const std::string& id, TimePoint due) {
  queue_.push(QueueItem{due, id});
  wake_.notify_all();
}

Status LeaseManager::Load(storage::Storage* view) {
  std::vector<std::string> ids;
  // Lease ids contain '/', so walk the folders below "id/".
  std::vector<std::string> folders = {std::string(kIdPrefix)};
  while (!folders.empty()) {
    std::string folder = std::move(folders.back());
    folders.pop_back();
    CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> children, view->List(folder));
    for (const std::string& child : children) {
      if (!child.empty() && child.back() == '/') {
        folders.push_back(folder + child);
      } else {
        ids.push_back(folder + child);
      }
    }
  }
  std::map<std::string, State, std::less<>> loaded;
  for (const std::string& key : ids) {
    CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, view->Get(key));
    if (!raw) {
      continue;
    }
    boost::system::error_code ec;
    boost::json::value doc = boost::json::parse(*raw, ec);
    if (ec || !doc.is_object()) {
      spdlog::error("lease {} is corrupt; skipped", key);
      continue;
    }
    StatusOr<LeaseEntry> entry = LeaseEntry::FromJson(doc.as_object());
    if (!entry.ok()) {
      spdlog::error("lease {} is corrupt; skipped", key);
      continue;
    }
    State state;
    state.due = entry->expire_time;
    state.entry = std::move(entry).value();
    loaded.emplace(state.entry.id, std::move(state));
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    view_ = view;
    leases_ = std::move(loaded);
    queue_ = {};
    for (const auto& [id, state] : leases_) {
      ScheduleLocked(id, state.due);
    }
  }
  RunExpired();  // leases that ran out while the server was down or sealed
  return OkStatus();
}

void LeaseManager::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  view_ = nullptr;
  leases_.clear();
  queue_ = {};
}

void LeaseManager::StartTimer() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (timer_.joinable()) {
    return;
  }
  stop_ = false;
  timer_ = std::thread([this] { TimerLoop(); });
}

void LeaseManager::StopTimer() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
    wake_.notify_all();
  }
  if (timer_.joinable()) {
    timer_.join();
  }
}

void LeaseManager::SetExtraTimer(std::function<std::optional<TimePoint>()> next,
                                 std::function<void()> run) {
  std::lock_guard<std::mutex> lock(mutex_);
  extra_next_ = std::move(next);
  extra_run_ = std::move(run);
}

void LeaseManager::Wake() {
  std::lock_guard<std::mutex> lock(mutex_);
  wake_requested_ = true;
  wake_.notify_all();
}

void LeaseManager::TimerLoop() {
  while (true) {
    // Asked without our lock: the other source may call Wake() while holding its own lock.
    std::optional<TimePoint> extra = extra_next_ ? extra_next_() : std::nullopt;
    std::unique_lock<std::mutex> lock(mutex_);
    if (stop_) {
      return;
    }
    TimePoint now = clock_.Now();
    std::optional<TimePoint> lease_due;
    if (!queue_.empty()) {
      lease_due = queue_.top().due;
    }
    bool run_leases = lease_due && *lease_due <= now;
    bool run_extra = extra && *extra <= now;
    if (!run_leases && !run_extra) {
      if (wake_requested_) {
        wake_requested_ = false;
        continue;
      }
      // Capped so a wall-clock jump is noticed within a minute.
      TimePoint::duration wait = std::chrono::minutes(1);
      for (const std::optional<TimePoint>& t : {lease_due, extra}) {
        if (t) {
          wait = std::min<TimePoint::duration>(wait, *t - now);
        }
      }
      wake_.wait_for(lock, wait);
      wake_requested_ = false;
      continue;
    }
    lock.unlock();
    if (run_leases) {
      RunExpired();
    }
    if (run_extra && extra_run_) {
      extra_run_();
    }
  }
}

Status LeaseManager::Persist(const LeaseEntry& entry) {
  return view_->Put(std::string(kIdPrefix) + entry.id, boost::json::serialize(entry.ToJson()));
}

StatusOr<LeaseEntry> LeaseManager::Create(const LeaseParams& params) {
  LeaseEntry entry;
  std::string base = params.path;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  entry.id = base + "/" + crypto::RandomBase62(24);
  entry.mount_path = params.mount_path;
  entry.path = params.path;
  entry.issue_time = clock_.Now();
  seconds max_ttl = params.max_ttl.count() > 0 ? params.max_ttl : params.ttl;
  entry.ttl = std::min(params.ttl, max_ttl);
  entry.expire_time = entry.issue_time + entry.ttl;
  entry.max_expire_time = entry.issue_time + max_ttl;
  entry.renewable = params.renewable;
  entry.internal_data = params.internal_data;
  entry.token_accessor = params.token_accessor;

  std::lock_guard<std::mutex> lock(mutex_);
  if (view_ == nullptr) {
    return SealedError();
  }
  CELLAR_RETURN_IF_ERROR(Persist(entry));
  State state;
  state.entry = entry;
  state.due = entry.expire_time;
  leases_.emplace(entry.id, std::move(state));
  ScheduleLocked(entry.id, entry.expire_time);
  return entry;
}

StatusOr<LeaseEntry> LeaseManager::Lookup(std::string_view id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = leases_.find(id);
  if (it == leases_.end()) {
    return InvalidArgumentError("invalid lease");
  }
  return it->second.entry;
}

StatusOr<LeaseEntry> LeaseManager::RenewedLocked(std::string_view id, seconds increment) const {
  auto it = leases_.find(id);
  if (it == leases_.end() || it->second.revoking) {
    return InvalidArgumentError("invalid lease");
  }
  const LeaseEntry& entry = it->second.entry;
  if (!entry.renewable) {
    return InvalidArgumentError("lease is not renewable");
  }
  TimePoint now = clock_.Now();
  if (now >= entry.expire_time) {
    return InvalidArgumentError("lease expired");
  }
  seconds want = increment.count() > 0 ? increment : entry.ttl;
  seconds left = std::chrono::duration_cast<seconds>(entry.max_expire_time - now);
  seconds ttl = std::min(want, left);
  if (ttl.count() <= 0) {
    return InvalidArgumentError("lease is past its max TTL");
  }
  LeaseEntry updated = entry;
  updated.expire_time = now + ttl;
  updated.last_renewal = now;
  return updated;
}

StatusOr<LeaseEntry> LeaseManager::PlanRenewal(std::string_view id, seconds increment) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return RenewedLocked(id, increment);
}

StatusOr<LeaseEntry> LeaseManager::Renew(std::string_view id, seconds increment) {
  std::lock_guard<std::mutex> lock(mutex_);
  CELLAR_ASSIGN_OR_RETURN(LeaseEntry updated, RenewedLocked(id, increment));
  CELLAR_RETURN_IF_ERROR(Persist(updated));
  auto it = leases_.find(id);
  LeaseEntry& entry = it->second.entry;
  entry = updated;
  it->second.due = updated.expire_time;
  ScheduleLocked(updated.id, updated.expire_time);
  return updated;
}

Status LeaseManager::RevokeOne(const std::string& id, bool force) {
  LeaseEntry entry;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = leases_.find(id);
    if (it == leases_.end() || it->second.revoking) {
      return OkStatus();  // unknown, or another thread is already on it
    }
    it->second.revoking = true;
    entry = it->second.entry;
  }
  Status revoked = revoker_(entry);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = leases_.find(id);
  if (it == leases_.end()) {
    return OkStatus();
  }
  if (!revoked.ok() && !force) {
    State& state = it->second;
    state.revoking = false;
    state.attempts++;
    state.due = clock_.Now() + Backoff(state.attempts);
    ScheduleLocked(id, state.due);
    spdlog::warn("revoking lease {} failed (attempt {}): {}", id, state.attempts,
                 revoked.ToString());
    return revoked;
  }
  if (view_ != nullptr) {
    Status deleted = view_->Delete(std::string(kIdPrefix) + id);
    if (!deleted.ok()) {
      it->second.revoking = false;
      return deleted;
    }
  }
  leases_.erase(it);
  return OkStatus();
}

Status LeaseManager::Revoke(std::string_view id) { return RevokeOne(std::string(id), false); }

Status LeaseManager::RevokePrefix(std::string_view prefix) { return RevokeUnder(prefix, false); }

Status LeaseManager::RevokeForce(std::string_view prefix) { return RevokeUnder(prefix, true); }

Status LeaseManager::RevokeUnder(std::string_view prefix, bool force) {
  std::vector<std::string> ids;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = leases_.lower_bound(prefix); it != leases_.end(); ++it) {
      if (!it->first.starts_with(prefix)) {
        break;
      }
      ids.push_back(it->first);
    }
  }
  Status first;
  for (const std::string& id : ids) {
    Status s = RevokeOne(id, force);
    if (!s.ok() && first.ok()) {
      first = s;
    }
  }
  return first;
}

void LeaseManager::RevokeByToken(std::string_view accessor) {
  if (accessor.empty()) {
    return;
  }
  std::vector<std::string> ids;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [id, state] : leases_) {
      if (state.entry.token_accessor == accessor) {
        ids.push_back(id);
      }
    }
  }
  for (const std::string& id : ids) {
    (void)RevokeOne(id, false);  // a failure is rescheduled with backoff inside RevokeOne
  }
}

std::vector<std::string> LeaseManager::ListKeys(std::string_view prefix) const {
  std::vector<std::string> out;
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto it = leases_.lower_bound(prefix); it != leases_.end(); ++it) {
    std::string_view id = it->first;
    if (!id.starts_with(prefix)) {
      break;
    }
    std::string_view rest = id.substr(prefix.size());
    size_t slash = rest.find('/');
    std::string key(slash == std::string_view::npos ? rest : rest.substr(0, slash + 1));
    if (out.empty() || out.back() != key) {
      out.push_back(std::move(key));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

size_t LeaseManager::RunExpired() {
  std::vector<std::string> due;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    TimePoint now = clock_.Now();
    while (!queue_.empty() && queue_.top().due <= now) {
      QueueItem item = queue_.top();
      queue_.pop();
      auto it = leases_.find(item.id);
      // Stale items (renewed or already revoked leases) are skipped: the heap is never searched.
      if (it == leases_.end() || it->second.due != item.due || it->second.revoking) {
        continue;
      }
      due.push_back(item.id);
    }
  }
  size_t revoked = 0;
  for (const std::string& id : due) {
    if (RevokeOne(id, false).ok()) {
      revoked++;
    }
  }
  return revoked;
}

size_t LeaseManager::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return leases_.size();
}

}  // namespace cellar::core
