// src/core/mount_table.h: an immutable snapshot of every mount and its live backend, used by
// routing without a lock (STYLE.md §8); MountManager swaps whole snapshots.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "core/mount_entry.h"
#include "framework/backend.h"
#include "storage/storage.h"

namespace cellar::core {

// What a backend sees of core: its mount's TTLs (tunable at run time) and the clock.
class MountSystemView : public framework::SystemView {
 public:
  MountSystemView(const Clock& clock, std::chrono::seconds system_default,
                  std::chrono::seconds system_max, MountConfig config);

  // The mount's default, else the system's; never above MaxLeaseTtl().
  framework::Seconds DefaultLeaseTtl() const override;
  // The mount's max, else the system's.
  framework::Seconds MaxLeaseTtl() const override;
  const Clock& clock() const override { return clock_; }

  // sys/mounts/:p/tune; visible to requests already running.
  void SetConfig(const MountConfig& config);

 private:
  const Clock& clock_;
  const std::chrono::seconds system_default_;
  const std::chrono::seconds system_max_;
  std::atomic<int64_t> default_ttl_;
  std::atomic<int64_t> max_ttl_;
};

// A mount's live parts. The backend is destroyed before the view and system view it points to.
struct MountRuntime {
  std::unique_ptr<storage::Storage> view;
  std::unique_ptr<MountSystemView> system;
  std::unique_ptr<framework::Backend> backend;
  std::vector<std::string> unauthenticated_paths;  // relative, '*' suffix allowed

  MountRuntime() = default;
  MountRuntime(const MountRuntime&) = delete;
  MountRuntime& operator=(const MountRuntime&) = delete;
  ~MountRuntime() { backend.reset(); }
};

struct Mount {
  MountEntry entry;
  std::string route_path;  // entry.RoutePath()
  std::shared_ptr<MountRuntime> runtime;
};

// Immutable; safe to share across threads.
class MountTable {
 public:
  MountTable() = default;
  explicit MountTable(std::vector<std::shared_ptr<const Mount>> mounts);

  // The mount with the longest route path that prefixes `path` ("secret/" matches "secret/a"
  // and also "secret", so a request on the mount root routes). nullptr when none.
  std::shared_ptr<const Mount> Match(std::string_view path) const;

  // The mount whose route path is exactly `route_path`, or nullptr.
  std::shared_ptr<const Mount> Find(std::string_view route_path) const;

  // The route path of an existing mount that `route_path` would overlap (equal, inside or
  // containing), or "" when it is free.
  std::string Conflict(std::string_view route_path) const;

  // Sorted by route path.
  const std::vector<std::shared_ptr<const Mount>>& mounts() const { return mounts_; }

 private:
  std::vector<std::shared_ptr<const Mount>> mounts_;
  std::vector<std::shared_ptr<const Mount>> by_length_;  // longest route path first
};

}  // namespace cellar::core
