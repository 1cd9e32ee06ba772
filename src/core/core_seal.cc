// src/core/core_seal.cc: Core's lifecycle over the SealManager: init, unseal (then load mounts,
// tokens, leases), seal (the reverse), rotate.
#include <spdlog/spdlog.h>

#include "base/status_macros.h"
#include "core/audit_broker.h"
#include "core/core_impl.h"
#include "core/namespace_store.h"

namespace cellar::core {

void Core::Impl::StartSeal() {
  SealManager::Options seal_options;
  seal_options.version = options.version;
  // sys/init opens the barrier for a moment to mint the root token: no node can be active
  // before the storage is initialised, so that is never a standby.
  seal_options.on_unseal = [this] { return ha && !initializing ? EnterStandby() : PostUnseal(); };
  seal_options.on_seal = [this] { PreSeal(); };
  seal_options.mint_root_token = [this] { return CreateRootToken(""); };
  seal_manager = std::make_unique<SealManager>(*options.storage, *barrier, seal_options);
}

StatusOr<bool> Core::Impl::IsInitialized() { return seal_manager->IsInitialized(); }

StatusOr<SealStatus> Core::Impl::GetSealStatus() {
  CELLAR_ASSIGN_OR_RETURN(SealStatus status, seal_manager->GetSealStatus());
  if (status.cluster_name.empty() && !status.sealed) {
    status.cluster_name = options.cluster_name;
  }
  return status;
}

StatusOr<InitResult> Core::Impl::Initialize(int shares, int threshold) {
  std::lock_guard<std::mutex> lock(lifecycle_mutex);
  InitRequest request;
  request.secret_shares = shares;
  request.secret_threshold = threshold;
  initializing = true;
  StatusOr<InitResult> result = seal_manager->Initialize(request);
  initializing = false;
  if (!result.ok() && result.status().code() == StatusCode::kAlreadyExists) {
    return InvalidArgumentError("Vault is already initialized");
  }
  return result;
}

StatusOr<bool> Core::Impl::Unseal(std::string_view key) {
  std::lock_guard<std::mutex> lock(lifecycle_mutex);
  CELLAR_ASSIGN_OR_RETURN(SealStatus status, seal_manager->SubmitUnsealKey(key));
  return !status.sealed;
}

void Core::Impl::ResetUnsealProgress() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex);
  (void)seal_manager->ResetUnseal();
}

Status Core::Impl::Seal() {
  if (ha) {
    ha->Stop();  // outside lifecycle_mutex: the election thread's hooks take it
  }
  std::lock_guard<std::mutex> lock(lifecycle_mutex);
  standby.store(false);
  return seal_manager->Seal();
}

Status Core::Impl::Rotate() { return seal_manager->Rotate(); }

StatusOr<KeyStatus> Core::Impl::GetKeyStatus() { return seal_manager->GetKeyStatus(); }

Status Core::Impl::PostUnseal() {
  // Tokens and policies first: mounting auth/token/ needs the token store.
  CELLAR_RETURN_IF_ERROR(StartTokenStores());
  Status loaded = mount_manager->Load(barrier.get());
  if (loaded.ok()) {
    loaded = namespaces->Load(barrier.get());
  }
  if (loaded.ok()) {
    loaded = lease_manager->Load(lease_view.get());
  }
  if (loaded.ok()) {
    loaded = audit->Load(barrier.get());  // before requests: none may run unaudited
  }
  if (!loaded.ok()) {
    audit->Clear();
    namespaces->Clear();
    mount_manager->Clear();
    StopTokenStores();
    return loaded;
  }
  sealed.store(false);
  if (options.start_expiry_thread) {
    lease_manager->StartTimer();
  }
  spdlog::info("core unsealed");
  return OkStatus();
}

void Core::Impl::PreSeal() {
  if (sealed.exchange(true)) {
    return;
  }
  lease_manager->StopTimer();
  lease_manager->Clear();
  mount_manager->Clear();
  namespaces->Clear();
  audit->Clear();
  StopTokenStores();
  spdlog::info("core sealed");
}

}  // namespace cellar::core
