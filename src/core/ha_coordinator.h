// src/core/ha_coordinator.h: one node's side of the HA election: a thread that takes the lock
// while standby (then makes the node active) and watches it while active (stepping down when
// it is lost).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "base/status.h"
#include "storage/ha_lock.h"

namespace cellar::core {

class HaCoordinator {
 public:
  struct Hooks {
    // Called on the election thread once the lock is taken; an error gives the lock back.
    std::function<Status()> become_active;
    // Called on the election thread when the lock is lost.
    std::function<void()> become_standby;
  };

  // `lock` must outlive this. `self_address` is what the other nodes redirect clients to.
  HaCoordinator(storage::HaLock& lock, std::string self_address, std::chrono::milliseconds interval,
                Hooks hooks);
  ~HaCoordinator();  // Stop()

  // Reads who is active, then starts campaigning on a thread (the node is unsealed and
  // standby). No-op while running.
  void Start();
  // Stops the thread and gives the lock up. Does not call become_standby: the caller is
  // sealing the node. Must not be called from the hooks.
  void Stop();

  // sys/step-down: if active, give the lock up on the election thread (this node becomes a
  // standby) and wait a few rounds before campaigning again, so another node takes over.
  void StepDown();

  bool active() const;
  const std::string& self_address() const { return self_address_; }
  // The active node as last seen (refreshed every interval while standby; this node's address
  // while active). Empty address: no active node.
  storage::HaLeader leader() const;

 private:
  void Run();
  using Clock = std::chrono::steady_clock;
  // One round of the loop; returns how long to wait before the next.
  std::chrono::milliseconds Step();
  // Reads who is active into leader_; returns interval_.
  std::chrono::milliseconds RefreshLeader();

  storage::HaLock& lock_;
  const std::string self_address_;
  const std::chrono::milliseconds interval_;
  const Hooks hooks_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;     // guarded by mutex_
  bool active_ = false;       // guarded by mutex_
  bool step_down_ = false;    // guarded by mutex_
  storage::HaLeader leader_;  // guarded by mutex_
  // No campaigning before this (after stepping down or failing to become active); only the
  // election thread touches it.
  Clock::time_point hold_off_until_;
  std::thread thread_;
};

}  // namespace cellar::core
