// src/builtins/builtins.h: every engine and auth method compiled into the cellar binary.
#pragma once

#include <string_view>

#include "core/builtin_registry.h"

namespace cellar::builtins {

// One built-in backend type.
struct BuiltinEntry {
  std::string_view name;  // the type given to sys/mounts or sys/auth: "kv", "userpass"
  framework::BackendType type;
  StatusOr<std::unique_ptr<framework::Backend>> (*factory)(const framework::BackendConfig&);
};

// The literal list (STYLE.md §5), as the registry the Core is built with. main.cc hands it to
// CoreOptions::builtins; core tests build their own registry with fakes instead.
core::BuiltinRegistry Registry();

}  // namespace cellar::builtins
