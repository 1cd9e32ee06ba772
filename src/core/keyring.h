// src/core/keyring.h: the barrier's data-encryption keys, one per term, and their stored form.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status_or.h"
#include "crypto/aead.h"

namespace cellar::core {

// One data-encryption key. Terms start at 1 and only grow; a value records the term that
// encrypted it, so rotated-out keys stay available for reading.
struct KeyTerm {
  KeyTerm() = default;
  KeyTerm(uint32_t term, std::string key, TimePoint install_time);

  uint32_t term = 0;
  std::string key;  // 32 bytes, AES-256
  TimePoint install_time;
  // `key` prepared once, so the barrier does not redo the key setup per value; null only if
  // OpenSSL could not prepare it, and then Seal/Open use `key` directly.
  std::shared_ptr<const crypto::AesGcmKey> cipher;

  // AES-256-GCM with this key, as crypto::AesGcmSeal / AesGcmOpen.
  StatusOr<std::string> Seal(std::string_view plaintext, std::string_view aad) const;
  StatusOr<std::string> Open(std::string_view sealed, std::string_view aad) const;
};

// An immutable value: Rotated() returns a new keyring. Not thread-safe to mutate, safe to share
// as const.
class Keyring {
 public:
  // A keyring holding one fresh random key as term 1.
  static Keyring Create(TimePoint now);

  // Parses Serialize()'s output; kInternal when malformed (the stored keyring is corrupt).
  static StatusOr<Keyring> Parse(std::string_view text);

  // A copy with a new random key as term active_term()+1, which becomes active.
  Keyring Rotated(TimePoint now) const;

  const KeyTerm& active() const { return terms_.at(active_term_); }
  uint32_t active_term() const { return active_term_; }
  // The key for `term`, or nullptr if this keyring never had it.
  const KeyTerm* Find(uint32_t term) const;
  size_t size() const { return terms_.size(); }

  // Plaintext form, to be encrypted by the root key before it is stored:
  // "cellar-keyring-v1\nactive <t>\nterm <t> <hex key> <unix nanos>\n...".
  std::string Serialize() const;

 private:
  std::map<uint32_t, KeyTerm> terms_;
  uint32_t active_term_ = 0;
};

}  // namespace cellar::core
