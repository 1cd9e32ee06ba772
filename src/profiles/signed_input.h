// src/profiles/signed_input.h: checks a signed profile input (PROFILES.md, ACME-like): a JWS over
// the input, signed by a key bound to a role, with a single-use nonce.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "base/status_or.h"
#include "profiles/nonces.h"
#include "profiles/signing_keys.h"

namespace cellar::storage {
class Storage;
}

namespace cellar::profiles {

struct SignedInput {
  boost::json::object input;  // the JWS payload: the profile's input data
  KeyBinding binding;         // the role the execution runs under
};

// `body` is the request body: the flattened JSON serialization {"protected", "payload",
// "signature"}, or {"jws": "<compact serialization>"}. `profile` is the profile's name and
// `action` "execute", "plan" or "debug": a `url` in the protected header must name them
// (".../sys/profiles/<action>/<profile>", or OpenBao's workflows spelling).
//
// Checks, in order: the JWS parses (InvalidArgument); its kid names, or its jwk matches, a key
// binding (PermissionDenied "not bound"); the signature verifies with that key and its algorithm
// (PermissionDenied); the nonce is one `nonces` issued and unused and unexpired, and is consumed
// (PermissionDenied); the url names this profile and action (PermissionDenied); the binding allows
// this profile (PermissionDenied); the payload is a JSON object (InvalidArgument). Every message
// starts with "signed input: ".
StatusOr<SignedInput> VerifySignedInput(const boost::json::object& body, const std::string& profile,
                                        const std::string& action, storage::Storage& storage,
                                        NonceStore& nonces);

}  // namespace cellar::profiles
