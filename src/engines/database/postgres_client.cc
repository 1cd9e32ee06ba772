// src/engines/database/postgres_client.cc: one short connection per operation (credentials are
// created and revoked far less often than secrets are read).
#include "engines/database/postgres_client.h"

#include "base/status_macros.h"
#include "storage/postgres_conn.h"

namespace cellar::engines::database {

namespace pg = storage::postgres;

Status VerifyConnection(const std::string& conninfo) {
  CELLAR_ASSIGN_OR_RETURN(pg::Conn conn, pg::Connect(conninfo));
  pg::Result result = pg::Exec(conn.get(), "SELECT 1", {});
  return pg::ResultStatus(conn.get(), result, "verify connection");
}

Status RunInTransaction(const std::string& conninfo, const std::vector<std::string>& statements) {
  CELLAR_ASSIGN_OR_RETURN(pg::Conn conn, pg::Connect(conninfo));
  pg::Result begun = pg::Exec(conn.get(), "BEGIN", {});
  CELLAR_RETURN_IF_ERROR(pg::ResultStatus(conn.get(), begun, "begin"));
  for (size_t i = 0; i < statements.size(); ++i) {
    // Without parameters, so a statement may hold several commands' worth of SQL the operator
    // wrote (DO blocks); the values in it were filled in from generated, quoted-safe text.
    pg::Result result(PQexec(conn.get(), statements[i].c_str()));
    Status status = pg::ResultStatus(conn.get(), result, "statement " + std::to_string(i + 1));
    if (!status.ok()) {
      // The connection closes without COMMIT, so PostgreSQL rolls the transaction back.
      return status.code() == StatusCode::kUnavailable ? status
                                                       : InvalidArgumentError(status.message());
    }
  }
  pg::Result committed = pg::Exec(conn.get(), "COMMIT", {});
  return pg::ResultStatus(conn.get(), committed, "commit");
}

}  // namespace cellar::engines::database
