// src/core/builtin_registry.h: the backends a Core may mount, handed in by its owner.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "framework/backend.h"

namespace cellar::core {

// One mountable backend type ("kv", "userpass"). Core never names engines itself: src/builtins
// builds the registry and src/cli hands it to Core, so core tests can mount fakes.
struct BuiltinBackend {
  framework::BackendType type = framework::BackendType::kSecrets;
  framework::BackendFactory factory;
};

// Type name → backend. "generic" and "kv-v2" are aliases Core resolves itself (to "kv" with
// options.version "1" / "2"); the registry needs only "kv".
using BuiltinRegistry = std::map<std::string, BuiltinBackend, std::less<>>;

}  // namespace cellar::core
