// src/core/request_path.cc: request path validation and mount path normalisation.
#include "core/request_path.h"

#include "base/status_or.h"

namespace cellar::core {
namespace {

// Every segment between slashes must be a real name: "." and ".." would let a path escape its
// mount once backends join segments into storage keys.
Status CheckSegments(std::string_view path) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string_view segment = path.substr(start, end - start);
    if (segment == "." || segment == "..") {
      return InvalidArgumentError("invalid path: '.' and '..' segments are not allowed");
    }
    // An empty segment is only allowed as the final one (a trailing slash).
    if (segment.empty() && end != path.size()) {
      return InvalidArgumentError("invalid path: empty segment");
    }
    start = end + 1;
  }
  return OkStatus();
}

}  // namespace

Status ValidateRequestPath(std::string_view path, framework::Operation op) {
  if (path.find('\0') != std::string_view::npos) {
    return InvalidArgumentError("invalid path: contains a NUL byte");
  }
  if (Status s = CheckSegments(path); !s.ok()) {
    return s;
  }
  bool is_write = op == framework::Operation::kCreate || op == framework::Operation::kUpdate ||
                  op == framework::Operation::kPatch;
  // Vault's own client writes mount paths with their slash ("sys/mounts/foo/"); those are names,
  // not folders, so they are exempt.
  bool mount_admin = path.starts_with("sys/mounts/") || path.starts_with("sys/auth/");
  if (is_write && !mount_admin && !path.empty() && path.back() == '/') {
    return InvalidArgumentError("cannot write to a path ending in '/'");
  }
  return OkStatus();
}

StatusOr<std::string> NormalizeMountPath(std::string_view path) {
  while (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  if (path.empty()) {
    return InvalidArgumentError("missing mount path");
  }
  if (path.find('\0') != std::string_view::npos) {
    return InvalidArgumentError("invalid mount path");
  }
  if (Status s = CheckSegments(path); !s.ok()) {
    return s;
  }
  return std::string(path) + "/";
}

bool MatchesPathPattern(std::string_view pattern, std::string_view path) {
  if (!pattern.empty() && pattern.back() == '*') {
    return path.starts_with(pattern.substr(0, pattern.size() - 1));
  }
  return pattern == path;
}

}  // namespace cellar::core
