// src/core/barrier.h: the encryption barrier, a Storage that encrypts every value it passes down.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>

#include "base/clock.h"
#include "core/keyring.h"
#include "storage/storage.h"

namespace cellar::core {

// What sys/key-status shows.
struct KeyStatus {
  uint32_t term = 0;
  TimePoint install_time;
  uint64_t encryptions = 0;  // values encrypted with the active term since this process loaded it
};

// Sits between the core and the physical Storage. Each value is stored as
//   term (4 bytes, big-endian) | version 0x02 | AES-256-GCM(nonce | ciphertext | tag)
// with the storage key as additional data, so a value copied to another path fails to decrypt.
// Keys (paths) are not encrypted, so List works as on the physical store (minus the barrier's own
// keys, which it hides).
//
// The keyring is stored at kKeyringPath encrypted by the root key (which the seal reconstructs
// from Shamir shares) and read back at unseal; the root key stays in memory while unsealed.
// Paths under kReservedPrefix belong to the barrier and seal and are refused (kInvalidArgument).
//
// While sealed every Storage call fails with SealedError(). A value that fails authentication
// (tampered, moved, or written with an unknown term) is kInternal: storage is corrupt.
// Thread-safe: the key state is an immutable snapshot swapped on unseal, seal and rotate.
class Barrier : public storage::Storage {
 public:
  static constexpr std::string_view kKeyringPath = "core/barrier/keyring";
  static constexpr std::string_view kReservedPrefix = "core/barrier/";

  // `physical` and `clock` must outlive the barrier.
  explicit Barrier(storage::Storage& physical, const Clock& clock = Clock::System());

  // True once a keyring has been stored (the server is initialised).
  StatusOr<bool> Initialized();

  // Creates a keyring, encrypts it with `root_key` (32 bytes) and commits it together with
  // `extra` (the seal configuration) in one physical transaction. Leaves the barrier sealed.
  // kAlreadyExists if a keyring exists.
  Status Initialize(std::string_view root_key, std::span<const storage::WriteOp> extra = {});

  // Loads the keyring with `root_key`. kInvalidArgument if the key does not decrypt it;
  // kFailedPrecondition if not initialised. Unsealing an unsealed barrier re-checks the key.
  Status Unseal(std::string_view root_key);

  // Reads the keyring again with the root key it was unsealed with, for terms added by another
  // node sharing the storage (HA). kSealed when sealed; kInvalidArgument when the root key no
  // longer opens it (rekeyed elsewhere).
  Status ReloadKeyring();

  // Forgets every key. Idempotent.
  void Seal();
  bool sealed() const;

  // OK if `root_key` decrypts the stored keyring (used by rekey and generate-root).
  Status VerifyRootKey(std::string_view root_key);

  // Adds a new key term used for all new writes; older terms keep decrypting. Sealed: kSealed.
  Status Rotate();

  // Re-encrypts the keyring under `new_root_key`, committing it with `extra` atomically; the old
  // root key stops working. Data keys are unchanged. Sealed: kSealed.
  Status Rekey(std::string_view new_root_key, std::span<const storage::WriteOp> extra = {});

  StatusOr<KeyStatus> GetKeyStatus() const;

  // storage::Storage
  StatusOr<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  StatusOr<std::vector<std::string>> List(std::string_view prefix) override;
  Status Commit(std::span<const storage::WriteOp> ops) override;
  std::string_view Type() const override { return physical_.Type(); }

 private:
  struct State {
    std::string root_key;
    Keyring keyring;
  };

  std::shared_ptr<const State> Snapshot() const;
  StatusOr<std::string> Encrypt(const State& state, std::string_view key, std::string_view value);
  StatusOr<std::string> Decrypt(const State& state, std::string_view key, std::string_view blob);
  StatusOr<Keyring> LoadKeyring(std::string_view root_key);
  // Stores `ring` encrypted by `root_key`, plus `extra`, in one physical Commit.
  Status StoreKeyring(const Keyring& ring, std::string_view root_key,
                      std::span<const storage::WriteOp> extra);

  storage::Storage& physical_;
  const Clock& clock_;
  mutable std::shared_mutex mutex_;
  std::shared_ptr<const State> state_;  // null while sealed; guarded by mutex_
  std::mutex rotate_mutex_;             // serialises Rotate and Rekey
  std::atomic<uint64_t> encryptions_{0};
};

}  // namespace cellar::core
