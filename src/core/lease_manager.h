// src/core/lease_manager.h: leases on secrets (API.md §7): ids, TTLs, renew, revoke, lookup,
// persistence in the barrier, and expiry-driven revocation from one timer thread.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/status_or.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::core {

struct LeaseEntry {
  std::string id;          // "database/creds/app/Xq3..." (<mount><path>/<24 base62>)
  std::string mount_path;  // route path of the issuing mount: "database/"
  std::string path;        // the request path that created it: "database/creds/app"
  TimePoint issue_time;
  TimePoint expire_time;
  TimePoint last_renewal;  // epoch (0) until renewed
  TimePoint max_expire_time;
  std::chrono::seconds ttl{0};  // the TTL granted at creation (the default renew increment)
  bool renewable = true;
  boost::json::object internal_data;  // handed back to the backend's RevokeLease/RenewLease
  std::string token_accessor;         // the token that created it ("" for none)

  boost::json::object ToJson() const;
  static StatusOr<LeaseEntry> FromJson(const boost::json::object& json);
  // sys/leases/lookup: {id, issue_time, expire_time, last_renewal, renewable, ttl}.
  boost::json::object ToLookup(TimePoint now) const;
};

// Parameters of a new lease; TTLs already resolved by the caller against the mount.
struct LeaseParams {
  std::string mount_path;
  std::string path;
  std::chrono::seconds ttl{0};      // > 0
  std::chrono::seconds max_ttl{0};  // > 0; ttl is capped to it
  bool renewable = true;
  boost::json::object internal_data;
  std::string token_accessor;
};

// Thread-safe. The revoker is called without the internal lock held.
class LeaseManager {
 public:
  // Ends a lease at its backend (Backend::RevokeLease through the router). An error makes the
  // timer retry with exponential backoff.
  using Revoker = std::function<Status(const LeaseEntry&)>;

  LeaseManager(const Clock& clock, Revoker revoker);
  ~LeaseManager();  // stops the timer thread

  // On unseal: loads every lease from `view` (the barrier under "sys/expire/"), schedules them
  // and revokes the ones that expired while sealed. `view` must stay valid until Clear().
  Status Load(storage::Storage* view);
  // On seal: forgets loaded leases (they stay in storage).
  void Clear();

  // Starts / stops the timer thread (one thread; sleeps until the earliest expiry).
  void StartTimer();
  void StopTimer();

  // Lets the same timer thread serve another expiry source (the token store): `next` answers its
  // earliest deadline, `run` is called once that has passed. Both are called without this
  // manager's lock held. Set before StartTimer.
  void SetExtraTimer(std::function<std::optional<TimePoint>()> next, std::function<void()> run);
  // Makes the timer re-read its deadlines now (an earlier one appeared). Cheap; any thread.
  void Wake();

  // Creates and persists a lease. Errors: Sealed when not loaded, storage errors.
  StatusOr<LeaseEntry> Create(const LeaseParams& params);

  // InvalidArgument "invalid lease" when unknown.
  StatusOr<LeaseEntry> Lookup(std::string_view id) const;

  // TTL = min(increment, or the original TTL when 0, time left to the max). InvalidArgument when
  // unknown, not renewable, or past its max TTL.
  StatusOr<LeaseEntry> Renew(std::string_view id, std::chrono::seconds increment);
  // The lease as Renew would leave it now, without changing anything (so the issuing backend can
  // extend what it issued first, and refuse). Same errors as Renew.
  StatusOr<LeaseEntry> PlanRenewal(std::string_view id, std::chrono::seconds increment) const;

  // Revokes at the backend, then forgets. Unknown: OK. Backend error: returned, lease kept.
  Status Revoke(std::string_view id);
  // Every lease whose id starts with `prefix`; the first error is returned after trying all.
  Status RevokePrefix(std::string_view prefix);
  // Every lease under `prefix`, dropped even when the backend fails.
  Status RevokeForce(std::string_view prefix);
  // Leases created by the token with `accessor`; failures are left to the timer's retries.
  void RevokeByToken(std::string_view accessor);

  // The children of `prefix` among lease ids (LIST sys/leases/lookup/:prefix): "a/" for folders.
  std::vector<std::string> ListKeys(std::string_view prefix) const;

  // Revokes every lease due now (expired, or a failed revocation whose retry time came); returns
  // how many were revoked. The timer thread calls it; tests call it with a FakeClock.
  size_t RunExpired();

  size_t size() const;

 private:
  struct State {
    LeaseEntry entry;
    TimePoint due;     // when the timer acts: expiry, or the next retry
    int attempts = 0;  // failed revocations so far
    bool revoking = false;
  };
  struct QueueItem {
    TimePoint due;
    std::string id;
    bool operator>(const QueueItem& o) const { return due > o.due; }
  };

  Status Persist(const LeaseEntry& entry);
  // The renewed form of lease `id` (mutex_ held), for Renew and PlanRenewal.
  StatusOr<LeaseEntry> RenewedLocked(std::string_view id, std::chrono::seconds increment) const;
  Status RevokeOne(const std::string& id, bool force);
  // Revokes every lease whose id starts with `prefix`; returns the first error, having tried all.
  Status RevokeUnder(std::string_view prefix, bool force);
  void ScheduleLocked(const std::string& id, TimePoint due);
  void TimerLoop();

  const Clock& clock_;
  const Revoker revoker_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  storage::Storage* view_ = nullptr;                  // guarded by mutex_
  std::map<std::string, State, std::less<>> leases_;  // guarded by mutex_
  std::priority_queue<QueueItem, std::vector<QueueItem>, std::greater<>> queue_;  // mutex_
  std::thread timer_;
  bool stop_ = false;            // guarded by mutex_
  bool wake_requested_ = false;  // guarded by mutex_
  std::function<std::optional<TimePoint>()> extra_next_;
  std::function<void()> extra_run_;
};

}  // namespace cellar::core
