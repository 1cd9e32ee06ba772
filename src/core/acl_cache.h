// src/core/acl_cache.h: compiled ACLs per policy set, rebuilt only when a policy changes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status_or.h"
#include "core/acl.h"

namespace cellar::core {

class PolicyStore;

// The request path asks here for a token's ACL: a hit costs one map lookup and no HCL parsing.
// Entries are keyed by the sorted, de-duplicated policy names and belong to one PolicyStore
// generation; any policy change empties the cache. Thread-safe; returned ACLs are immutable.
class AclCache {
 public:
  explicit AclCache(PolicyStore& store, size_t max_entries = 4096);

  // The ACL of `policy_names` (any order, duplicates allowed). Names without a stored policy are
  // skipped, as Vault does. "root" yields the allow-all ACL. Errors: storage failures and stored
  // policies that no longer parse (Internal).
  StatusOr<std::shared_ptr<const Acl>> Get(const std::vector<std::string>& policy_names);

  // Number of cached entries (tests).
  size_t size() const;

 private:
  PolicyStore& store_;
  size_t max_entries_;
  mutable std::mutex mutex_;
  uint64_t generation_ = 0;                                    // guarded by mutex_
  std::map<std::string, std::shared_ptr<const Acl>> entries_;  // guarded by mutex_
};

}  // namespace cellar::core
