// src/crypto/random.h: secure random bytes and the random identifiers Cellar hands out.
#pragma once

#include <cstddef>
#include <string>

namespace cellar::crypto {

// `n` bytes from OpenSSL's CSPRNG. Thread-safe. Aborts the process if the CSPRNG fails: a server
// that cannot draw randomness must not mint keys or tokens, and no caller could recover.
std::string RandomBytes(size_t n);

// `n` characters drawn uniformly from [0-9A-Za-z] (rejection sampling, no modulo bias).
std::string RandomBase62(size_t n);

// A random (version 4) UUID in lowercase 8-4-4-4-12 form.
std::string NewUuid();

// A service token: "hvs." followed by 24 base62 characters (~142 bits), as API.md §4.
std::string NewToken();

// A token accessor: 24 base62 characters.
std::string NewAccessor();

}  // namespace cellar::crypto
