// src/storage/postgres_storage.cc: libpq connections, binary parameters and the LIST query.
#include "storage/postgres_storage.h"

#include <libpq-fe.h>

#include <mutex>
#include <shared_mutex>

#include "base/status_macros.h"
#include "storage/postgres_conn.h"

namespace cellar::storage {

namespace {

using postgres::Conn;
using postgres::Exec;
using postgres::Result;
using postgres::ResultStatus;
using postgres::ValidTableName;

// The smallest byte string greater than every string starting with `prefix`, or nullopt when
// there is none (empty or all 0xff).
std::optional<std::string> PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    unsigned char last = static_cast<unsigned char>(end.back());
    if (last != 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return std::nullopt;
}

}  // namespace

struct PostgresStorage::Impl {
  std::string conninfo;
  PostgresOptions options;
  std::string sql_get, sql_put, sql_delete, sql_list;

  std::shared_mutex lifecycle;  // shared by calls, exclusive for Close
  bool closed = false;          // guarded by lifecycle

  std::mutex pool_mutex;
  std::vector<Conn> idle;  // guarded by pool_mutex

  StatusOr<Conn> Take() {
    {
      std::lock_guard lock(pool_mutex);
      if (!idle.empty()) {
        Conn conn = std::move(idle.back());
        idle.pop_back();
        return conn;
      }
    }
    return postgres::Connect(conninfo);
  }

  // Broken connections are dropped rather than pooled.
  void Return(Conn conn) {
    if (PQstatus(conn.get()) != CONNECTION_OK ||
        PQtransactionStatus(conn.get()) != PQTRANS_IDLE) {
      return;
    }
    std::lock_guard lock(pool_mutex);
    if (idle.size() < static_cast<size_t>(options.max_idle_connections)) {
      idle.push_back(std::move(conn));
    }
  }
};

PostgresStorage::PostgresStorage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PostgresStorage::~PostgresStorage() { (void)Close(); }

StatusOr<std::unique_ptr<PostgresStorage>> PostgresStorage::Open(const std::string& conninfo,
                                                                 PostgresOptions options) {
  if (!ValidTableName(options.table)) {
    return InvalidArgumentError("PostgreSQL table name must be [a-z0-9_]+");
  }
  auto impl = std::make_unique<Impl>();
  impl->conninfo = conninfo;
  impl->options = options;
  const std::string& t = options.table;
  impl->sql_get = "SELECT value FROM " + t + " WHERE key = $1";
  impl->sql_put = "INSERT INTO " + t + " (key, value) VALUES ($1, $2) " +
                  "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value";
  impl->sql_delete = "DELETE FROM " + t + " WHERE key = $1";
  // Immediate children in one round trip: cut each key after the prefix at its first '/'.
  // $1 prefix, $2 prefix length + 1, $3 upper bound or NULL.
  impl->sql_list =
      "SELECT DISTINCT CASE WHEN p = 0 THEN rest ELSE substring(rest FROM 1 FOR p) END AS child "
      "FROM (SELECT substring(key FROM $2::int) AS rest, "
      "position('\\x2f'::bytea IN substring(key FROM $2::int)) AS p FROM " +
      t + " WHERE key >= $1 AND ($3::bytea IS NULL OR key < $3)) s " +
      "WHERE length(rest) > 0 ORDER BY child";
  CELLAR_ASSIGN_OR_RETURN(Conn conn, impl->Take());
  Result created = Exec(conn.get(),
                        "CREATE TABLE IF NOT EXISTS " + t +
                            " (key BYTEA PRIMARY KEY, value BYTEA NOT NULL)",
                        {});
  CELLAR_RETURN_IF_ERROR(ResultStatus(conn.get(), created, "create table"));
  impl->Return(std::move(conn));
  return std::unique_ptr<PostgresStorage>(new PostgresStorage(std::move(impl)));
}

StatusOr<std::optional<std::string>> PostgresStorage::Get(std::string_view key) {
  std::shared_lock life(impl_->lifecycle);
  if (impl_->closed) {
    return UnavailableError("storage is closed");
  }
  CELLAR_ASSIGN_OR_RETURN(Conn conn, impl_->Take());
  Result result = Exec(conn.get(), impl_->sql_get, {key});
  CELLAR_RETURN_IF_ERROR(ResultStatus(conn.get(), result, "get"));
  std::optional<std::string> value;
  if (PQntuples(result.get()) > 0) {
    value.emplace(PQgetvalue(result.get(), 0, 0),
                  static_cast<size_t>(PQgetlength(result.get(), 0, 0)));
  }
  impl_->Return(std::move(conn));
  return value;
}

StatusOr<std::vector<std::string>> PostgresStorage::List(std::string_view prefix) {
  std::shared_lock life(impl_->lifecycle);
  if (impl_->closed) {
    return UnavailableError("storage is closed");
  }
  CELLAR_ASSIGN_OR_RETURN(Conn conn, impl_->Take());
  // Binary int4 is big-endian.
  uint32_t start = static_cast<uint32_t>(prefix.size() + 1);
  char start_bytes[4] = {static_cast<char>(start >> 24), static_cast<char>(start >> 16),
                         static_cast<char>(start >> 8), static_cast<char>(start)};
  std::optional<std::string> end = PrefixEnd(prefix);
  const char* values[3] = {prefix.empty() ? "" : prefix.data(), start_bytes,
                           end ? end->data() : nullptr};
  int lengths[3] = {static_cast<int>(prefix.size()), 4, end ? static_cast<int>(end->size()) : 0};
  int formats[3] = {1, 1, 1};
  Result result(PQexecParams(conn.get(), impl_->sql_list.c_str(), 3, nullptr, values, lengths,
                             formats, 1));
  CELLAR_RETURN_IF_ERROR(ResultStatus(conn.get(), result, "list"));
  std::vector<std::string> out;
  for (int i = 0; i < PQntuples(result.get()); ++i) {
    out.emplace_back(PQgetvalue(result.get(), i, 0),
                     static_cast<size_t>(PQgetlength(result.get(), i, 0)));
  }
  impl_->Return(std::move(conn));
  return out;
}

Status PostgresStorage::Put(std::string_view key, std::string_view value) {
  WriteOp op{WriteOp::Kind::kPut, std::string(key), std::string(value)};
  return Commit(std::span<const WriteOp>(&op, 1));
}

Status PostgresStorage::Delete(std::string_view key) {
  WriteOp op{WriteOp::Kind::kDelete, std::string(key), {}};
  return Commit(std::span<const WriteOp>(&op, 1));
}

Status PostgresStorage::Commit(std::span<const WriteOp> ops) {
  std::shared_lock life(impl_->lifecycle);
  if (impl_->closed) {
    return UnavailableError("storage is closed");
  }
  if (ops.empty()) {
    return OkStatus();
  }
  CELLAR_ASSIGN_OR_RETURN(Conn conn, impl_->Take());
  auto run = [&](const WriteOp& op) {
    Result result = op.kind == WriteOp::Kind::kPut
                        ? Exec(conn.get(), impl_->sql_put, {op.key, op.value})
                        : Exec(conn.get(), impl_->sql_delete, {op.key});
    return ResultStatus(conn.get(), result, op.kind == WriteOp::Kind::kPut ? "put" : "delete");
  };
  Status status;
  if (ops.size() == 1) {
    status = run(ops[0]);  // a single statement is its own transaction
  } else {
    Result begin(PQexec(conn.get(), "BEGIN"));
    status = ResultStatus(conn.get(), begin, "begin");
    for (size_t i = 0; status.ok() && i < ops.size(); ++i) {
      status = run(ops[i]);
    }
    if (status.ok()) {
      Result commit(PQexec(conn.get(), "COMMIT"));
      status = ResultStatus(conn.get(), commit, "commit");
    }
    if (!status.ok() && PQtransactionStatus(conn.get()) != PQTRANS_IDLE) {
      Result rollback(PQexec(conn.get(), "ROLLBACK"));
    }
  }
  impl_->Return(std::move(conn));
  return status;
}

Status PostgresStorage::Close() {
  std::unique_lock life(impl_->lifecycle);
  impl_->closed = true;
  std::lock_guard lock(impl_->pool_mutex);
  impl_->idle.clear();
  return OkStatus();
}

}  // namespace cellar::storage
