// src/storage/buffered_transaction.cc: a sorted write buffer merged over the inner storage.
#include "storage/buffered_transaction.h"

#include <algorithm>
#include <mutex>

#include "base/status_macros.h"
#include "storage/memory_storage.h"

namespace cellar::storage {

StatusOr<std::optional<std::string>> BufferedTransaction::Get(std::string_view key) {
  std::shared_lock lock(mutex_);
  auto it = pending_.find(key);
  if (it != pending_.end()) {
    return it->second;
  }
  return inner_.Get(key);
}

Status BufferedTransaction::Put(std::string_view key, std::string_view value) {
  std::unique_lock lock(mutex_);
  pending_.insert_or_assign(std::string(key), std::optional<std::string>(value));
  return OkStatus();
}

Status BufferedTransaction::Delete(std::string_view key) {
  std::unique_lock lock(mutex_);
  pending_.insert_or_assign(std::string(key), std::nullopt);
  return OkStatus();
}

Status BufferedTransaction::Commit(std::span<const WriteOp> ops) {
  std::unique_lock lock(mutex_);
  for (const WriteOp& op : ops) {
    if (op.kind == WriteOp::Kind::kPut) {
      pending_.insert_or_assign(op.key, std::optional<std::string>(op.value));
    } else {
      pending_.insert_or_assign(op.key, std::nullopt);
    }
  }
  return OkStatus();
}

StatusOr<bool> BufferedTransaction::InnerFolderSurvives(const std::string& folder) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> children, inner_.List(folder));
  for (const std::string& child : children) {
    std::string full = folder + child;
    if (child.ends_with('/')) {
      CELLAR_ASSIGN_OR_RETURN(bool survives, InnerFolderSurvives(full));
      if (survives) {
        return true;
      }
    } else {
      auto it = pending_.find(full);
      if (it == pending_.end() || it->second.has_value()) {
        return true;
      }
    }
  }
  return false;
}

StatusOr<std::vector<std::string>> BufferedTransaction::List(std::string_view prefix) {
  std::shared_lock lock(mutex_);
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> inner_children, inner_.List(prefix));
  std::vector<std::string> out;
  for (std::string& child : inner_children) {
    std::string full = std::string(prefix) + child;
    if (child.ends_with('/')) {
      // A folder vanishes only if the buffer deleted every key in it; check only when some
      // buffered delete falls inside it.
      bool has_delete = false;
      for (auto it = pending_.lower_bound(full);
           it != pending_.end() && std::string_view(it->first).starts_with(full); ++it) {
        if (!it->second.has_value()) {
          has_delete = true;
          break;
        }
      }
      if (has_delete) {
        CELLAR_ASSIGN_OR_RETURN(bool survives, InnerFolderSurvives(full));
        if (!survives) {
          continue;  // buffered puts inside it, if any, re-add it below
        }
      }
    } else {
      auto it = pending_.find(full);
      if (it != pending_.end() && !it->second.has_value()) {
        continue;
      }
    }
    out.push_back(std::move(child));
  }
  std::vector<std::string> added;
  for (auto it = pending_.lower_bound(prefix);
       it != pending_.end() && std::string_view(it->first).starts_with(prefix); ++it) {
    if (it->second.has_value()) {
      AppendChildren(prefix, it->first, added);
    }
  }
  out.insert(out.end(), added.begin(), added.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status BufferedTransaction::Apply() {
  std::unique_lock lock(mutex_);
  std::vector<WriteOp> ops;
  ops.reserve(pending_.size());
  for (const auto& [key, value] : pending_) {
    if (value.has_value()) {
      ops.push_back(WriteOp{WriteOp::Kind::kPut, key, *value});
    } else {
      ops.push_back(WriteOp{WriteOp::Kind::kDelete, key, {}});
    }
  }
  CELLAR_RETURN_IF_ERROR(inner_.Commit(ops));
  pending_.clear();
  return OkStatus();
}

void BufferedTransaction::Discard() {
  std::unique_lock lock(mutex_);
  pending_.clear();
}

size_t BufferedTransaction::pending_count() const {
  std::shared_lock lock(mutex_);
  return pending_.size();
}

}  // namespace cellar::storage
