// src/core/request_path.h: the path checks every request passes before routing (API.md §1).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "base/status_or.h"
#include "framework/logical.h"

namespace cellar::core {

// InvalidArgument for a NUL byte, an empty, "." or ".." segment inside the path, or a write
// (create/update/patch) to a path ending in '/' (except sys/mounts/* and sys/auth/*, which the
// Vault CLI writes as "sys/mounts/foo/"). A trailing '/' on read, list and delete is fine.
Status ValidateRequestPath(std::string_view path, framework::Operation op);

// "secret" / "/secret/" → "secret/": the form mount paths are stored and compared in.
// InvalidArgument for an empty path or one that fails ValidateRequestPath's segment rules.
StatusOr<std::string> NormalizeMountPath(std::string_view path);

// Whether `path` equals `pattern` or, when `pattern` ends in '*', starts with its prefix.
bool MatchesPathPattern(std::string_view pattern, std::string_view path);

}  // namespace cellar::core
