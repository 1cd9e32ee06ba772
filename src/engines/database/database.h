// src/engines/database/database.h: the database secrets engine's entry point for the registry.
#pragma once

#include <memory>

#include "base/status_or.h"
#include "framework/backend.h"

namespace cellar::engines::database {

// Builds the database engine (PostgreSQL): connections under config/, roles under roles/,
// leased credentials from creds/:role. `config.storage` and `config.system` must be set.
StatusOr<std::unique_ptr<framework::Backend>> Factory(const framework::BackendConfig& config);

}  // namespace cellar::engines::database
