// src/auth/approle/approle.h: the AppRole auth method's entry point for the registry.
#pragma once

#include <memory>

#include "base/status_or.h"
#include "framework/backend.h"

namespace cellar::auth::approle {

// Builds the AppRole backend: roles with a role ID and secret IDs, and login with both.
// `config.storage` and `config.system` must be set.
StatusOr<std::unique_ptr<framework::Backend>> Factory(const framework::BackendConfig& config);

}  // namespace cellar::auth::approle
