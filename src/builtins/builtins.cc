// src/builtins/builtins.cc: names every engine and auth method; add a built-in with one line here.
#include "builtins/builtins.h"

#if CELLAR_HAVE_ENGINES_KV
#include "engines/kv/kv.h"
#endif
#if CELLAR_HAVE_ENGINES_DATABASE
#include "engines/database/database.h"
#endif
#if CELLAR_HAVE_AUTH_USERPASS
#include "auth/userpass/userpass.h"
#endif
#if CELLAR_HAVE_AUTH_APPROLE
#include "auth/approle/approle.h"
#endif

namespace cellar::builtins {
namespace {

using framework::BackendType;

// The CELLAR_HAVE_* guards only let the binary build while a layer is still being written; each
// is set by CMakeLists.txt when the layer's target exists.
constexpr BuiltinEntry kBuiltins[] = {
#if CELLAR_HAVE_ENGINES_KV
    {"kv", BackendType::kSecrets, &engines::kv::Factory},
#endif
#if CELLAR_HAVE_ENGINES_DATABASE
    {"database", BackendType::kSecrets, &engines::database::Factory},
#endif
#if CELLAR_HAVE_AUTH_USERPASS
    {"userpass", BackendType::kCredential, &auth::userpass::Factory},
#endif
#if CELLAR_HAVE_AUTH_APPROLE
    {"approle", BackendType::kCredential, &auth::approle::Factory},
#endif
    {"", BackendType::kSecrets, nullptr},  // keeps the array non-empty; skipped below
};

}  // namespace

core::BuiltinRegistry Registry() {
  core::BuiltinRegistry registry;
  for (const BuiltinEntry& entry : kBuiltins) {
    if (entry.factory == nullptr) {
      continue;
    }
    registry.emplace(std::string(entry.name), core::BuiltinBackend{entry.type, entry.factory});
  }
  return registry;
}

}  // namespace cellar::builtins
