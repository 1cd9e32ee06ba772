// fuzz/jws/jws_fuzz.cc: feeds arbitrary bytes to the JWS and JWK parsers and verifies what parses
// against fixed keys of every supported type.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "crypto/jws.h"
#include "crypto/jws_testutil.h"
#include "crypto/public_key.h"

namespace {

const std::vector<cellar::crypto::PublicKey>& Keys() {
  static const auto* keys = [] {
    auto* out = new std::vector<cellar::crypto::PublicKey>();
    for (const char* alg : {"ES256", "ES384", "RS256", "EdDSA"}) {
      out->push_back(
          *cellar::crypto::PublicKey::FromPem(cellar::crypto::TestSigner(alg).PublicPem()));
    }
    return out;
  }();
  return *keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto message = cellar::crypto::ParseCompactJws(text);
  if (message.ok()) {
    for (const auto& key : Keys()) {
      (void)cellar::crypto::VerifyJws(*message, key);
    }
    if (!message->header.jwk.empty()) {
      (void)cellar::crypto::PublicKey::FromJwk(message->header.jwk);
    }
  }
  auto key = cellar::crypto::PublicKey::Parse(text);
  if (key.ok()) {
    (void)key->Thumbprint();
    (void)key->Pem();
  }
  return 0;
}
