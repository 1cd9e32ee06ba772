// src/core/policy_store.h: ACL policies kept in storage, with a parsed cache and change counter.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"
#include "core/policy.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::core {

// CRUD over a storage view (the core hands in the namespace's barrier view; keys are
// "acl/<name>"). `root` is built in, immutable and never stored; `default` is editable and
// undeletable, its built-in text served until someone writes it. Thread-safe.
//
// Every change bumps generation(), which AclCache compares to drop compiled ACLs, and calls the
// listeners registered with OnChange (after the write is durable).
class PolicyStore {
 public:
  explicit PolicyStore(storage::Storage& view);
  PolicyStore(const PolicyStore&) = delete;
  PolicyStore& operator=(const PolicyStore&) = delete;

  // The parsed policy. `root` answers an empty policy named "root" (Acl treats it as allow-all).
  // Errors: NotFound when absent, InvalidArgument for a bad name, storage errors as they come.
  StatusOr<std::shared_ptr<const Policy>> Get(std::string_view name);

  // Parses and stores `text` (HCL, JSON or base64) under `name` (lower-cased). Returns the
  // parser's warnings. Errors: InvalidArgument for a bad name, unparsable text ("policy:3:5: ..."),
  // or `root` ("cannot update the root policy").
  StatusOr<std::vector<std::string>> Set(std::string_view name, std::string_view text);

  // Removes `name`; absent is OK. Errors: InvalidArgument for `root` and `default`.
  Status Delete(std::string_view name);

  // Every name, sorted, `default` and `root` included.
  StatusOr<std::vector<std::string>> List();

  // Bumped by every Set, Delete and Invalidate.
  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Drops the parsed cache (e.g. after unseal, or when another node changed storage).
  void Invalidate();

  // `listener(name)` runs after each change ("" for Invalidate). Register before serving.
  void OnChange(std::function<void(const std::string& name)> listener);

 private:
  void Changed(const std::string& name);

  storage::Storage& view_;
  std::atomic<uint64_t> generation_{1};
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Policy>, std::less<>> cache_;  // guarded by mutex_
  std::vector<std::function<void(const std::string&)>> listeners_;
};

}  // namespace cellar::core
