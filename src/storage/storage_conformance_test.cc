// src/storage/storage_conformance_test.cc: runs the conformance suite over every storage backend.
// To add a backend (e.g. PostgreSQL), write a StorageHarness for it and append it to the list.
#include <memory>

#include "storage/buffered_transaction.h"
#include "storage/memory_storage.h"
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

}  // namespace

std::vector<Backend> ConformanceBackends() {
  return {
      {"Memory", [] { return std::make_unique<MemoryHarness>(); }},
      {"Sqlite", [] { return std::make_unique<SqliteHarness>(); }},
      {"PrefixOverMemory", [] { return std::make_unique<PrefixOverMemoryHarness>(); }},
      {"PrefixOverSqlite", [] { return std::make_unique<PrefixOverSqliteHarness>(); }},
      {"BufferedTransaction", [] { return std::make_unique<BufferedHarness>(); }},
  };
}

}  // namespace cellar::storage::conformance
