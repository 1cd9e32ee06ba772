// src/storage/sqlite_storage.h: the embedded default backend, one SQLite file in WAL mode.
#pragma once

#include <memory>
#include <string>

#include "storage/storage.h"

namespace cellar::storage {

struct SqliteOptions {
  // true: PRAGMA synchronous=FULL, every commit fsyncs the WAL, so an acknowledged write survives
  // kill -9, an OS crash and power loss. false: synchronous=NORMAL, which in WAL mode still
  // survives kill -9 (the commit is in the OS page cache before it is acknowledged) but may lose
  // the last commits on power loss. Default true: Storage::Put promises durability.
  bool sync_full = true;
  // How long a write waits for another process holding the file's write lock.
  int busy_timeout_ms = 5000;
  // Idle read connections kept open; more are opened on demand under load.
  int max_idle_readers = 8;
};

// Keys and values are BLOBs in a WITHOUT ROWID table ordered by memcmp, so List seeks directly to
// a prefix and skips whole folders. Thread-safe: writes go through one connection under a mutex
// (SQLite has a single writer anyway); reads take a connection from a pool, so they run
// concurrently with each other and with the writer (WAL readers never block). The file and its
// -wal/-shm companions are created with mode 0600.
class SqliteStorage : public Storage {
 public:
  // Opens or creates the database at `path`. kUnavailable if it cannot be opened (missing
  // directory, permissions, locked); kInternal if it is not a Cellar database.
  static StatusOr<std::unique_ptr<SqliteStorage>> Open(const std::string& path,
                                                       SqliteOptions options = {});
  ~SqliteStorage() override;

  StatusOr<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  StatusOr<std::vector<std::string>> List(std::string_view prefix) override;
  Status Commit(std::span<const WriteOp> ops) override;
  std::string_view Type() const override { return "sqlite"; }
  // Checkpoints the WAL and closes every connection; waits for calls in flight.
  Status Close() override;

 private:
  struct Impl;
  explicit SqliteStorage(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cellar::storage
