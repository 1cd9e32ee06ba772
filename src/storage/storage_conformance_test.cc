// src/storage/storage_conformance_test.cc: runs the conformance suite over every storage backend.
// To add a backend (e.g. PostgreSQL), write a StorageHarness for it and append it to the list.
#include <libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <random>

#include "storage/buffered_transaction.h"
#include "storage/memory_storage.h"
#include "storage/postgres_storage.h"
#include "storage/postgres_testutil.h"
#include "storage/prefix_view.h"
#include "storage/sqlite_storage.h"
#include "storage/storage_conformance_suite.h"

namespace cellar::storage::conformance {
namespace {

class MemoryHarness : public StorageHarness {
 public:
  Storage& storage() override { return storage_; }

 private:
  MemoryStorage storage_;
};

class SqliteHarness : public StorageHarness {
 public:
  SqliteHarness() { storage_ = SqliteStorage::Open(dir_.File("cellar.db")).value(); }
  Storage& storage() override { return *storage_; }
  bool InjectCommitFailure(std::string_view key) override {
    return PoisonSqliteKey(dir_.File("cellar.db"), key);
  }
  bool Reopen() override {
    EXPECT_TRUE(storage_->Close().ok());
    storage_.reset();
    storage_ = SqliteStorage::Open(dir_.File("cellar.db")).value();
    return true;
  }

 private:
  TempDir dir_;
  std::unique_ptr<SqliteStorage> storage_;
};

// A view into a SQLite store that also holds keys outside the view, which must stay invisible.
class PrefixOverSqliteHarness : public StorageHarness {
 public:
  PrefixOverSqliteHarness() {
    EXPECT_TRUE(inner_.storage().Put("outside", "x").ok());
    EXPECT_TRUE(inner_.storage().Put("logical/other/a", "x").ok());
    EXPECT_TRUE(inner_.storage().Put("logical/mount-1", "x").ok());
    view_ = std::make_unique<PrefixView>(inner_.storage(), "logical/mount-1/");
  }
  Storage& storage() override { return *view_; }
  bool InjectCommitFailure(std::string_view key) override {
    return inner_.InjectCommitFailure("logical/mount-1/" + std::string(key));
  }
  bool Reopen() override {
    view_.reset();
    inner_.Reopen();
    view_ = std::make_unique<PrefixView>(inner_.storage(), "logical/mount-1/");
    return true;
  }

 private:
  SqliteHarness inner_;
  std::unique_ptr<PrefixView> view_;
};

class PrefixOverMemoryHarness : public StorageHarness {
 public:
  PrefixOverMemoryHarness() {
    EXPECT_TRUE(inner_.Put("a", "outside").ok());
    EXPECT_TRUE(inner_.Put("sys/x", "outside").ok());
  }
  Storage& storage() override { return view_; }

 private:
  MemoryStorage inner_;
  PrefixView view_{inner_, "sys/view/"};
};

// A transaction whose inner store holds unrelated keys; reads must merge buffer and inner.
class BufferedHarness : public StorageHarness {
 public:
  BufferedHarness() { EXPECT_TRUE(inner_.Put("zzz/unrelated", "x").ok()); }
  Storage& storage() override { return view_; }

 private:
  MemoryStorage inner_;
  BufferedTransaction txn_{inner_};
  // Hide the unrelated key's folder from the suite by exposing a sub-tree of the transaction.
  PrefixView view_{txn_, "t/"};
};

// PostgreSQL runs against the test server (storage/postgres_testutil.h), if there is one. Each
// harness uses its own table.
class PostgresHarness : public StorageHarness {
 public:
  static const char* Conninfo() { return TestPostgresConninfo(); }

  PostgresHarness() {
    std::random_device random;
    table_ = "kv_test_" + std::to_string(random()) + std::to_string(random());
    storage_ = PostgresStorage::Open(Conninfo(), {.table = table_}).value();
  }
  ~PostgresHarness() override {
    storage_.reset();
    Sql("DROP TABLE IF EXISTS " + table_);
    Sql("DROP FUNCTION IF EXISTS " + table_ + "_poison()");
  }
  Storage& storage() override { return *storage_; }
  bool InjectCommitFailure(std::string_view key) override {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned char c : key) {
      hex.push_back(kHex[c >> 4]);
      hex.push_back(kHex[c & 15]);
    }
    return Sql("CREATE FUNCTION " + table_ + "_poison() RETURNS trigger AS $$ BEGIN IF NEW.key = " +
               "'\\x" + hex + "'::bytea THEN RAISE EXCEPTION 'poisoned key'; END IF; " +
               "RETURN NEW; END $$ LANGUAGE plpgsql") &&
           Sql("CREATE TRIGGER poison BEFORE INSERT ON " + table_ +
               " FOR EACH ROW EXECUTE FUNCTION " + table_ + "_poison()");
  }
  bool Reopen() override {
    EXPECT_TRUE(storage_->Close().ok());
    storage_ = PostgresStorage::Open(Conninfo(), {.table = table_}).value();
    return true;
  }

 private:
  bool Sql(const std::string& sql) {
    PGconn* conn = PQconnectdb(Conninfo());
    PGresult* result = PQexec(conn, sql.c_str());
    bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    PQfinish(conn);
    return ok;
  }

  std::string table_;
  std::unique_ptr<PostgresStorage> storage_;
};

}  // namespace

std::vector<Backend> ConformanceBackends() {
  return {
      {"Memory", [] { return std::make_unique<MemoryHarness>(); }},
      {"Sqlite", [] { return std::make_unique<SqliteHarness>(); }},
      {"PrefixOverMemory", [] { return std::make_unique<PrefixOverMemoryHarness>(); }},
      {"PrefixOverSqlite", [] { return std::make_unique<PrefixOverSqliteHarness>(); }},
      {"BufferedTransaction", [] { return std::make_unique<BufferedHarness>(); }},
      {"Postgres",
       []() -> std::unique_ptr<StorageHarness> {
         if (PostgresHarness::Conninfo() == nullptr) {
           return nullptr;  // skipped: no server configured
         }
         return std::make_unique<PostgresHarness>();
       }},
  };
}

}  // namespace cellar::storage::conformance
