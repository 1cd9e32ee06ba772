// src/crypto/aead.cc: AES-256-GCM through the EVP cipher API.
#include "crypto/aead.h"

#include <openssl/evp.h>

#include <array>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "base/status_macros.h"
#include "crypto/random.h"

namespace cellar::crypto {

namespace {

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

// Fetched once: OpenSSL 3 otherwise looks the algorithm up in the provider on every init, which
// costs more than encrypting a small value.
const EVP_CIPHER* AesGcm() {
  static const EVP_CIPHER* cipher = [] {
    EVP_CIPHER* fetched = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    return fetched != nullptr ? fetched : EVP_aes_256_gcm();
  }();
  return cipher;
}

const unsigned char* U(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* U(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

// Seals with `ctx`: a fresh context when `key` is given, else one that already holds the key.
StatusOr<std::string> SealWith(EVP_CIPHER_CTX* ctx, const unsigned char* key,
                               std::string_view plaintext, std::string_view aad) {
  std::string out = RandomBytes(kGcmNonceSize);
  out.resize(kGcmNonceSize + plaintext.size() + kGcmTagSize);
  int len = 0;
  if (ctx == nullptr ||
      EVP_EncryptInit_ex2(ctx, key != nullptr ? AesGcm() : nullptr, key, U(out), nullptr) != 1 ||
      (!aad.empty() &&
       EVP_EncryptUpdate(ctx, nullptr, &len, U(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx, U(out) + kGcmNonceSize, &len, U(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx, U(out) + kGcmNonceSize + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kGcmTagSize,
                          U(out) + kGcmNonceSize + plaintext.size()) != 1) {
    return InternalError("AES-GCM encryption failed");
  }
  return out;
}

// Opens with `ctx`, as SealWith. `sealed` is at least nonce + tag long.
StatusOr<std::string> OpenWith(EVP_CIPHER_CTX* ctx, const unsigned char* key,
                               std::string_view sealed, std::string_view aad) {
  std::string_view nonce = sealed.substr(0, kGcmNonceSize);
  std::string_view body = sealed.substr(kGcmNonceSize, sealed.size() - kGcmNonceSize - kGcmTagSize);
  std::array<unsigned char, kGcmTagSize> tag;
  sealed.copy(reinterpret_cast<char*>(tag.data()), kGcmTagSize, sealed.size() - kGcmTagSize);
  std::string out(body.size(), '\0');
  int len = 0;
  if (ctx == nullptr ||
      EVP_DecryptInit_ex2(ctx, key != nullptr ? AesGcm() : nullptr, key, U(nonce), nullptr) != 1) {
    return InternalError("AES-GCM initialisation failed");
  }
  if ((!aad.empty() &&
       EVP_DecryptUpdate(ctx, nullptr, &len, U(aad), static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(ctx, U(out), &len, U(body), static_cast<int>(body.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kGcmTagSize, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx, U(out) + len, &len) != 1) {
    // Never hand back partially decrypted bytes: the tag did not verify.
    return InvalidArgumentError("message authentication failed");
  }
  return out;
}

Status CheckKey(std::string_view key) {
  if (key.size() != kAesKeySize) {
    return InvalidArgumentError("AES-256-GCM needs a 32-byte key");
  }
  return OkStatus();
}

bool TooShort(std::string_view sealed) { return sealed.size() < kGcmNonceSize + kGcmTagSize; }

}  // namespace

StatusOr<std::string> AesGcmSeal(std::string_view key, std::string_view plaintext,
                                 std::string_view aad) {
  CELLAR_RETURN_IF_ERROR(CheckKey(key));
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  return SealWith(ctx.get(), U(key), plaintext, aad);
}

StatusOr<std::string> AesGcmOpen(std::string_view key, std::string_view sealed,
                                 std::string_view aad) {
  CELLAR_RETURN_IF_ERROR(CheckKey(key));
  if (TooShort(sealed)) {
    return InvalidArgumentError("message authentication failed");
  }
  CtxPtr ctx(EVP_CIPHER_CTX_new());
  return OpenWith(ctx.get(), U(key), sealed, aad);
}

// --- AesGcmKey ---

struct AesGcmKey::Impl {
  static constexpr size_t kSlots = 8;  // more than the threads that encrypt at once

  CtxPtr prepared;  // holds the key; never used directly, only copied
  std::array<std::atomic<bool>, kSlots> busy{};
  std::array<CtxPtr, kSlots> slots;  // slots[i] belongs to whoever set busy[i]

  // Runs `op` on a keyed context: a free slot's (made on first use), else a private copy.
  template <typename Op>
  StatusOr<std::string> WithContext(Op op) {
    size_t start = std::hash<std::thread::id>{}(std::this_thread::get_id()) % kSlots;
    for (size_t i = 0; i < kSlots; ++i) {
      size_t n = (start + i) % kSlots;
      if (busy[n].exchange(true, std::memory_order_acquire)) {
        continue;
      }
      if (slots[n] == nullptr) {
        slots[n] = Copy();
      }
      StatusOr<std::string> result = op(slots[n].get());
      if (!result.ok()) {
        slots[n].reset();  // a failed call may leave the context mid-operation: start afresh
      }
      busy[n].store(false, std::memory_order_release);
      return result;
    }
    CtxPtr own = Copy();
    return op(own.get());
  }

  CtxPtr Copy() const {
    CtxPtr ctx(EVP_CIPHER_CTX_new());
    if (ctx != nullptr && EVP_CIPHER_CTX_copy(ctx.get(), prepared.get()) != 1) {
      ctx.reset();
    }
    return ctx;  // null on failure: SealWith/OpenWith report it
  }
};

AesGcmKey::AesGcmKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AesGcmKey::~AesGcmKey() = default;

StatusOr<std::shared_ptr<const AesGcmKey>> AesGcmKey::Create(std::string_view key) {
  CELLAR_RETURN_IF_ERROR(CheckKey(key));
  auto impl = std::make_unique<Impl>();
  impl->prepared.reset(EVP_CIPHER_CTX_new());
  if (impl->prepared == nullptr ||
      EVP_EncryptInit_ex2(impl->prepared.get(), AesGcm(), U(key), nullptr, nullptr) != 1) {
    return InternalError("AES-GCM initialisation failed");
  }
  return std::shared_ptr<const AesGcmKey>(new AesGcmKey(std::move(impl)));
}

StatusOr<std::string> AesGcmKey::Seal(std::string_view plaintext, std::string_view aad) const {
  return impl_->WithContext(
      [&](EVP_CIPHER_CTX* ctx) { return SealWith(ctx, nullptr, plaintext, aad); });
}

StatusOr<std::string> AesGcmKey::Open(std::string_view sealed, std::string_view aad) const {
  if (TooShort(sealed)) {
    return InvalidArgumentError("message authentication failed");
  }
  return impl_->WithContext(
      [&](EVP_CIPHER_CTX* ctx) { return OpenWith(ctx, nullptr, sealed, aad); });
}

}  // namespace cellar::crypto
