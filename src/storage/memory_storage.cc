// src/storage/memory_storage.cc: a sorted map behind a reader/writer lock.
#include "storage/memory_storage.h"

#include <mutex>

namespace cellar::storage {

void AppendChildren(std::string_view prefix, std::string_view key, std::vector<std::string>& out) {
  std::string_view rest = key.substr(prefix.size());
  size_t slash = rest.find('/');
  std::string_view child = slash == std::string_view::npos ? rest : rest.substr(0, slash + 1);
  if (child.empty()) {
    return;
  }
  // Keys arrive sorted, so a folder's entries are adjacent and the last child is the only duplicate.
  if (!out.empty() && out.back() == child) {
    return;
  }
  out.emplace_back(child);
}

StatusOr<std::optional<std::string>> MemoryStorage::Get(std::string_view key) {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(it->second);
}

Status MemoryStorage::Put(std::string_view key, std::string_view value) {
  std::unique_lock lock(mutex_);
  entries_.insert_or_assign(std::string(key), std::string(value));
  return OkStatus();
}

Status MemoryStorage::Delete(std::string_view key) {
  std::unique_lock lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    entries_.erase(it);
  }
  return OkStatus();
}

StatusOr<std::vector<std::string>> MemoryStorage::List(std::string_view prefix) {
  std::shared_lock lock(mutex_);
  std::vector<std::string> out;
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() && std::string_view(it->first).starts_with(prefix); ++it) {
    AppendChildren(prefix, it->first, out);
  }
  return out;
}

Status MemoryStorage::Commit(std::span<const WriteOp> ops) {
  std::unique_lock lock(mutex_);
  for (const WriteOp& op : ops) {
    if (op.kind == WriteOp::Kind::kPut) {
      entries_.insert_or_assign(op.key, op.value);
    } else {
      entries_.erase(op.key);
    }
  }
  return OkStatus();
}

}  // namespace cellar::storage
