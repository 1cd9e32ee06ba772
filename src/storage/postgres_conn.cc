// src/storage/postgres_conn.cc: result checks and table-name rules shared by the PostgreSQL parts.
#include "storage/postgres_conn.h"

#include <string>
#include <vector>

namespace cellar::storage::postgres {

std::string ErrorText(PGconn* conn) {
  std::string text = PQerrorMessage(conn);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

StatusOr<Conn> Connect(const std::string& conninfo, const std::string& application_name) {
  // expand_dbname: `conninfo` (a URI or key=value string) is expanded in place of "dbname", so
  // its own settings win over the fallback application name given after it.
  const char* keys[] = {"fallback_application_name", "dbname", nullptr};
  const char* values[] = {application_name.c_str(), conninfo.c_str(), nullptr};
  Conn conn(application_name.empty() ? PQconnectdb(conninfo.c_str())
                                     : PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (!conn || PQstatus(conn.get()) != CONNECTION_OK) {
    return UnavailableError("cannot connect to PostgreSQL: " +
                            (conn ? ErrorText(conn.get()) : std::string("out of memory")));
  }
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  return conn;
}

// Runs `sql` with binary parameters and binary results.
Result Exec(PGconn* conn, const std::string& sql, std::initializer_list<std::string_view> params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  for (std::string_view p : params) {
    values.push_back(p.data() == nullptr ? "" : p.data());
    lengths.push_back(static_cast<int>(p.size()));
    formats.push_back(1);
  }
  return Result(PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr,
                             values.data(), lengths.data(), formats.data(), /*resultFormat=*/1));
}

Status ResultStatus(PGconn* conn, const Result& result, std::string_view what) {
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    return OkStatus();
  }
  std::string message = std::string(what) + ": " + ErrorText(conn);
  if (PQstatus(conn) != CONNECTION_OK) {
    return UnavailableError(std::move(message));
  }
  const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  // Class 40 (serialization failure, deadlock) and 57/08 (shutdown, connection) are transient.
  if (state != nullptr &&
      (std::string_view(state).starts_with("40") || std::string_view(state).starts_with("57") ||
       std::string_view(state).starts_with("08"))) {
    return UnavailableError(std::move(message));
  }
  return InternalError(std::move(message));
}

bool ValidTableName(std::string_view name, size_t max_size) {
  if (name.empty() || name.size() > max_size) {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

}  // namespace cellar::storage::postgres
