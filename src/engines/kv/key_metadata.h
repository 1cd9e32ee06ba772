// src/engines/kv/key_metadata.h: KV v2's per-mount config and per-key metadata (versions, CAS,
// custom metadata), their storage encoding and their API views.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status_or.h"

namespace cellar::engines::kv {

inline constexpr int64_t kDefaultMaxVersions = 10;

// The mount's `config` path. Zero values mean "unset" (max_versions 0 = 10).
struct KvConfig {
  int64_t max_versions = 0;
  bool cas_required = false;
  int64_t delete_version_after = 0;  // seconds; 0 = never

  boost::json::object ToJson() const;  // storage form
  static StatusOr<KvConfig> Parse(std::string_view stored);
  boost::json::object View() const;  // GET config
};

struct VersionInfo {
  int64_t created_ns = 0;
  int64_t deletion_ns = 0;  // 0 = not deleted; may lie in the future (delete_version_after)
  bool destroyed = false;

  bool DeletedAt(TimePoint now) const;
};

// One record per key; each version's data is a separate record (see kv_v2.h for the keys).
struct KeyMetadata {
  int64_t created_ns = 0;
  int64_t updated_ns = 0;
  int64_t current_version = 0;
  int64_t oldest_version = 0;
  int64_t max_versions = 0;  // 0 = the mount's
  bool cas_required = false;
  int64_t delete_version_after = 0;  // seconds; 0 = the mount's
  boost::json::object custom_metadata;
  std::map<int64_t, VersionInfo> versions;

  std::string Serialize() const;
  static StatusOr<KeyMetadata> Parse(std::string_view stored);

  // GET metadata/:p.
  boost::json::object View() const;
  // VM: {created_time, custom_metadata, deletion_time, destroyed, version} of one kept version.
  boost::json::object VersionView(int64_t version) const;

  int64_t EffectiveMaxVersions(const KvConfig& config) const;
  int64_t EffectiveDeleteVersionAfter(const KvConfig& config) const;
  bool CasRequired(const KvConfig& config) const { return cas_required || config.cas_required; }

  // Records version current_version + 1 created at `now`, then forgets versions past the limit.
  // Returns the versions dropped, whose data records the caller deletes.
  std::vector<int64_t> AddVersion(TimePoint now, const KvConfig& config);

  // Forgets versions older than the newest EffectiveMaxVersions; returns them.
  std::vector<int64_t> Prune(const KvConfig& config);
};

// custom_metadata limits as Vault: at most 64 keys, keys up to 128 bytes, values up to 512.
Status ValidateCustomMetadata(const boost::json::object& custom);

}  // namespace cellar::engines::kv
