// src/storage/postgres_ha_lock_test.cc: the advisory-lock election against a real PostgreSQL
// (ctest's private server): one holder at a time, its address visible to the others, and a lost
// session loses the lock.
#include "storage/postgres_ha_lock.h"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "storage/postgres_testutil.h"

namespace cellar::storage {
namespace {

class PostgresHaLockTest : public testing::Test {
 protected:
  void SetUp() override {
    if (TestPostgresConninfo() == nullptr) {
      GTEST_SKIP() << "no PostgreSQL server for tests (run through ctest)";
    }
    std::random_device random;
    table_ = "ha_test_" + std::to_string(random());
  }
  void TearDown() override {
    if (TestPostgresConninfo() != nullptr) {
      Sql("DROP TABLE IF EXISTS " + table_ + "_ha");
    }
  }
  std::unique_ptr<PostgresHaLock> Open(const std::string& table) {
    auto lock = PostgresHaLock::Open(TestPostgresConninfo(), table);
    EXPECT_TRUE(lock.ok()) << lock.status().ToString();
    return lock.ok() ? std::move(lock).value() : nullptr;
  }
  static bool Sql(const std::string& sql) {
    PGconn* conn = PQconnectdb(TestPostgresConninfo());
    PGresult* result = PQexec(conn, sql.c_str());
    bool ok =
        PQresultStatus(result) == PGRES_TUPLES_OK || PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    PQfinish(conn);
    return ok;
  }
  std::string table_;
};

TEST_F(PostgresHaLockTest, OneHolderAtATimeAndTheOthersSeeItsAddress) {
  auto a = Open(table_);
  auto b = Open(table_);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->Leader().value().address, "");  // nobody holds it yet
  EXPECT_TRUE(a->TryAcquire("http://10.0.0.1:8200").value());
  EXPECT_TRUE(a->TryAcquire("http://10.0.0.1:8200").value());  // holding already
  EXPECT_FALSE(b->TryAcquire("http://10.0.0.2:8200").value());
  HaLeader leader = b->Leader().value();
  EXPECT_EQ(leader.address, "http://10.0.0.1:8200");
  EXPECT_EQ(leader.since.size(), std::string("2026-12-02T06:10:00.123456Z").size()) << leader.since;
  EXPECT_TRUE(a->StillHeld());
  EXPECT_FALSE(b->StillHeld());

  a->Release();
  EXPECT_FALSE(a->StillHeld());
  EXPECT_EQ(b->Leader().value().address, "");  // the row stays, but nobody holds the lock
  EXPECT_TRUE(b->TryAcquire("http://10.0.0.2:8200").value());
  EXPECT_EQ(a->Leader().value().address, "http://10.0.0.2:8200");
  EXPECT_FALSE(a->TryAcquire("http://10.0.0.1:8200").value());
}

TEST_F(PostgresHaLockTest, ALostSessionLosesTheLock) {
  auto a = Open(table_);
  auto b = Open(table_);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->TryAcquire("http://a").value());
  // What a crashed node or a cut connection looks like to PostgreSQL: its session ends. Only
  // this test's holder: other tests (ctest runs them in parallel) hold locks too.
  ASSERT_TRUE(Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
                  "application_name = 'cellar-ha:" + table_ + "' AND pid IN (SELECT pid FROM "
                  "pg_locks WHERE locktype = 'advisory' AND granted)"));
  // The terminated backend exits (and lets go) asynchronously: give it up to 10 s.
  bool taken = false;
  for (int i = 0; i < 200 && !taken; ++i) {
    taken = b->TryAcquire("http://b").value();
    if (!taken) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  EXPECT_TRUE(taken);
  EXPECT_FALSE(a->StillHeld());
  EXPECT_EQ(a->Leader().value().address, "http://b");
}

TEST_F(PostgresHaLockTest, TablesElectSeparately) {
  auto a = Open(table_);
  auto other = Open(table_ + "x");
  ASSERT_TRUE(a && other);
  EXPECT_TRUE(a->TryAcquire("http://a").value());
  EXPECT_TRUE(other->TryAcquire("http://other").value());
  other->Release();
  Sql("DROP TABLE IF EXISTS " + table_ + "x_ha");
}

TEST_F(PostgresHaLockTest, BadTableNameIsRefused) {
  auto lock = PostgresHaLock::Open(TestPostgresConninfo(), "kv; DROP TABLE x");
  ASSERT_FALSE(lock.ok());
  EXPECT_EQ(lock.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cellar::storage
