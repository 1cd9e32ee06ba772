// src/engines/kv/kv.h: the KV secrets engine's entry point for the built-in registry.
#pragma once

#include <memory>

#include "base/status_or.h"
#include "framework/backend.h"

namespace cellar::engines::kv {

// Builds a KV backend: options["version"] "2" gives KV v2 (versions, metadata, check-and-set),
// "1" or absent gives KV v1; type "kv-v2" also means v2. `config.storage` must be set; the clock
// comes from `config.system` (the system clock when null). Errors: InvalidArgument for another
// version.
StatusOr<std::unique_ptr<framework::Backend>> Factory(const framework::BackendConfig& config);

}  // namespace cellar::engines::kv
