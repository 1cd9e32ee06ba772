// src/storage/prefix_view.h: a Storage that shows one sub-tree of another (per-mount views).
#pragma once

#include <string>

#include "storage/storage.h"

namespace cellar::storage {

// Every key is `prefix` + the caller's key in `inner`; List and Get never see outside the
// sub-tree. `prefix` normally ends in '/' ("logical/<uuid>/"). Does not own `inner`, which must
// outlive the view. Thread-safe as `inner` is. Close() is a no-op: the inner storage is shared.
class PrefixView : public Storage {
 public:
  PrefixView(Storage& inner, std::string prefix) : inner_(inner), prefix_(std::move(prefix)) {}

  StatusOr<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  StatusOr<std::vector<std::string>> List(std::string_view prefix) override;
  Status Commit(std::span<const WriteOp> ops) override;
  std::string_view Type() const override { return inner_.Type(); }

  const std::string& prefix() const { return prefix_; }

 private:
  // One allocation: prefix_ + std::string(key) would make a temporary of the key first.
  std::string Full(std::string_view key) const {
    std::string full;
    full.reserve(prefix_.size() + key.size());
    return full.append(prefix_).append(key);
  }

  Storage& inner_;
  const std::string prefix_;
};

}  // namespace cellar::storage
