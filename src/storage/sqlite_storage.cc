// src/storage/sqlite_storage.cc: SQLite connections, prepared statements and the reader pool.
#include "storage/sqlite_storage.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <mutex>
#include <shared_mutex>

#include "base/status_macros.h"
#include "storage/memory_storage.h"

namespace cellar::storage {

namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID";

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  int primary = rc & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_CANTOPEN ||
      primary == SQLITE_PERM || primary == SQLITE_READONLY || primary == SQLITE_FULL ||
      primary == SQLITE_IOERR) {
    return UnavailableError(std::move(message));
  }
  return InternalError(std::move(message));
}

// A prepared statement that resets and clears its bindings when the scope ends, so the next user
// of the connection finds it ready.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  sqlite3_stmt* get() const { return stmt_; }
  void Bind(int index, std::string_view blob) {
    // SQLITE_STATIC: the views outlive the step; a zero-length blob still binds non-NULL.
    sqlite3_bind_blob(stmt_, index, blob.empty() ? "" : blob.data(), static_cast<int>(blob.size()),
                      SQLITE_STATIC);
  }
  std::string_view Column(int index) const {
    const void* data = sqlite3_column_blob(stmt_, index);
    int size = sqlite3_column_bytes(stmt_, index);
    return data == nullptr
               ? std::string_view()
               : std::string_view(static_cast<const char*>(data), static_cast<size_t>(size));
  }

 private:
  sqlite3_stmt* stmt_;
};

// One sqlite3 handle and its prepared statements. Used by one thread at a time.
struct Connection {
  sqlite3* db = nullptr;
  sqlite3_stmt* get = nullptr;
  sqlite3_stmt* seek = nullptr;
  sqlite3_stmt* put = nullptr;
  sqlite3_stmt* del = nullptr;
  sqlite3_stmt* begin = nullptr;
  sqlite3_stmt* commit = nullptr;
  sqlite3_stmt* rollback = nullptr;

  ~Connection() {
    for (sqlite3_stmt* s : {get, seek, put, del, begin, commit, rollback}) {
      sqlite3_finalize(s);
    }
    sqlite3_close_v2(db);
  }

  Status Exec(const char* sql) {
    char* error = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
      std::string message = error ? error : sqlite3_errstr(rc);
      sqlite3_free(error);
      return SqliteError(nullptr, rc, message);
    }
    return OkStatus();
  }

  Status Prepare(const char* sql, sqlite3_stmt** out) {
    int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, nullptr);
    return rc == SQLITE_OK ? OkStatus() : SqliteError(db, rc, "prepare");
  }

  // Runs a statement that returns no rows.
  Status Run(Statement& stmt, std::string_view what) {
    int rc = sqlite3_step(stmt.get());
    return rc == SQLITE_DONE ? OkStatus() : SqliteError(db, rc, what);
  }
};

StatusOr<std::unique_ptr<Connection>> Connect(const std::string& path, const SqliteOptions& options,
                                              bool writer) {
  auto conn = std::make_unique<Connection>();
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;  // we serialise each connection
  int rc = sqlite3_open_v2(path.c_str(), &conn->db, flags, nullptr);
  if (rc != SQLITE_OK) {
    return SqliteError(conn->db, rc, "open " + path);
  }
  sqlite3_extended_result_codes(conn->db, 1);
  sqlite3_busy_timeout(conn->db, options.busy_timeout_ms);
  if (writer) {
    // journal_mode is persistent in the file; setting it once from the writer is enough.
    CELLAR_RETURN_IF_ERROR(conn->Exec("PRAGMA journal_mode=WAL"));
    CELLAR_RETURN_IF_ERROR(conn->Exec(kSchema));
  }
  CELLAR_RETURN_IF_ERROR(
      conn->Exec(options.sync_full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL"));
  CELLAR_RETURN_IF_ERROR(conn->Prepare("SELECT value FROM kv WHERE key = ?1", &conn->get));
  CELLAR_RETURN_IF_ERROR(
      conn->Prepare("SELECT key FROM kv WHERE key >= ?1 ORDER BY key", &conn->seek));
  if (writer) {
    CELLAR_RETURN_IF_ERROR(
        conn->Prepare("INSERT INTO kv (key, value) VALUES (?1, ?2) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                      &conn->put));
    CELLAR_RETURN_IF_ERROR(conn->Prepare("DELETE FROM kv WHERE key = ?1", &conn->del));
    CELLAR_RETURN_IF_ERROR(conn->Prepare("BEGIN IMMEDIATE", &conn->begin));
    CELLAR_RETURN_IF_ERROR(conn->Prepare("COMMIT", &conn->commit));
    CELLAR_RETURN_IF_ERROR(conn->Prepare("ROLLBACK", &conn->rollback));
  } else {
    CELLAR_RETURN_IF_ERROR(conn->Exec("PRAGMA query_only=1"));
  }
  return conn;
}

// The smallest key greater than every key under folder `folder` ("x/" -> "x0", since '0' follows
// '/'), so a seek skips the folder's descendants in one step.
std::string AfterFolder(std::string_view folder) {
  std::string next(folder);
  next.back() = '/' + 1;
  return next;
}

Status ApplyOp(Connection& conn, const WriteOp& op) {
  if (op.kind == WriteOp::Kind::kPut) {
    Statement stmt(conn.put);
    stmt.Bind(1, op.key);
    stmt.Bind(2, op.value);
    return conn.Run(stmt, "put");
  }
  Statement stmt(conn.del);
  stmt.Bind(1, op.key);
  return conn.Run(stmt, "delete");
}

}  // namespace

struct SqliteStorage::Impl {
  std::string path;
  SqliteOptions options;

  // Shared by every call, exclusive for Close, so Close never frees a connection in use.
  std::shared_mutex lifecycle;
  bool closed = false;  // guarded by lifecycle

  std::mutex writer_mutex;
  std::unique_ptr<Connection> writer;  // guarded by writer_mutex

  std::mutex pool_mutex;
  std::vector<std::unique_ptr<Connection>> idle_readers;  // guarded by pool_mutex

  StatusOr<std::unique_ptr<Connection>> TakeReader() {
    {
      std::lock_guard lock(pool_mutex);
      if (!idle_readers.empty()) {
        std::unique_ptr<Connection> conn = std::move(idle_readers.back());
        idle_readers.pop_back();
        return conn;
      }
    }
    return Connect(path, options, /*writer=*/false);
  }

  void ReturnReader(std::unique_ptr<Connection> conn) {
    std::lock_guard lock(pool_mutex);
    if (idle_readers.size() < static_cast<size_t>(options.max_idle_readers)) {
      idle_readers.push_back(std::move(conn));
    }
  }
};

SqliteStorage::SqliteStorage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteStorage::~SqliteStorage() { (void)Close(); }

StatusOr<std::unique_ptr<SqliteStorage>> SqliteStorage::Open(const std::string& path,
                                                             SqliteOptions options) {
  // Create the file ourselves so its mode is 0600 from the first byte; SQLite then gives the
  // -wal and -shm files the same mode as the database file.
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return UnavailableError("cannot open storage file " + path);
  }
  ::close(fd);
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  CELLAR_ASSIGN_OR_RETURN(impl->writer, Connect(path, options, /*writer=*/true));
  return std::unique_ptr<SqliteStorage>(new SqliteStorage(std::move(impl)));
}

StatusOr<std::optional<std::string>> SqliteStorage::Get(std::string_view key) {
  std::shared_lock life(impl_->lifecycle);
  if (impl_->closed) {
    return UnavailableError("storage is closed");
  }
  CELLAR_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, impl_->TakeReader());
  std::optional<std::string> value;
  {
    Statement stmt(conn->get);
    stmt.Bind(1, key);
    int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW) {
      value.emplace(stmt.Column(0));
    } else if (rc != SQLITE_DONE) {
      return SqliteError(conn->db, rc, "get");
    }
  }
  impl_->ReturnReader(std::move(conn));
  return value;
}

StatusOr<std::vector<std::string>> SqliteStorage::List(std::string_view prefix) {
  std::shared_lock life(impl_->lifecycle);
  if (impl_->closed) {
    return UnavailableError("storage is closed");
  }
  CELLAR_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, impl_->TakeReader());
  std::vector<std::string> out;
  // One read transaction so every seek sees the same snapshot.
  CELLAR_RETURN_IF_ERROR(conn->Exec("BEGIN"));
  std::string from(prefix);
  bool more = true;
  while (more) {
    more = false;
    Statement stmt(conn->seek);
    stmt.Bind(1, from);
    int rc;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      std::string_view key = stmt.Column(0);
      if (!key.starts_with(prefix)) {
        break;
      }
      size_t before = out.size();
      AppendChildren(prefix, key, out);
      if (out.size() > before && out.back().ends_with('/')) {
        // Jump past the folder's descendants instead of reading them all.
        from = std::string(prefix) + AfterFolder(out.back());
        more = true;
        break;
      }
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      Status error = SqliteError(conn->db, rc, "list");
      (void)conn->Exec("ROLLBACK");
      return error;
    }
  }
  CELLAR_RETURN_IF_ERROR(conn->Exec("COMMIT"));
  impl_->ReturnReader(std::move(conn));
  return out;
}

Status SqliteStorage::Put(std::string_view key, std::string_view value) {
  WriteOp op{WriteOp::Kind::kPut, std::string(key), std::string(value)};
  return Commit(std::span<const WriteOp>(&op, 1));
}

Status SqliteStorage::Delete(std::string_view key) {
  WriteOp op{WriteOp::Kind::kDelete, std::string(key), {}};
  return Commit(std::span<const WriteOp>(&op, 1));
}

Status SqliteStorage::Commit(std::span<const WriteOp> ops) {
  std::shared_lock life(impl_->lifecycle);
  if (impl_->closed) {
    return UnavailableError("storage is closed");
  }
  if (ops.empty()) {
    return OkStatus();
  }
  std::lock_guard lock(impl_->writer_mutex);
  Connection& conn = *impl_->writer;
  if (ops.size() == 1) {
    return ApplyOp(conn, ops[0]);  // autocommit is already one transaction
  }
  {
    Statement begin(conn.begin);
    CELLAR_RETURN_IF_ERROR(conn.Run(begin, "begin"));
  }
  for (const WriteOp& op : ops) {
    Status status = ApplyOp(conn, op);
    if (!status.ok()) {
      Statement rollback(conn.rollback);
      (void)conn.Run(rollback, "rollback");
      return status;
    }
  }
  Statement commit(conn.commit);
  Status status = conn.Run(commit, "commit");
  if (!status.ok() && !sqlite3_get_autocommit(conn.db)) {
    Statement rollback(conn.rollback);
    (void)conn.Run(rollback, "rollback");
  }
  return status;
}

Status SqliteStorage::Close() {
  std::unique_lock life(impl_->lifecycle);
  if (impl_->closed) {
    return OkStatus();
  }
  impl_->closed = true;
  {
    std::lock_guard lock(impl_->pool_mutex);
    impl_->idle_readers.clear();
  }
  std::lock_guard lock(impl_->writer_mutex);
  impl_->writer.reset();  // the last connection to close checkpoints the WAL into the database
  return OkStatus();
}

}  // namespace cellar::storage
