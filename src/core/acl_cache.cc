// src/core/acl_cache.cc: looks up or compiles the ACL for a set of policy names.
#include "core/acl_cache.h"

#include <algorithm>

#include "core/policy_store.h"

namespace cellar::core {

AclCache::AclCache(PolicyStore& store, size_t max_entries)
    : store_(store), max_entries_(max_entries) {}

StatusOr<std::shared_ptr<const Acl>> AclCache::Get(const std::vector<std::string>& policy_names) {
  // Token entries keep their policies sorted and unique, so the copy is usually not needed.
  std::vector<std::string> normalized;
  const std::vector<std::string>* sorted = &policy_names;
  if (!std::is_sorted(policy_names.begin(), policy_names.end()) ||
      std::adjacent_find(policy_names.begin(), policy_names.end()) != policy_names.end()) {
    normalized = policy_names;
    std::sort(normalized.begin(), normalized.end());
    normalized.erase(std::unique(normalized.begin(), normalized.end()), normalized.end());
    sorted = &normalized;
  }
  const std::vector<std::string>& names = *sorted;
  std::string key;
  for (const std::string& name : names) {
    key += name;
    key.push_back('\n');
  }
  uint64_t generation = store_.generation();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (generation_ != generation) {
      entries_.clear();
      generation_ = generation;
    }
    if (auto it = entries_.find(key); it != entries_.end()) {
      return it->second;
    }
  }
  std::vector<std::shared_ptr<const Policy>> policies;
  for (const std::string& name : names) {
    StatusOr<std::shared_ptr<const Policy>> policy = store_.Get(name);
    if (policy.ok()) {
      policies.push_back(*policy);
    } else if (policy.status().code() != StatusCode::kNotFound &&
               policy.status().code() != StatusCode::kInvalidArgument) {
      return policy.status();
    }
  }
  std::vector<const Policy*> raw;
  for (const auto& p : policies) {
    raw.push_back(p.get());
  }
  std::shared_ptr<const Acl> acl = Acl::Compile(raw);
  std::lock_guard<std::mutex> lock(mutex_);
  // Only cache what was compiled from the generation we read; a newer one clears on next Get.
  if (generation_ == generation && store_.generation() == generation) {
    if (entries_.size() >= max_entries_) {
      entries_.clear();
    }
    entries_[key] = acl;
  }
  return acl;
}

size_t AclCache::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

}  // namespace cellar::core
