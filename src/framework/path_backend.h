// src/framework/path_backend.h: a Backend built from a table of paths (OpenBao's
// framework.Backend).
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "framework/backend.h"
#include "framework/field_data.h"
#include "framework/path.h"

namespace cellar::framework {

// Routes a request to the first path whose pattern matches the whole relative path (table order,
// as OpenBao), converts its fields, and calls the operation's handler. A create without a create
// handler runs the update handler and vice versa. Unknown body keys are ignored and reported as the
// warning `Endpoint ignored these unrecognized parameters: [a b]`.
//
// Engines either derive from it (calling SetPaths in their constructor, with handlers bound to
// `this`) or build one directly. Thread-safe after SetPaths: HandleRequest only reads the table.
class PathBackend : public Backend {
 public:
  // `mount_storage`: the mount's view, which StorageFor falls back to (may be null for a
  // backend that stores nothing).
  explicit PathBackend(BackendType type, storage::Storage* mount_storage = nullptr);
  ~PathBackend() override;

  // Compiles the table. Call once, before the first request. Errors: InvalidArgument naming a
  // pattern that does not compile or a capture group the fields do not declare.
  Status SetPaths(std::vector<Path> paths);

  // Paths (relative, `*` suffix allowed) that need no token, e.g. {"login/*"}.
  void SetUnauthenticatedPaths(std::vector<std::string> paths) {
    unauthenticated_paths_ = std::move(paths);
  }

  // Errors: UnknownPath (no pattern matches), Unsupported (no handler for the operation),
  // InvalidArgument (a field of the wrong type, a required field missing on create/update), or
  // whatever the handler returns.
  StatusOr<Response> HandleRequest(Request& request) override;

  // The matched path's existence check; true when nothing matches or the path has no check.
  StatusOr<bool> Exists(Request& request) override;

  std::vector<std::string> UnauthenticatedPaths() const override { return unauthenticated_paths_; }
  BackendType type() const override { return type_; }

 protected:
  // The storage a request works on: its own when set (a transactional profile execution's
  // buffer), else the mount's.
  storage::Storage& StorageFor(const Request& req) const {
    return req.storage != nullptr ? *req.storage : *mount_storage_;
  }

 private:
  struct CompiledPath;  // hides RE2

  // The first matching path and the request's fields (body merged with the captures).
  // A pattern has at most kMaxCaptures groups (SetPaths refuses more), so a match's named captures
  // fit a fixed array: routing does not allocate for them.
  static constexpr size_t kMaxCaptures = 16;
  struct Captures {
    std::array<FieldCapture, kMaxCaptures> items;
    size_t size = 0;
    std::span<const FieldCapture> view() const { return {items.data(), size}; }
  };

  // The first matching path; `captures` (named groups) point into `path`.
  const CompiledPath* Route(const std::string& path, Captures& captures) const;

  BackendType type_;
  storage::Storage* mount_storage_;
  std::vector<std::unique_ptr<CompiledPath>> paths_;
  std::vector<std::string> unauthenticated_paths_;
};

}  // namespace cellar::framework
