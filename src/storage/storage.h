// src/storage/storage.h: the one storage interface every backend (memory, SQLite, PostgreSQL) implements.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"

namespace cellar::storage {

// One write inside an atomic Commit.
struct WriteOp {
  enum class Kind { kPut, kDelete };
  Kind kind = Kind::kPut;
  std::string key;
  std::string value;  // ignored for kDelete
};

// A flat key/value store with '/'-separated keys. Implementations are thread-safe: any method may be
// called concurrently from many threads. Keys are arbitrary bytes except that '/' separates folders.
// Errors: kUnavailable when the medium is unreachable (retry later), kInternal when it is corrupt.
class Storage {
 public:
  virtual ~Storage() = default;

  // The value at `key`, or nullopt when absent (absence is not an error).
  virtual StatusOr<std::optional<std::string>> Get(std::string_view key) = 0;

  // Creates or replaces. Returns only after the write is durable for durable backends.
  virtual Status Put(std::string_view key, std::string_view value) = 0;

  // Removes `key`; removing an absent key is OK.
  virtual Status Delete(std::string_view key) = 0;

  // The immediate children of `prefix` (which is "" or ends in '/'), relative to it, sorted,
  // without duplicates; a child that has children of its own appears once, as "name/" (Vault's
  // LIST semantics). Keys "a/b", "a/c/d", "e" under "" give ["a/", "e"]; under "a/" give ["b", "c/"].
  virtual StatusOr<std::vector<std::string>> List(std::string_view prefix) = 0;

  // Applies every op or none (one transaction). Later ops on the same key win.
  virtual Status Commit(std::span<const WriteOp> ops) = 0;

  // "inmem", "sqlite", "postgresql": shown in sys/seal-status as storage_type.
  virtual std::string_view Type() const = 0;

  // Flushes and closes; later calls fail with kUnavailable. Idempotent.
  virtual Status Close() { return OkStatus(); }
};

}  // namespace cellar::storage
