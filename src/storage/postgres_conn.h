// src/storage/postgres_conn.h: libpq handles and result checks shared by the PostgreSQL storage,
// its HA lock and the database secrets engine.
#pragma once

#include <libpq-fe.h>

#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

#include "base/status_or.h"

namespace cellar::storage::postgres {

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultFree>;

struct ConnFree {
  void operator()(PGconn* c) const { PQfinish(c); }
};
using Conn = std::unique_ptr<PGconn, ConnFree>;

// libpq's last error on `conn`, without its trailing newline.
std::string ErrorText(PGconn* conn);

// A new connection, with the server's notices ("relation already exists, skipping") silenced,
// named `application_name` in pg_stat_activity when not empty (unless `conninfo` names it).
// kUnavailable when the server cannot be reached.
StatusOr<Conn> Connect(const std::string& conninfo, const std::string& application_name = "");

// Runs `sql` with binary parameters and binary results (text comes back as its bytes).
Result Exec(PGconn* conn, const std::string& sql, std::initializer_list<std::string_view> params);

// OK for a command or query that succeeded; kUnavailable for a lost connection or a transient
// server state (serialization failure, shutdown); kInternal otherwise. `what` prefixes the message.
Status ResultStatus(PGconn* conn, const Result& result, std::string_view what);

// Letters, digits and '_' only (table names are spliced into SQL), at most `max_size` bytes.
bool ValidTableName(std::string_view name, size_t max_size = 63);

}  // namespace cellar::storage::postgres
