// src/core/core_scope.cc: profile executions as request scopes (Core::BeginScope) and the undo of
// a failed one: its leases and tokens revoked with the server's own authority.
#include <spdlog/spdlog.h>

#include "core/core_impl.h"
#include "core/execution_scope.h"

namespace cellar::core {

StatusOr<std::unique_ptr<framework::RequestScope>> Core::Impl::BeginScope(bool transactional) {
  if (IsSealed()) {
    return SealedError();
  }
  // The buffer sits over the physical storage, under the barrier: it holds ciphertext, and its
  // Apply is one atomic physical Commit.
  return std::unique_ptr<framework::RequestScope>(
      std::make_unique<ExecutionScope>(*options.storage, transactional,
                                       [this](const std::vector<std::string>& lease_ids,
                                              const std::vector<std::string>& token_hashes) {
                                         UndoScope(lease_ids, token_hashes);
                                       }));
}

void Core::Impl::UndoScope(const std::vector<std::string>& lease_ids,
                           const std::vector<std::string>& token_hashes) {
  // Leases first: a token's revocation would revoke the leases it created anyway, but leases made
  // with the caller's token must go too.
  for (const std::string& id : lease_ids) {
    if (Status s = leases().Revoke(id); !s.ok()) {
      spdlog::warn("lease {} of a failed profile execution not revoked yet: {}", id, s.ToString());
    }
  }
  for (const std::string& hash : token_hashes) {
    if (Status s = RevokeTokenByHash(hash); !s.ok()) {
      spdlog::warn("token of a failed profile execution not revoked: {}", s.ToString());
    }
  }
}

}  // namespace cellar::core
