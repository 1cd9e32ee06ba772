// src/storage/sqlite_storage_test.cc: SQLite only: file modes, kill -9 durability, errors.
#include "storage/sqlite_storage.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cellar::storage {
namespace {

class SqliteStorageTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (std::filesystem::temp_directory_path() / "cellar-sqlite-XXXXXX").string();
    dir_ = mkdtemp(templ.data());
    path_ = dir_ + "/cellar.db";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static mode_t Mode(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 0777;
  }

  std::string dir_;
  std::string path_;
};

TEST_F(SqliteStorageTest, FilesAreOwnerOnly) {
  mode_t old_umask = umask(0);  // even with a permissive umask
  auto storage = SqliteStorage::Open(path_).value();
  umask(old_umask);
  ASSERT_TRUE(storage->Put("k", "v").ok());
  EXPECT_EQ(Mode(path_), 0600u);
  EXPECT_EQ(Mode(path_ + "-wal"), 0600u);
  EXPECT_EQ(Mode(path_ + "-shm"), 0600u);
}

TEST_F(SqliteStorageTest, TypeIsSqlite) {
  EXPECT_EQ(SqliteStorage::Open(path_).value()->Type(), "sqlite");
}

TEST_F(SqliteStorageTest, MissingDirectoryIsUnavailable) {
  EXPECT_EQ(SqliteStorage::Open(dir_ + "/no/such/dir/db").status().code(),
            StatusCode::kUnavailable);
}

TEST_F(SqliteStorageTest, NonDatabaseFileIsRejected) {
  std::ofstream(path_) << std::string(4096, 'x');
  EXPECT_FALSE(SqliteStorage::Open(path_).ok());
}

TEST_F(SqliteStorageTest, CallsAfterCloseAreUnavailable) {
  auto storage = SqliteStorage::Open(path_).value();
  ASSERT_TRUE(storage->Close().ok());
  EXPECT_TRUE(storage->Close().ok());  // idempotent
  EXPECT_EQ(storage->Get("k").status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(storage->Put("k", "v").code(), StatusCode::kUnavailable);
  EXPECT_EQ(storage->List("").status().code(), StatusCode::kUnavailable);
}

TEST_F(SqliteStorageTest, UsesWalJournal) {
  auto storage = SqliteStorage::Open(path_).value();
  ASSERT_TRUE(storage->Put("k", "v").ok());
  EXPECT_TRUE(std::filesystem::exists(path_ + "-wal"));
}

TEST_F(SqliteStorageTest, TwoHandlesOnOneFileSeeEachOther) {
  auto a = SqliteStorage::Open(path_).value();
  auto b = SqliteStorage::Open(path_).value();
  ASSERT_TRUE(a->Put("shared", "1").ok());
  EXPECT_EQ(b->Get("shared").value(), "1");
}

// A child process acknowledges each write over a pipe and is killed with SIGKILL mid-stream;
// every acknowledged write must be in the file afterwards.
TEST_F(SqliteStorageTest, AcknowledgedWritesSurviveKill9) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    auto storage = SqliteStorage::Open(path_);
    if (!storage.ok()) {
      _exit(2);
    }
    for (int i = 0;; ++i) {
      if (!(*storage)->Put("k/" + std::to_string(i), std::to_string(i)).ok()) {
        _exit(3);
      }
      if (write(fds[1], &i, sizeof(i)) != sizeof(i)) {
        _exit(4);
      }
    }
  }
  close(fds[1]);
  int last = -1;
  int value = 0;
  while (last < 30 && read(fds[0], &value, sizeof(value)) == sizeof(value)) {
    last = value;
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  // Writes acknowledged while we were killing still count.
  while (read(fds[0], &value, sizeof(value)) == sizeof(value)) {
    last = value;
  }
  close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
  ASSERT_GE(last, 30);
  auto storage = SqliteStorage::Open(path_).value();
  for (int i = 0; i <= last; ++i) {
    EXPECT_EQ(storage->Get("k/" + std::to_string(i)).value(), std::to_string(i)) << i;
  }
}

TEST_F(SqliteStorageTest, NormalSyncModeAlsoWorks) {
  auto storage = SqliteStorage::Open(path_, {.sync_full = false}).value();
  ASSERT_TRUE(storage->Put("k", "v").ok());
  ASSERT_TRUE(storage->Close().ok());
  EXPECT_EQ(SqliteStorage::Open(path_).value()->Get("k").value(), "v");
}

}  // namespace
}  // namespace cellar::storage
