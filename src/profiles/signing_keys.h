// src/profiles/signing_keys.h: public keys bound to a role (policies, profiles), under which a
// profile's signed input runs (sys/profiles/keys/:name).
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::profiles {

// One binding. Its name is the JWS `kid` that names it; a JWS carrying a `jwk` instead finds it by
// RFC 7638 thumbprint.
struct KeyBinding {
  std::string name;
  std::string public_key;             // as written: PEM SubjectPublicKeyInfo or JWK JSON
  std::string thumbprint;             // RFC 7638, derived
  std::string algorithm;              // ES256, ES384, RS256 or EdDSA, derived
  std::vector<std::string> policies;  // the role: sub-requests run with exactly these
  std::vector<std::string> profiles;  // signed profiles it may run; "*" means every one
  std::chrono::seconds token_ttl{300};

  bool AllowsProfile(std::string_view profile) const;
  boost::json::object ToJson() const;  // as stored and as read back
};

// Builds a binding, deriving thumbprint and algorithm from `public_key`. InvalidArgument naming
// the problem: a key that does not parse, no policies, the "root" policy, no profiles.
StatusOr<KeyBinding> MakeKeyBinding(std::string name, std::string public_key,
                                    std::vector<std::string> policies,
                                    std::vector<std::string> profiles,
                                    std::chrono::seconds token_ttl);

// Storage under "signing-key/<name>" of the profiles view. Errors: storage errors; Internal for
// a stored entry that no longer decodes.
StatusOr<std::optional<KeyBinding>> GetKeyBinding(storage::Storage& storage, std::string_view name);
// The binding whose key has this thumbprint, if any (scans: bindings are few).
StatusOr<std::optional<KeyBinding>> FindKeyBindingByThumbprint(storage::Storage& storage,
                                                               std::string_view thumbprint);
StatusOr<std::vector<std::string>> ListKeyBindings(storage::Storage& storage);
Status PutKeyBinding(storage::Storage& storage, const KeyBinding& binding);
Status DeleteKeyBinding(storage::Storage& storage, std::string_view name);

}  // namespace cellar::profiles
