// src/storage/memory_storage.h: an in-memory Storage for dev mode and tests.
#pragma once

#include <map>
#include <shared_mutex>

#include "storage/storage.h"

namespace cellar::storage {

// Thread-safe; everything is lost when it is destroyed.
class MemoryStorage : public Storage {
 public:
  StatusOr<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  StatusOr<std::vector<std::string>> List(std::string_view prefix) override;
  Status Commit(std::span<const WriteOp> ops) override;
  std::string_view Type() const override { return "inmem"; }

 private:
  std::shared_mutex mutex_;
  std::map<std::string, std::string, std::less<>> entries_;  // guarded by mutex_
};

// Shared by backends: the immediate children of `prefix` among sorted `keys` that start with it.
// Appends "name/" once for a folder, "name" for a leaf.
void AppendChildren(std::string_view prefix, std::string_view key, std::vector<std::string>& out);

}  // namespace cellar::storage
