// src/auth/userpass/userpass.h: the userpass auth method's entry points.
#pragma once

#include <memory>

#include "base/status_or.h"
#include "crypto/password.h"
#include "framework/backend.h"

namespace cellar::auth::userpass {

// Builds a userpass backend on `config.storage`, hashing passwords with the default scrypt cost.
// login/* is unauthenticated. Errors: InvalidArgument when the mount has no storage.
StatusOr<std::unique_ptr<framework::Backend>> Factory(const framework::BackendConfig& config);

// As Factory with a chosen hash cost (tests use a cheap one; stored hashes name their own cost, so
// logins keep working if it changes).
StatusOr<std::unique_ptr<framework::Backend>> NewBackend(const framework::BackendConfig& config,
                                                         crypto::ScryptParams hash_params);

}  // namespace cellar::auth::userpass
