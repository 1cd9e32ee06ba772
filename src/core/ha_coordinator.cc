// src/core/ha_coordinator.cc: the election loop.
#include "core/ha_coordinator.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace cellar::core {

HaCoordinator::HaCoordinator(storage::HaLock& lock, std::string self_address,
                             std::chrono::milliseconds interval, Hooks hooks)
    : lock_(lock),
      self_address_(std::move(self_address)),
      interval_(interval),
      hooks_(std::move(hooks)) {}

HaCoordinator::~HaCoordinator() { Stop(); }

void HaCoordinator::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) {
    return;
  }
  stopping_ = false;
  step_down_ = false;
  // Known before the first round, so a standby redirects as soon as it is unsealed.
  StatusOr<storage::HaLeader> leader = lock_.Leader();
  leader_ = leader.ok() ? *leader : storage::HaLeader{};
  thread_ = std::thread([this] { Run(); });
}

void HaCoordinator::Stop() {
  std::thread thread;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  wake_.notify_all();
  if (thread.joinable()) {
    thread.join();
  }
  lock_.Release();
  std::lock_guard lock(mutex_);
  active_ = false;
  leader_ = {};
}

void HaCoordinator::StepDown() {
  {
    std::lock_guard lock(mutex_);
    if (!active_) {
      return;
    }
    step_down_ = true;
  }
  wake_.notify_all();
}

bool HaCoordinator::active() const {
  std::lock_guard lock(mutex_);
  return active_;
}

storage::HaLeader HaCoordinator::leader() const {
  std::lock_guard lock(mutex_);
  return leader_;
}

void HaCoordinator::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    std::chrono::milliseconds wait = Step();
    lock.lock();
    wake_.wait_for(lock, wait, [this] { return stopping_ || step_down_; });
  }
}

std::chrono::milliseconds HaCoordinator::Step() {
  bool step_down = false;
  {
    std::lock_guard lock(mutex_);
    step_down = std::exchange(step_down_, false) && active_;
  }
  if (step_down) {
    spdlog::info("stepping down to standby, as asked");
    hooks_.become_standby();
    lock_.Release();
    std::lock_guard lock(mutex_);
    active_ = false;
    leader_ = {};
    hold_off_until_ = Clock::now() + interval_ * 3;  // time for a standby to take the lock
    return interval_;
  }
  if (active()) {
    if (lock_.StillHeld()) {
      return interval_;
    }
    spdlog::warn("HA lock lost: stepping down to standby");
    hooks_.become_standby();
    std::lock_guard lock(mutex_);
    active_ = false;
    leader_ = {};
    return interval_;
  }
  if (Clock::now() < hold_off_until_) {
    return RefreshLeader();
  }
  StatusOr<bool> taken = lock_.TryAcquire(self_address_);
  if (!taken.ok()) {
    spdlog::warn("HA election: {}", taken.status().message());
    return interval_;
  }
  if (*taken) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) {
        return interval_;  // Stop releases the lock
      }
    }
    if (Status became = hooks_.become_active(); !became.ok()) {
      spdlog::error("cannot become the active node: {}", became.message());
      lock_.Release();
      hold_off_until_ = Clock::now() + interval_ * 10;  // let another node try first
      return interval_;
    }
    StatusOr<storage::HaLeader> me = lock_.Leader();  // for the time it became active
    std::lock_guard lock(mutex_);
    active_ = true;
    leader_ = me.ok() && me->address == self_address_ ? *me : storage::HaLeader{self_address_, ""};
    spdlog::info("this node is now active ({})", self_address_);
    return interval_;
  }
  return RefreshLeader();
}

std::chrono::milliseconds HaCoordinator::RefreshLeader() {
  StatusOr<storage::HaLeader> leader = lock_.Leader();
  std::lock_guard lock(mutex_);
  leader_ = leader.ok() ? *leader : storage::HaLeader{};
  return interval_;
}

}  // namespace cellar::core
