// src/core/cubbyhole_backend.h: cubbyhole/, a small KV private to each token.
#pragma once

#include <memory>

#include "base/status_or.h"
#include "framework/backend.h"

namespace cellar::core {

// Each token sees only its own tree, stored under the SHA-256 of the token: no policy can let one
// token read another's cubbyhole. Read of a missing key or an empty list: an empty Response (HTTP
// makes it 404).
StatusOr<std::unique_ptr<framework::Backend>> NewCubbyholeBackend(
    const framework::BackendConfig& config);

}  // namespace cellar::core
