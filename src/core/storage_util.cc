// src/core/storage_util.cc: mount views and recursive delete.
#include "core/storage_util.h"

#include <vector>

#include "base/status_macros.h"
#include "storage/prefix_view.h"

namespace cellar::core {

std::unique_ptr<storage::Storage> NewPrefixedStorage(storage::Storage* base, std::string prefix) {
  return std::make_unique<storage::PrefixView>(*base, std::move(prefix));
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
