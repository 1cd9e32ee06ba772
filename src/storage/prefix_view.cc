// src/storage/prefix_view.cc: prefixes keys on the way in; List results are already relative.
#include "storage/prefix_view.h"

namespace cellar::storage {

StatusOr<std::optional<std::string>> PrefixView::Get(std::string_view key) {
  return inner_.Get(Full(key));
}

Status PrefixView::Put(std::string_view key, std::string_view value) {
  return inner_.Put(Full(key), value);
}

Status PrefixView::Delete(std::string_view key) { return inner_.Delete(Full(key)); }

StatusOr<std::vector<std::string>> PrefixView::List(std::string_view prefix) {
  return inner_.List(Full(prefix));
}

Status PrefixView::Commit(std::span<const WriteOp> ops) {
  std::vector<WriteOp> prefixed;
  prefixed.reserve(ops.size());
  for (const WriteOp& op : ops) {
    prefixed.push_back(WriteOp{op.kind, Full(op.key), op.value});
  }
  return inner_.Commit(prefixed);
}

}  // namespace cellar::storage
