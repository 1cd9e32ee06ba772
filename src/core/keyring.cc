// src/core/keyring.cc: creating, rotating and (de)serialising key terms.
#include "core/keyring.h"

#include <charconv>
#include <sstream>
#include <vector>

#include "crypto/aead.h"
#include "crypto/encoding.h"
#include "crypto/random.h"

namespace cellar::core {

namespace {

constexpr std::string_view kHeader = "cellar-keyring-v1";

template <typename T>
bool ParseNumber(std::string_view text, T& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size();
}

std::vector<std::string_view> SplitOn(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == sep) {
      out.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

KeyTerm::KeyTerm(uint32_t term, std::string key, TimePoint install_time)
    : term(term), key(std::move(key)), install_time(install_time) {
  if (auto prepared = crypto::AesGcmKey::Create(this->key); prepared.ok()) {
    cipher = *std::move(prepared);
  }
}

StatusOr<std::string> KeyTerm::Seal(std::string_view plaintext, std::string_view aad) const {
  return cipher != nullptr ? cipher->Seal(plaintext, aad) : crypto::AesGcmSeal(key, plaintext, aad);
}

StatusOr<std::string> KeyTerm::Open(std::string_view sealed, std::string_view aad) const {
  return cipher != nullptr ? cipher->Open(sealed, aad) : crypto::AesGcmOpen(key, sealed, aad);
}

Keyring Keyring::Create(TimePoint now) {
  Keyring ring;
  ring.terms_[1] = KeyTerm{1, crypto::RandomBytes(crypto::kAesKeySize), now};
  ring.active_term_ = 1;
  return ring;
}

Keyring Keyring::Rotated(TimePoint now) const {
  Keyring ring = *this;
  uint32_t term = active_term_ + 1;
  ring.terms_[term] = KeyTerm{term, crypto::RandomBytes(crypto::kAesKeySize), now};
  ring.active_term_ = term;
  return ring;
}

const KeyTerm* Keyring::Find(uint32_t term) const {
  auto it = terms_.find(term);
  return it == terms_.end() ? nullptr : &it->second;
}

std::string Keyring::Serialize() const {
  std::ostringstream out;
  out << kHeader << "\nactive " << active_term_ << "\n";
  for (const auto& [term, key] : terms_) {
    out << "term " << term << " " << crypto::HexEncode(key.key) << " "
        << key.install_time.time_since_epoch().count() << "\n";
  }
  return out.str();
}

StatusOr<Keyring> Keyring::Parse(std::string_view text) {
  Status corrupt = InternalError("stored keyring is malformed");
  std::vector<std::string_view> lines = SplitOn(text, '\n');
  if (lines.size() < 3 || lines[0] != kHeader || !lines.back().empty()) {
    return corrupt;
  }
  Keyring ring;
  std::vector<std::string_view> active = SplitOn(lines[1], ' ');
  if (active.size() != 2 || active[0] != "active" || !ParseNumber(active[1], ring.active_term_)) {
    return corrupt;
  }
  for (size_t i = 2; i + 1 < lines.size(); ++i) {
    std::vector<std::string_view> f = SplitOn(lines[i], ' ');
    uint32_t term = 0;
    TimePoint::rep nanos = 0;
    if (f.size() != 4 || f[0] != "term" || !ParseNumber(f[1], term) || !ParseNumber(f[3], nanos)) {
      return corrupt;
    }
    StatusOr<std::string> bytes = crypto::HexDecode(f[2]);
    if (!bytes.ok() || bytes->size() != crypto::kAesKeySize || term == 0) {
      return corrupt;
    }
    ring.terms_[term] = KeyTerm(term, *std::move(bytes), TimePoint(TimePoint::duration(nanos)));
  }
  if (ring.Find(ring.active_term_) == nullptr) {
    return corrupt;
  }
  return ring;
}

}  // namespace cellar::core
