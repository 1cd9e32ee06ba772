// src/core/barrier_conformance_test.cc: the Barrier passes the same suite as every storage backend.
#include <memory>

#include "core/barrier.h"
#include "crypto/random.h"
#include "storage/memory_storage.h"
#include "storage/sqlite_storage.h"
#include "storage/storage_conformance_suite.h"

namespace cellar::storage::conformance {
namespace {

class BarrierOverMemoryHarness : public StorageHarness {
 public:
  BarrierOverMemoryHarness() {
    EXPECT_TRUE(barrier_.Initialize(root_key_).ok());
    EXPECT_TRUE(barrier_.Unseal(root_key_).ok());
  }
  Storage& storage() override { return barrier_; }

 private:
  MemoryStorage physical_;
  core::Barrier barrier_{physical_};
  std::string root_key_ = crypto::RandomBytes(32);
};

// A barrier on SQLite; reopening also restarts the barrier and unseals it again.
class BarrierOverSqliteHarness : public StorageHarness {
 public:
  BarrierOverSqliteHarness() {
    Open();
    EXPECT_TRUE(barrier_->Initialize(root_key_).ok());
    EXPECT_TRUE(barrier_->Unseal(root_key_).ok());
  }
  Storage& storage() override { return *barrier_; }
  bool InjectCommitFailure(std::string_view key) override {
    return PoisonSqliteKey(dir_.File("cellar.db"), key);
  }
  bool Reopen() override {
    barrier_.reset();
    EXPECT_TRUE(physical_->Close().ok());
    Open();
    EXPECT_TRUE(barrier_->Unseal(root_key_).ok());
    return true;
  }

 private:
  void Open() {
    physical_ = SqliteStorage::Open(dir_.File("cellar.db")).value();
    barrier_ = std::make_unique<core::Barrier>(*physical_);
  }

  TempDir dir_;
  std::string root_key_ = crypto::RandomBytes(32);
  std::unique_ptr<SqliteStorage> physical_;
  std::unique_ptr<core::Barrier> barrier_;
};

}  // namespace

std::vector<Backend> ConformanceBackends() {
  return {
      {"BarrierOverMemory", [] { return std::make_unique<BarrierOverMemoryHarness>(); }},
      {"BarrierOverSqlite", [] { return std::make_unique<BarrierOverSqliteHarness>(); }},
  };
}

}  // namespace cellar::storage::conformance
