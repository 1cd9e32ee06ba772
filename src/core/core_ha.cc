// src/core/core_ha.cc: a node sharing its storage with others (HA): standby after unseal until
// the election makes it active; standbys send clients to the active node.
#include <spdlog/spdlog.h>

#include "base/status_macros.h"
#include "core/core_impl.h"

namespace cellar::core {

Status Core::Impl::EnterStandby() {
  // Called by the seal manager with lifecycle_mutex held, the barrier just opened.
  standby.store(true);
  ha->Start();
  spdlog::info("core unsealed as a standby; waiting to become the active node");
  return OkStatus();
}

Status Core::Impl::BecomeActive() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex);
  if (!standby.load() || barrier->sealed()) {
    return FailedPreconditionError("the node was sealed");
  }
  // The previous active node may have rotated the key or rekeyed the seal meanwhile.
  Status reloaded = barrier->ReloadKeyring();
  if (!reloaded.ok()) {
    return Status(reloaded.code(),
                  "cannot reload the keyring (rekeyed elsewhere? unseal this "
                  "node again): " +
                      reloaded.message());
  }
  seal_manager->ForgetConfig();
  CELLAR_RETURN_IF_ERROR(PostUnseal());
  standby.store(false);
  return OkStatus();
}

void Core::Impl::BecomeStandby() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex);
  if (barrier->sealed()) {
    return;
  }
  PreSeal();
  standby.store(true);
}

StatusOr<framework::Response> Core::Impl::StandbyAnswer() {
  storage::HaLeader leader = ha->leader();
  if (leader.address.empty() || leader.address == ha->self_address()) {
    // No active node yet (or this one, just now becoming it): like a sealed node, try again.
    return UnavailableError("Vault is in standby mode and there is no active node");
  }
  framework::Response response;
  response.redirect_to = leader.address;
  return response;
}

}  // namespace cellar::core
