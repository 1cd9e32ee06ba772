// src/core/storage_util.cc: prefixed storage view and recursive delete.
#include "core/storage_util.h"

#include <vector>

#include "base/status_macros.h"

namespace cellar::core {
namespace {

class PrefixedStorage : public storage::Storage {
 public:
  PrefixedStorage(storage::Storage* base, std::string prefix)
      : base_(base), prefix_(std::move(prefix)) {}

  StatusOr<std::optional<std::string>> Get(std::string_view key) override {
    return base_->Get(prefix_ + std::string(key));
  }
  Status Put(std::string_view key, std::string_view value) override {
    return base_->Put(prefix_ + std::string(key), value);
  }
  Status Delete(std::string_view key) override { return base_->Delete(prefix_ + std::string(key)); }
  StatusOr<std::vector<std::string>> List(std::string_view prefix) override {
    return base_->List(prefix_ + std::string(prefix));
  }
  Status Commit(std::span<const storage::WriteOp> ops) override {
    std::vector<storage::WriteOp> prefixed(ops.begin(), ops.end());
    for (storage::WriteOp& op : prefixed) {
      op.key = prefix_ + op.key;
    }
    return base_->Commit(prefixed);
  }
  std::string_view Type() const override { return base_->Type(); }

 private:
  storage::Storage* base_;
  const std::string prefix_;
};

}  // namespace

std::unique_ptr<storage::Storage> NewPrefixedStorage(storage::Storage* base, std::string prefix) {
  return std::make_unique<PrefixedStorage>(base, std::move(prefix));
}

Status DeleteTree(storage::Storage& storage, std::string_view prefix) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> children, storage.List(prefix));
  for (const std::string& child : children) {
    std::string key = std::string(prefix) + child;
    if (!child.empty() && child.back() == '/') {
      CELLAR_RETURN_IF_ERROR(DeleteTree(storage, key));
      // A key may also sit at the folder's own name ("a/b" beside "a/b/c"); List shows it once.
      CELLAR_RETURN_IF_ERROR(storage.Delete(key.substr(0, key.size() - 1)));
    } else {
      CELLAR_RETURN_IF_ERROR(storage.Delete(key));
    }
  }
  return OkStatus();
}

}  // namespace cellar::core
