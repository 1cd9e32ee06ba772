// src/storage/postgres_storage.h: a Storage in one PostgreSQL table, for nodes sharing a database.
#pragma once

#include <memory>
#include <string>

#include "storage/storage.h"

namespace cellar::storage {

struct PostgresOptions {
  // Table holding the key/value pairs; created if missing. Letters, digits and '_' only.
  std::string table = "cellar_kv";
  // Connections kept open; more are opened under load and closed when returned.
  int max_idle_connections = 8;
};

// Keys and values are BYTEA (ordered bytewise, like the other backends). Every call takes a
// connection from a pool, so calls run concurrently; Commit is one SQL transaction. Durability is
// PostgreSQL's (synchronous_commit). A broken connection is dropped and the call fails with
// kUnavailable; the next call reconnects. Thread-safe.
class PostgresStorage : public Storage {
 public:
  // `conninfo` is a libpq connection string or URI ("" = the PG* environment variables).
  // kUnavailable if the server cannot be reached; kInvalidArgument for a bad table name.
  static StatusOr<std::unique_ptr<PostgresStorage>> Open(const std::string& conninfo,
                                                         PostgresOptions options = {});
  ~PostgresStorage() override;

  StatusOr<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  StatusOr<std::vector<std::string>> List(std::string_view prefix) override;
  Status Commit(std::span<const WriteOp> ops) override;
  std::string_view Type() const override { return "postgresql"; }
  Status Close() override;

 private:
  struct Impl;
  explicit PostgresStorage(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cellar::storage
