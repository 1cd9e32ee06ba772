// src/core/mount_table.cc: longest-prefix matching over a mount snapshot.
#include "core/mount_table.h"

#include <algorithm>

namespace cellar::core {

MountSystemView::MountSystemView(const Clock& clock, std::chrono::seconds system_default,
                                 std::chrono::seconds system_max, MountConfig config)
    : clock_(clock), system_default_(system_default), system_max_(system_max) {
  SetConfig(config);
}

framework::Seconds MountSystemView::MaxLeaseTtl() const {
  int64_t max = max_ttl_.load();
  return max > 0 ? framework::Seconds(max) : system_max_;
}

framework::Seconds MountSystemView::DefaultLeaseTtl() const {
  int64_t def = default_ttl_.load();
  framework::Seconds ttl = def > 0 ? framework::Seconds(def) : system_default_;
  return std::min(ttl, MaxLeaseTtl());
}

void MountSystemView::SetConfig(const MountConfig& config) {
  default_ttl_.store(config.default_lease_ttl.count());
  max_ttl_.store(config.max_lease_ttl.count());
}

MountTable::MountTable(std::vector<std::shared_ptr<const Mount>> mounts)
    : mounts_(std::move(mounts)) {
  std::sort(mounts_.begin(), mounts_.end(),
            [](const auto& a, const auto& b) { return a->route_path < b->route_path; });
  by_length_ = mounts_;
  std::stable_sort(by_length_.begin(), by_length_.end(), [](const auto& a, const auto& b) {
    return a->route_path.size() > b->route_path.size();
  });
}

std::shared_ptr<const Mount> MountTable::Match(std::string_view path) const {
  for (const auto& mount : by_length_) {
    std::string_view route = mount->route_path;
    if (path.starts_with(route)) {
      return mount;
    }
    // "secret" (no slash) addresses the mount root "secret/".
    if (path.size() + 1 == route.size() && route.starts_with(path)) {
      return mount;
    }
  }
  return nullptr;
}

std::shared_ptr<const Mount> MountTable::Find(std::string_view route_path) const {
  for (const auto& mount : mounts_) {
    if (mount->route_path == route_path) {
      return mount;
    }
  }
  return nullptr;
}

std::string MountTable::Conflict(std::string_view route_path) const {
  for (const auto& mount : mounts_) {
    std::string_view existing = mount->route_path;
    if (route_path.starts_with(existing) || existing.starts_with(route_path)) {
      return mount->route_path;
    }
  }
  return "";
}

}  // namespace cellar::core
