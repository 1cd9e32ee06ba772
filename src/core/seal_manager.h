// src/core/seal_manager.h: init, unseal, seal, rekey and generate-root over the Barrier.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/status_or.h"
#include "core/barrier.h"
#include "core/seal_config.h"
#include "storage/storage.h"

namespace cellar::core {

// sys/init body.
struct InitRequest {
  int secret_shares = 0;
  int secret_threshold = 0;
};

// sys/init answer. keys and keys_base64 hold the same shares in two encodings.
struct InitResult {
  std::vector<std::string> keys_hex;
  std::vector<std::string> keys_base64;
  std::string root_token;  // empty unless Options::mint_root_token is set
};

// sys/seal-status, sys/unseal answer (raw JSON with these names; `type` is always "shamir").
struct SealStatus {
  std::string type = "shamir";
  bool initialized = false;
  bool sealed = true;
  int t = 0;          // threshold
  int n = 0;          // shares
  int progress = 0;   // shares submitted towards the current unseal
  std::string nonce;  // identifies the unseal in progress; "" when none
  std::string version;
  std::string storage_type;
  std::string cluster_name;  // only while unsealed, as Vault
  std::string cluster_id;
};

// sys/rekey/init and rekey/update answer.
struct RekeyStatus {
  bool started = false;
  std::string nonce;
  int t = 0;  // the new threshold
  int n = 0;  // the new number of shares
  int progress = 0;
  int required = 0;  // the current threshold: old shares needed
  bool verification_required = false;
  // Set when the update that reached the threshold finished the rekey.
  bool complete = false;
  std::vector<std::string> keys_hex;
  std::vector<std::string> keys_base64;
};

// sys/generate-root/attempt and /update answer.
struct GenerateRootStatus {
  bool started = false;
  std::string nonce;
  int progress = 0;
  int required = 0;
  bool complete = false;
  std::string encoded_token;       // unpadded base64 of (root token XOR otp), once complete
  std::string encoded_root_token;  // same value (older clients read this name)
  std::string pgp_fingerprint;
  std::string otp;  // only in the answer to the call that started the attempt
  int otp_length = 28;
};

// Owns the unseal, rekey and generate-root progress. Every method is thread-safe (one mutex:
// these calls are rare). Errors a user can fix (bad share counts, undecodable key, wrong nonce,
// wrong shares) are kInvalidArgument; "not initialised" and "already running" states are
// kFailedPrecondition; init twice is kAlreadyExists; operations that need the barrier open give
// kSealed.
class SealManager {
 public:
  struct Options {
    std::string version = "0.1.0";
    // Called after the barrier opens (load mounts, tokens, leases...). If it fails, the barrier is
    // sealed again and the unseal call returns its error.
    std::function<Status()> on_unseal;
    // Called before the barrier closes.
    std::function<void()> on_seal;
    // Creates a root token in the token store (the barrier is open while it runs). Used by
    // Initialize (for root_token) and generate-root; without it those return no token / fail.
    std::function<StatusOr<std::string>()> mint_root_token;
  };

  // `physical` is the raw storage under `barrier`; both must outlive this object.
  SealManager(storage::Storage& physical, Barrier& barrier, Options options);
  SealManager(storage::Storage& physical, Barrier& barrier)
      : SealManager(physical, barrier, Options()) {}

  StatusOr<bool> IsInitialized();

  // Generates a root key, splits it, stores the keyring and seal config. When mint_root_token is
  // set it briefly unseals (running on_unseal), mints the root token and seals again, as Vault.
  // Leaves the server sealed.
  StatusOr<InitResult> Initialize(const InitRequest& request);

  StatusOr<SealStatus> GetSealStatus();

  // Adds one share (hex or base64). At the threshold the shares are combined and the barrier
  // unsealed; if they do not open it, progress resets and kInvalidArgument is returned. A share
  // already given is ignored. Already unsealed: returns the status unchanged.
  StatusOr<SealStatus> SubmitUnsealKey(std::string_view key);
  // Forgets the shares given so far (sys/unseal reset=true).
  StatusOr<SealStatus> ResetUnseal();

  // Runs on_seal, then closes the barrier; cancels unseal, rekey and generate-root progress.
  Status Seal();
  // Drops the cached seal configuration: another node sharing the storage (HA) may have
  // changed it with a rekey.
  void ForgetConfig();

  // sys/rotate and sys/key-status.
  Status Rotate();
  StatusOr<KeyStatus> GetKeyStatus();

  // sys/rekey: replaces the shares (and the root key); old shares stop working once complete.
  // require_verification is not supported (kInvalidArgument).
  StatusOr<RekeyStatus> RekeyInit(int secret_shares, int secret_threshold,
                                  bool require_verification = false);
  StatusOr<RekeyStatus> GetRekeyStatus();
  // Submits one current share for the rekey identified by `nonce`.
  StatusOr<RekeyStatus> RekeyUpdate(std::string_view key, std::string_view nonce);
  Status RekeyCancel();

  // sys/generate-root: `otp` empty = generate one (returned in the answer); else it must be 28
  // characters. pgp_key is not supported (kInvalidArgument).
  StatusOr<GenerateRootStatus> GenerateRootInit(std::string_view otp = {},
                                                std::string_view pgp_key = {});
  StatusOr<GenerateRootStatus> GetGenerateRootStatus();
  StatusOr<GenerateRootStatus> GenerateRootUpdate(std::string_view key, std::string_view nonce);
  Status GenerateRootCancel();

  // Dev mode: Initialize with one share and threshold 1, then unseal with it.
  StatusOr<InitResult> InitializeDev();
  // Dev mode on an existing file: reads the base64 share from `path` and unseals with it.
  // kNotFound when the file does not exist.
  Status UnsealFromKeyFile(const std::string& path);
  // Writes `key` to `path` with mode 0600 (and fsyncs it), replacing any old file.
  static Status WriteKeyFile(const std::string& path, std::string_view key);

  // Decodes a share given as hex or base64 (exposed for tests and the CLI).
  static StatusOr<std::string> DecodeShare(std::string_view key);

 private:
  struct Progress {
    std::string nonce;
    std::vector<std::string> parts;
  };

  StatusOr<std::optional<SealConfig>> LoadConfig();
  StatusOr<SealStatus> StatusLocked();
  // Adds `key` to `progress` unless present; returns the combined root key once `threshold`
  // parts are in, nullopt before.
  StatusOr<std::optional<std::string>> Collect(Progress& progress, std::string_view key,
                                               int threshold);
  Status OpenBarrier(std::string_view root_key);
  void CloseBarrier();
  StatusOr<RekeyStatus> GetRekeyStatusLocked();
  StatusOr<GenerateRootStatus> GenerateRootStatusLocked();

  storage::Storage& physical_;
  Barrier& barrier_;
  Options options_;

  std::mutex mutex_;
  std::optional<SealConfig> config_;  // cached once read; guarded by mutex_
  Progress unseal_;                   // guarded by mutex_

  struct RekeyState {
    int shares = 0;
    int threshold = 0;
    Progress progress;
  };
  std::optional<RekeyState> rekey_;  // guarded by mutex_

  struct GenerateRootState {
    std::string otp;
    Progress progress;
  };
  std::optional<GenerateRootState> generate_root_;  // guarded by mutex_
};

}  // namespace cellar::core
