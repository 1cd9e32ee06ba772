// src/core/seal_config.h: the seal's stored configuration (share counts, cluster identity).
#pragma once

#include <string>
#include <string_view>

#include "base/status_or.h"

namespace cellar::core {

// Stored in plaintext at kPath, because sys/seal-status must show it while sealed.
struct SealConfig {
  static constexpr std::string_view kPath = "core/barrier/seal-config";

  int secret_shares = 0;
  int secret_threshold = 0;
  std::string cluster_id;    // a UUID chosen at init
  std::string cluster_name;  // "cellar-cluster-<8 hex>"

  // "shares=5\nthreshold=3\ncluster_id=...\ncluster_name=...\n"
  std::string Serialize() const;
  // kInternal when malformed.
  static StatusOr<SealConfig> Parse(std::string_view text);
};

}  // namespace cellar::core
