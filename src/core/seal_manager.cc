// src/core/seal_manager.cc: share collection, key checks and the seal state machines.
#include "core/seal_manager.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "base/status_macros.h"
#include "crypto/aead.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/shamir.h"

namespace cellar::core {

namespace {

constexpr size_t kShareSize = crypto::kAesKeySize + 1;  // y-bytes, then the x-coordinate
constexpr size_t kOtpLength = 28;                       // the length of a root token

Status ValidateShares(int shares, int threshold) {
  // Split validates exactly Vault's rules; a throwaway split reuses them.
  return crypto::shamir::Split("x", shares, threshold).status();
}

struct SplitKeys {
  std::vector<std::string> hex;
  std::vector<std::string> base64;
};

StatusOr<SplitKeys> SplitRootKey(std::string_view root_key, int shares, int threshold) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> parts,
                          crypto::shamir::Split(root_key, shares, threshold));
  SplitKeys keys;
  for (const std::string& part : parts) {
    keys.hex.push_back(crypto::HexEncode(part));
    keys.base64.push_back(crypto::Base64Encode(part));
  }
  return keys;
}

std::string Trim(std::string text) {
  auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  text.erase(text.begin(), std::find_if_not(text.begin(), text.end(), space));
  text.erase(std::find_if_not(text.rbegin(), text.rend(), space).base(), text.end());
  return text;
}

}  // namespace

SealManager::SealManager(storage::Storage& physical, Barrier& barrier, Options options)
    : physical_(physical), barrier_(barrier), options_(std::move(options)) {}

StatusOr<std::string> SealManager::DecodeShare(std::string_view key) {
  // Vault tries hex first, then standard base64.
  StatusOr<std::string> decoded = crypto::HexDecode(key);
  if (!decoded.ok()) {
    decoded = crypto::Base64Decode(key);
  }
  if (!decoded.ok()) {
    return InvalidArgumentError("'key' must be a valid hex or base64 string");
  }
  if (decoded->size() != kShareSize) {
    return InvalidArgumentError("'key' is not a valid unseal key share (wrong length)");
  }
  return decoded;
}

StatusOr<std::optional<SealConfig>> SealManager::LoadConfig() {
  if (config_) {
    return config_;
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> stored, physical_.Get(SealConfig::kPath));
  if (!stored) {
    return std::optional<SealConfig>();
  }
  CELLAR_ASSIGN_OR_RETURN(SealConfig config, SealConfig::Parse(*stored));
  config_ = config;
  return config_;
}

void SealManager::ForgetConfig() {
  std::lock_guard lock(mutex_);
  config_.reset();
}

StatusOr<bool> SealManager::IsInitialized() {
  std::lock_guard lock(mutex_);
  CELLAR_ASSIGN_OR_RETURN(std::optional<SealConfig> config, LoadConfig());
  return config.has_value();
}

Status SealManager::OpenBarrier(std::string_view root_key) {
  CELLAR_RETURN_IF_ERROR(barrier_.Unseal(root_key));
  if (options_.on_unseal) {
    Status status = options_.on_unseal();
    if (!status.ok()) {
      barrier_.Seal();
      return status;
    }
  }
  return OkStatus();
}

void SealManager::CloseBarrier() {
  if (barrier_.sealed()) {
    return;
  }
  if (options_.on_seal) {
    options_.on_seal();
  }
  barrier_.Seal();
}

StatusOr<InitResult> SealManager::Initialize(const InitRequest& request) {
  std::lock_guard lock(mutex_);
  CELLAR_RETURN_IF_ERROR(ValidateShares(request.secret_shares, request.secret_threshold));
  CELLAR_ASSIGN_OR_RETURN(std::optional<SealConfig> existing, LoadConfig());
  if (existing) {
    return AlreadyExistsError("Vault is already initialized");
  }
  std::string root_key = crypto::RandomBytes(crypto::kAesKeySize);
  CELLAR_ASSIGN_OR_RETURN(SplitKeys keys,
                          SplitRootKey(root_key, request.secret_shares, request.secret_threshold));
  SealConfig config;
  config.secret_shares = request.secret_shares;
  config.secret_threshold = request.secret_threshold;
  config.cluster_id = crypto::NewUuid();
  config.cluster_name = "cellar-cluster-" + crypto::HexEncode(crypto::RandomBytes(4));
  storage::WriteOp op{storage::WriteOp::Kind::kPut, std::string(SealConfig::kPath),
                      config.Serialize()};
  CELLAR_RETURN_IF_ERROR(barrier_.Initialize(root_key, std::span(&op, 1)));
  config_ = config;

  InitResult result{std::move(keys.hex), std::move(keys.base64), ""};
  if (options_.mint_root_token) {
    // As Vault: open the barrier just long enough to create the root token.
    CELLAR_RETURN_IF_ERROR(OpenBarrier(root_key));
    StatusOr<std::string> token = options_.mint_root_token();
    CloseBarrier();
    CELLAR_RETURN_IF_ERROR(token.status());
    result.root_token = *std::move(token);
  }
  return result;
}

StatusOr<SealStatus> SealManager::StatusLocked() {
  CELLAR_ASSIGN_OR_RETURN(std::optional<SealConfig> config, LoadConfig());
  SealStatus status;
  status.initialized = config.has_value();
  status.sealed = barrier_.sealed();
  status.version = options_.version;
  status.storage_type = std::string(physical_.Type());
  status.progress = static_cast<int>(unseal_.parts.size());
  status.nonce = unseal_.nonce;
  if (config) {
    status.t = config->secret_threshold;
    status.n = config->secret_shares;
    if (!status.sealed) {
      status.cluster_name = config->cluster_name;
      status.cluster_id = config->cluster_id;
    }
  }
  return status;
}

StatusOr<SealStatus> SealManager::GetSealStatus() {
  std::lock_guard lock(mutex_);
  return StatusLocked();
}

StatusOr<std::optional<std::string>> SealManager::Collect(Progress& progress, std::string_view key,
                                                          int threshold) {
  CELLAR_ASSIGN_OR_RETURN(std::string share, DecodeShare(key));
  if (std::find(progress.parts.begin(), progress.parts.end(), share) != progress.parts.end()) {
    return std::optional<std::string>();  // the same share twice does not count twice
  }
  if (progress.nonce.empty()) {
    progress.nonce = crypto::NewUuid();
  }
  progress.parts.push_back(std::move(share));
  if (static_cast<int>(progress.parts.size()) < threshold) {
    return std::optional<std::string>();
  }
  StatusOr<std::string> root_key = crypto::shamir::Combine(progress.parts);
  progress.parts.clear();
  if (!root_key.ok()) {
    return root_key.status();
  }
  return std::optional<std::string>(*std::move(root_key));
}

StatusOr<SealStatus> SealManager::SubmitUnsealKey(std::string_view key) {
  std::lock_guard lock(mutex_);
  CELLAR_ASSIGN_OR_RETURN(std::optional<SealConfig> config, LoadConfig());
  if (!config) {
    return FailedPreconditionError("Vault is not initialized");
  }
  if (!barrier_.sealed()) {
    return StatusLocked();
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> root_key,
                          Collect(unseal_, key, config->secret_threshold));
  if (root_key) {
    unseal_ = Progress();
    Status status = OpenBarrier(*root_key);
    if (!status.ok()) {
      if (status.code() == StatusCode::kInvalidArgument) {
        return InvalidArgumentError("unseal failed, invalid key");
      }
      return status;
    }
  }
  return StatusLocked();
}

StatusOr<SealStatus> SealManager::ResetUnseal() {
  std::lock_guard lock(mutex_);
  unseal_ = Progress();
  return StatusLocked();
}

Status SealManager::Seal() {
  std::lock_guard lock(mutex_);
  unseal_ = Progress();
  rekey_.reset();
  generate_root_.reset();
  CloseBarrier();
  return OkStatus();
}

Status SealManager::Rotate() { return barrier_.Rotate(); }

StatusOr<KeyStatus> SealManager::GetKeyStatus() { return barrier_.GetKeyStatus(); }

// ---- rekey ----

StatusOr<RekeyStatus> SealManager::RekeyInit(int secret_shares, int secret_threshold,
                                             bool require_verification) {
  std::lock_guard lock(mutex_);
  if (barrier_.sealed()) {
    return SealedError();
  }
  if (require_verification) {
    return InvalidArgumentError("require_verification is not supported");
  }
  if (rekey_) {
    return FailedPreconditionError("rekey already in progress");
  }
  CELLAR_RETURN_IF_ERROR(ValidateShares(secret_shares, secret_threshold));
  rekey_ = RekeyState{secret_shares, secret_threshold, Progress{crypto::NewUuid(), {}}};
  return GetRekeyStatusLocked();
}

StatusOr<RekeyStatus> SealManager::GetRekeyStatusLocked() {
  CELLAR_ASSIGN_OR_RETURN(std::optional<SealConfig> config, LoadConfig());
  RekeyStatus status;
  status.required = config ? config->secret_threshold : 0;
  if (rekey_) {
    status.started = true;
    status.nonce = rekey_->progress.nonce;
    status.t = rekey_->threshold;
    status.n = rekey_->shares;
    status.progress = static_cast<int>(rekey_->progress.parts.size());
  }
  return status;
}

StatusOr<RekeyStatus> SealManager::GetRekeyStatus() {
  std::lock_guard lock(mutex_);
  return GetRekeyStatusLocked();
}

StatusOr<RekeyStatus> SealManager::RekeyUpdate(std::string_view key, std::string_view nonce) {
  std::lock_guard lock(mutex_);
  if (barrier_.sealed()) {
    return SealedError();
  }
  if (!rekey_) {
    return InvalidArgumentError("no rekey in progress");
  }
  if (nonce != rekey_->progress.nonce) {
    return InvalidArgumentError("incorrect nonce");
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<SealConfig> config, LoadConfig());
  if (!config) {
    return FailedPreconditionError("Vault is not initialized");
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> root_key,
                          Collect(rekey_->progress, key, config->secret_threshold));
  if (!root_key) {
    return GetRekeyStatusLocked();
  }
  if (!barrier_.VerifyRootKey(*root_key).ok()) {
    return InvalidArgumentError("rekey failed, invalid key");
  }
  std::string new_root = crypto::RandomBytes(crypto::kAesKeySize);
  CELLAR_ASSIGN_OR_RETURN(SplitKeys keys,
                          SplitRootKey(new_root, rekey_->shares, rekey_->threshold));
  SealConfig updated = *config;
  updated.secret_shares = rekey_->shares;
  updated.secret_threshold = rekey_->threshold;
  storage::WriteOp op{storage::WriteOp::Kind::kPut, std::string(SealConfig::kPath),
                      updated.Serialize()};
  CELLAR_RETURN_IF_ERROR(barrier_.Rekey(new_root, std::span(&op, 1)));
  config_ = updated;
  RekeyStatus status;
  status.started = false;
  status.nonce = rekey_->progress.nonce;
  status.t = updated.secret_threshold;
  status.n = updated.secret_shares;
  status.required = updated.secret_threshold;
  status.complete = true;
  status.keys_hex = std::move(keys.hex);
  status.keys_base64 = std::move(keys.base64);
  rekey_.reset();
  return status;
}

Status SealManager::RekeyCancel() {
  std::lock_guard lock(mutex_);
  rekey_.reset();
  return OkStatus();
}

// ---- generate-root ----

StatusOr<GenerateRootStatus> SealManager::GenerateRootStatusLocked() {
  CELLAR_ASSIGN_OR_RETURN(std::optional<SealConfig> config, LoadConfig());
  GenerateRootStatus status;
  status.required = config ? config->secret_threshold : 0;
  status.otp_length = static_cast<int>(kOtpLength);
  if (generate_root_) {
    status.started = true;
    status.nonce = generate_root_->progress.nonce;
    status.progress = static_cast<int>(generate_root_->progress.parts.size());
  }
  return status;
}

StatusOr<GenerateRootStatus> SealManager::GenerateRootInit(std::string_view otp,
                                                           std::string_view pgp_key) {
  std::lock_guard lock(mutex_);
  if (barrier_.sealed()) {
    return SealedError();
  }
  if (!pgp_key.empty()) {
    return InvalidArgumentError("pgp_key is not supported; use otp");
  }
  if (generate_root_) {
    return FailedPreconditionError("root generation already in progress");
  }
  if (!otp.empty() && otp.size() != kOtpLength) {
    return InvalidArgumentError("otp must be 28 characters long");
  }
  std::string chosen = otp.empty() ? crypto::RandomBase62(kOtpLength) : std::string(otp);
  generate_root_ = GenerateRootState{chosen, Progress{crypto::NewUuid(), {}}};
  CELLAR_ASSIGN_OR_RETURN(GenerateRootStatus status, GenerateRootStatusLocked());
  status.otp = std::move(chosen);
  return status;
}

StatusOr<GenerateRootStatus> SealManager::GetGenerateRootStatus() {
  std::lock_guard lock(mutex_);
  return GenerateRootStatusLocked();
}

StatusOr<GenerateRootStatus> SealManager::GenerateRootUpdate(std::string_view key,
                                                             std::string_view nonce) {
  std::lock_guard lock(mutex_);
  if (barrier_.sealed()) {
    return SealedError();
  }
  if (!generate_root_) {
    return InvalidArgumentError("no root generation in progress");
  }
  if (nonce != generate_root_->progress.nonce) {
    return InvalidArgumentError("incorrect nonce");
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<SealConfig> config, LoadConfig());
  if (!config) {
    return FailedPreconditionError("Vault is not initialized");
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> root_key,
                          Collect(generate_root_->progress, key, config->secret_threshold));
  if (!root_key) {
    return GenerateRootStatusLocked();
  }
  if (!barrier_.VerifyRootKey(*root_key).ok()) {
    return InvalidArgumentError("root generation failed, invalid key");
  }
  if (!options_.mint_root_token) {
    return InternalError("no token store to mint a root token");
  }
  CELLAR_ASSIGN_OR_RETURN(std::string token, options_.mint_root_token());
  const std::string& otp = generate_root_->otp;
  if (token.size() != otp.size()) {
    return InternalError("root token length does not match the otp length");
  }
  std::string mixed(token.size(), '\0');
  for (size_t i = 0; i < token.size(); ++i) {
    mixed[i] = static_cast<char>(token[i] ^ otp[i]);
  }
  GenerateRootStatus status;
  status.started = true;
  status.nonce = generate_root_->progress.nonce;
  status.progress = config->secret_threshold;
  status.required = config->secret_threshold;
  status.complete = true;
  status.encoded_token = crypto::Base64EncodeUnpadded(mixed);
  status.encoded_root_token = status.encoded_token;
  generate_root_.reset();
  return status;
}

Status SealManager::GenerateRootCancel() {
  std::lock_guard lock(mutex_);
  generate_root_.reset();
  return OkStatus();
}

// ---- dev mode ----

StatusOr<InitResult> SealManager::InitializeDev() {
  CELLAR_ASSIGN_OR_RETURN(InitResult result, Initialize(InitRequest{1, 1}));
  CELLAR_ASSIGN_OR_RETURN(SealStatus status, SubmitUnsealKey(result.keys_base64[0]));
  if (status.sealed) {
    return InternalError("dev unseal did not open the barrier");
  }
  return result;
}

Status SealManager::UnsealFromKeyFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) {
    return NotFoundError("no key file at " + path);
  }
  std::stringstream text;
  text << file.rdbuf();
  CELLAR_ASSIGN_OR_RETURN(SealStatus status, SubmitUnsealKey(Trim(text.str())));
  if (status.sealed) {
    (void)ResetUnseal();
    return FailedPreconditionError("the key file holds one share but more are required");
  }
  return OkStatus();
}

Status SealManager::WriteKeyFile(const std::string& path, std::string_view key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return UnavailableError("cannot write key file " + path);
  }
  std::string line = std::string(key) + "\n";
  // fchmod: an existing file keeps its old mode through O_CREAT.
  bool ok = ::fchmod(fd, 0600) == 0 &&
            ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  return ok ? OkStatus() : UnavailableError("cannot write key file " + path);
}

}  // namespace cellar::core
