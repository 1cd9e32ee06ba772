// src/storage/postgres_ha_lock.cc: pg_try_advisory_lock on a dedicated connection, and the
// holder's address in <table>_ha.
#include "storage/postgres_ha_lock.h"

#include <cstdint>
#include <mutex>

#include "base/status_macros.h"
#include "storage/postgres_conn.h"

namespace cellar::storage {

namespace {

using postgres::Conn;
using postgres::Connect;
using postgres::Exec;
using postgres::Result;
using postgres::ResultStatus;

// The advisory lock's two keys: "CELL" and a hash of the table name (FNV-1a, kept positive so
// it reads the same as pg_locks.objid).
constexpr int32_t kLockClass = 0x43454C4C;

int32_t TableKey(const std::string& table) {
  uint32_t h = 2166136261u;
  for (unsigned char c : table) {
    h = (h ^ c) * 16777619u;
  }
  return static_cast<int32_t>(h & 0x7fffffffu);
}

std::string Text(const Result& r, int row, int column) {
  return std::string(PQgetvalue(r.get(), row, column), PQgetlength(r.get(), row, column));
}

}  // namespace

struct PostgresHaLock::Impl {
  std::string conninfo;
  // "cellar-ha:<table>": which sessions are the election's, in pg_stat_activity.
  std::string application_name;
  std::string sql_held;    // this session holds the lock
  std::string sql_leader;  // the holder's row, while somebody holds the lock
  std::string sql_record;  // records this node as the holder
  std::string lock_keys;   // "class, key" for pg_(try_)advisory_lock

  std::mutex mutex;
  Conn lock_conn;   // the session that holds (or tries for) the lock
  Conn query_conn;  // Leader() queries, so they never wait behind the lock session
  bool held = false;

  // Runs `sql` on `*conn`, (re)connecting first if it is missing or broken; a failure drops
  // the connection so the next call reconnects.
  StatusOr<Result> Run(Conn* conn, const std::string& sql,
                       std::initializer_list<std::string_view> params, std::string_view what) {
    if (!*conn || PQstatus(conn->get()) != CONNECTION_OK) {
      CELLAR_ASSIGN_OR_RETURN(*conn, Connect(conninfo, application_name));
    }
    Result result = Exec(conn->get(), sql, params);
    Status status = ResultStatus(conn->get(), result, what);
    if (!status.ok()) {
      conn->reset();
      return status;
    }
    return result;
  }
};

PostgresHaLock::PostgresHaLock(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PostgresHaLock::~PostgresHaLock() { Release(); }

StatusOr<std::unique_ptr<PostgresHaLock>> PostgresHaLock::Open(const std::string& conninfo,
                                                               const std::string& table) {
  if (!postgres::ValidTableName(table, 60)) {
    return InvalidArgumentError("PostgreSQL table name must be [a-z0-9_]+ (at most 60 bytes)");
  }
  auto impl = std::make_unique<Impl>();
  impl->conninfo = conninfo;
  impl->application_name = "cellar-ha:" + table;
  std::string ha_table = table + "_ha";
  std::string keys = std::to_string(kLockClass) + ", " + std::to_string(TableKey(table));
  std::string lock_row = "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = " +
                         std::to_string(kLockClass) +
                         " AND objid = " + std::to_string(TableKey(table)) +
                         " AND objsubid = 2 AND granted";
  impl->lock_keys = keys;
  impl->sql_held = lock_row + " AND pid = pg_backend_pid()";
  impl->sql_leader =
      "SELECT address, to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') "
      "FROM " +
      ha_table + " WHERE id = 'leader' AND EXISTS (" + lock_row + ")";
  impl->sql_record = "INSERT INTO " + ha_table + " (id, address, since) VALUES ('leader', $1, " +
                     "now()) ON CONFLICT (id) DO UPDATE SET address = EXCLUDED.address, " +
                     "since = EXCLUDED.since";
  CELLAR_RETURN_IF_ERROR(impl->Run(&impl->query_conn,
                                   "CREATE TABLE IF NOT EXISTS " + ha_table +
                                       " (id TEXT PRIMARY KEY, address TEXT NOT NULL, "
                                       "since TIMESTAMPTZ NOT NULL)",
                                   {}, "create HA table")
                             .status());
  return std::unique_ptr<PostgresHaLock>(new PostgresHaLock(std::move(impl)));
}

StatusOr<bool> PostgresHaLock::TryAcquire(const std::string& address) {
  std::lock_guard lock(impl_->mutex);
  if (impl_->held) {
    return true;
  }
  CELLAR_ASSIGN_OR_RETURN(
      Result taken,
      impl_->Run(&impl_->lock_conn, "SELECT pg_try_advisory_lock(" + impl_->lock_keys + ")::text",
                 {}, "take the HA lock"));
  if (Text(taken, 0, 0) != "true") {
    return false;
  }
  impl_->held = true;
  auto recorded = impl_->Run(&impl_->lock_conn, impl_->sql_record, {address}, "record the leader");
  if (!recorded.ok()) {
    // Without its address the others could not find this node: give the lock back.
    impl_->held = false;
    impl_->lock_conn.reset();
    return recorded.status();
  }
  return true;
}

bool PostgresHaLock::StillHeld() {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->held) {
    return false;
  }
  auto rows = impl_->Run(&impl_->lock_conn, impl_->sql_held, {}, "check the HA lock");
  if (!rows.ok() || PQntuples(rows->get()) == 0) {
    // A lost session has lost the lock; drop whatever is left of it.
    impl_->held = false;
    impl_->lock_conn.reset();
    return false;
  }
  return true;
}

void PostgresHaLock::Release() {
  std::lock_guard lock(impl_->mutex);
  if (impl_->held && impl_->lock_conn) {
    // Unlocked before the session ends, so the next holder need not wait for the server to
    // notice the closed connection.
    (void)Exec(impl_->lock_conn.get(), "SELECT pg_advisory_unlock(" + impl_->lock_keys + ")", {});
  }
  impl_->held = false;
  impl_->lock_conn.reset();
}

StatusOr<HaLeader> PostgresHaLock::Leader() {
  std::lock_guard lock(impl_->mutex);
  CELLAR_ASSIGN_OR_RETURN(
      Result rows, impl_->Run(&impl_->query_conn, impl_->sql_leader, {}, "read the HA leader"));
  if (PQntuples(rows.get()) == 0) {
    return HaLeader{};
  }
  return HaLeader{Text(rows, 0, 0), Text(rows, 0, 1)};
}

}  // namespace cellar::storage
