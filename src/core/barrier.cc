// src/core/barrier.cc: per-value AES-GCM with the path as additional data, keyed by term.
#include "core/barrier.h"

#include <algorithm>

#include "base/status_macros.h"
#include "crypto/aead.h"

namespace cellar::core {

namespace {

constexpr char kValueVersion = 0x02;
constexpr size_t kHeaderSize = 5;  // 4-byte term + version
constexpr char kKeyringVersion = 0x01;

bool Reserved(std::string_view key) { return key.starts_with(Barrier::kReservedPrefix); }

Status ReservedError() { return InvalidArgumentError("path is reserved for the barrier"); }

}  // namespace

Barrier::Barrier(storage::Storage& physical, const Clock& clock)
    : physical_(physical), clock_(clock) {}

std::shared_ptr<const Barrier::State> Barrier::Snapshot() const {
  std::shared_lock lock(mutex_);
  return state_;
}

bool Barrier::sealed() const { return Snapshot() == nullptr; }

StatusOr<bool> Barrier::Initialized() {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> stored, physical_.Get(kKeyringPath));
  return stored.has_value();
}

Status Barrier::StoreKeyring(const Keyring& ring, std::string_view root_key,
                             std::span<const storage::WriteOp> extra) {
  std::string plain = ring.Serialize();
  CELLAR_ASSIGN_OR_RETURN(std::string sealed, crypto::AesGcmSeal(root_key, plain, kKeyringPath));
  std::vector<storage::WriteOp> ops(extra.begin(), extra.end());
  ops.push_back({storage::WriteOp::Kind::kPut, std::string(kKeyringPath),
                 std::string(1, kKeyringVersion) + sealed});
  return physical_.Commit(ops);
}

StatusOr<Keyring> Barrier::LoadKeyring(std::string_view root_key) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> stored, physical_.Get(kKeyringPath));
  if (!stored) {
    return FailedPreconditionError("Vault is not initialized");
  }
  if (stored->empty() || (*stored)[0] != kKeyringVersion) {
    return InternalError("stored keyring has an unknown format");
  }
  StatusOr<std::string> plain =
      crypto::AesGcmOpen(root_key, std::string_view(*stored).substr(1), kKeyringPath);
  if (!plain.ok()) {
    return InvalidArgumentError("root key does not decrypt the keyring");
  }
  return Keyring::Parse(*plain);
}

Status Barrier::Initialize(std::string_view root_key, std::span<const storage::WriteOp> extra) {
  if (root_key.size() != crypto::kAesKeySize) {
    return InvalidArgumentError("root key must be 32 bytes");
  }
  std::lock_guard rotate(rotate_mutex_);
  CELLAR_ASSIGN_OR_RETURN(bool initialized, Initialized());
  if (initialized) {
    return AlreadyExistsError("Vault is already initialized");
  }
  return StoreKeyring(Keyring::Create(clock_.Now()), root_key, extra);
}

Status Barrier::Unseal(std::string_view root_key) {
  CELLAR_ASSIGN_OR_RETURN(Keyring ring, LoadKeyring(root_key));
  auto state = std::make_shared<const State>(State{std::string(root_key), std::move(ring)});
  std::unique_lock lock(mutex_);
  state_ = std::move(state);
  return OkStatus();
}

Status Barrier::ReloadKeyring() {
  std::shared_ptr<const State> state = Snapshot();
  if (!state) {
    return SealedError();
  }
  return Unseal(state->root_key);
}

void Barrier::Seal() {
  std::unique_lock lock(mutex_);
  state_.reset();
}

Status Barrier::VerifyRootKey(std::string_view root_key) { return LoadKeyring(root_key).status(); }

Status Barrier::Rotate() {
  std::lock_guard rotate(rotate_mutex_);
  std::shared_ptr<const State> state = Snapshot();
  if (!state) {
    return SealedError();
  }
  Keyring ring = state->keyring.Rotated(clock_.Now());
  CELLAR_RETURN_IF_ERROR(StoreKeyring(ring, state->root_key, {}));
  std::unique_lock lock(mutex_);
  if (state_) {  // a Seal in between wins
    state_ = std::make_shared<const State>(State{state->root_key, std::move(ring)});
    encryptions_ = 0;
  }
  return OkStatus();
}

Status Barrier::Rekey(std::string_view new_root_key, std::span<const storage::WriteOp> extra) {
  if (new_root_key.size() != crypto::kAesKeySize) {
    return InvalidArgumentError("root key must be 32 bytes");
  }
  std::lock_guard rotate(rotate_mutex_);
  std::shared_ptr<const State> state = Snapshot();
  if (!state) {
    return SealedError();
  }
  CELLAR_RETURN_IF_ERROR(StoreKeyring(state->keyring, new_root_key, extra));
  std::unique_lock lock(mutex_);
  if (state_) {
    state_ = std::make_shared<const State>(State{std::string(new_root_key), state->keyring});
  }
  return OkStatus();
}

StatusOr<KeyStatus> Barrier::GetKeyStatus() const {
  std::shared_ptr<const State> state = Snapshot();
  if (!state) {
    return SealedError();
  }
  const KeyTerm& active = state->keyring.active();
  return KeyStatus{active.term, active.install_time, encryptions_.load()};
}

StatusOr<std::string> Barrier::Encrypt(const State& state, std::string_view key,
                                       std::string_view value) {
  const KeyTerm& active = state.keyring.active();
  CELLAR_ASSIGN_OR_RETURN(std::string sealed, active.Seal(value, key));
  std::string out;
  out.reserve(kHeaderSize + sealed.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((active.term >> shift) & 0xff));
  }
  out.push_back(kValueVersion);
  out += sealed;
  ++encryptions_;
  return out;
}

StatusOr<std::string> Barrier::Decrypt(const State& state, std::string_view key,
                                       std::string_view blob) {
  if (blob.size() < kHeaderSize || blob[4] != kValueVersion) {
    return InternalError("barrier: stored value has an unknown format");
  }
  uint32_t term = 0;
  for (int i = 0; i < 4; ++i) {
    term = term << 8 | static_cast<unsigned char>(blob[i]);
  }
  const KeyTerm* key_term = state.keyring.Find(term);
  if (key_term == nullptr) {
    return InternalError("barrier: stored value uses an unknown key term");
  }
  StatusOr<std::string> plain = key_term->Open(blob.substr(kHeaderSize), key);
  if (!plain.ok()) {
    return InternalError("barrier: stored value failed authentication");
  }
  return plain;
}

StatusOr<std::optional<std::string>> Barrier::Get(std::string_view key) {
  std::shared_ptr<const State> state = Snapshot();
  if (!state) {
    return SealedError();
  }
  if (Reserved(key)) {
    return ReservedError();
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> blob, physical_.Get(key));
  if (!blob) {
    return std::optional<std::string>();
  }
  CELLAR_ASSIGN_OR_RETURN(std::string plain, Decrypt(*state, key, *blob));
  return std::optional<std::string>(std::move(plain));
}

Status Barrier::Put(std::string_view key, std::string_view value) {
  std::shared_ptr<const State> state = Snapshot();
  if (!state) {
    return SealedError();
  }
  if (Reserved(key)) {
    return ReservedError();
  }
  CELLAR_ASSIGN_OR_RETURN(std::string blob, Encrypt(*state, key, value));
  return physical_.Put(key, blob);
}

Status Barrier::Delete(std::string_view key) {
  if (sealed()) {
    return SealedError();
  }
  if (Reserved(key)) {
    return ReservedError();
  }
  return physical_.Delete(key);
}

StatusOr<std::vector<std::string>> Barrier::List(std::string_view prefix) {
  if (sealed()) {
    return SealedError();
  }
  if (Reserved(prefix)) {
    return std::vector<std::string>();
  }
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> children, physical_.List(prefix));
  // Hide the barrier's own folder ("core/barrier/"), and "core/" when it holds nothing else, so
  // callers see only what they wrote.
  std::string_view parent = kReservedPrefix.substr(0, kReservedPrefix.find('/') + 1);  // "core/"
  std::string_view own = kReservedPrefix.substr(parent.size());                        // "barrier/"
  if (prefix == parent) {
    std::erase(children, own);
  } else if (prefix.empty() && std::binary_search(children.begin(), children.end(), parent)) {
    CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> inside, physical_.List(parent));
    if (inside.size() == 1 && inside[0] == own) {
      std::erase(children, parent);
    }
  }
  return children;
}

Status Barrier::Commit(std::span<const storage::WriteOp> ops) {
  std::shared_ptr<const State> state = Snapshot();
  if (!state) {
    return SealedError();
  }
  std::vector<storage::WriteOp> encrypted;
  encrypted.reserve(ops.size());
  for (const storage::WriteOp& op : ops) {
    if (Reserved(op.key)) {
      return ReservedError();
    }
    storage::WriteOp out{op.kind, op.key, {}};
    if (op.kind == storage::WriteOp::Kind::kPut) {
      CELLAR_ASSIGN_OR_RETURN(out.value, Encrypt(*state, op.key, op.value));
    }
    encrypted.push_back(std::move(out));
  }
  return physical_.Commit(encrypted);
}

}  // namespace cellar::core
