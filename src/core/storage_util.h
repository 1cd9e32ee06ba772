// src/core/storage_util.h: small storage helpers core needs (mount views, recursive delete).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "storage/storage.h"

namespace cellar::core {

// A view of `base` under `prefix` (ends in '/'): keys are relative, nothing outside is reachable.
// `base` must outlive the view. Thread-safe as `base` is.
std::unique_ptr<storage::Storage> NewPrefixedStorage(storage::Storage* base, std::string prefix);

// Deletes every key under `prefix` ("" or ending in '/'), folders included.
Status DeleteTree(storage::Storage& storage, std::string_view prefix);

}  // namespace cellar::core
