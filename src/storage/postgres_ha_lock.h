// src/storage/postgres_ha_lock.h: the HA lock as a PostgreSQL advisory lock beside the KV table.
#pragma once

#include <memory>
#include <string>

#include "storage/ha_lock.h"

namespace cellar::storage {

// A session-level advisory lock keyed by the KV table's name, held on a connection of its own:
// when the holder's process or connection dies, PostgreSQL releases it. The holder's address
// is kept in `<table>_ha` (created if missing) and only reported while the lock is held.
class PostgresHaLock final : public HaLock {
 public:
  // `table` is the KV table ([a-z0-9_]+, at most 60 bytes). kUnavailable if the server
  // cannot be reached; kInvalidArgument for a bad table name.
  static StatusOr<std::unique_ptr<PostgresHaLock>> Open(const std::string& conninfo,
                                                        const std::string& table);
  ~PostgresHaLock() override;

  StatusOr<bool> TryAcquire(const std::string& address) override;
  bool StillHeld() override;
  void Release() override;
  StatusOr<HaLeader> Leader() override;

 private:
  struct Impl;
  explicit PostgresHaLock(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cellar::storage
