// src/core/execution_scope.h: the core's request scope (a profile execution): a per-thread
// storage redirect under the barrier, a write buffer for transactions, and the leases and tokens
// the scope's requests created, so a failed execution can be undone.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "framework/logical.h"
#include "framework/request_scope.h"
#include "storage/buffered_transaction.h"
#include "storage/storage.h"

namespace cellar::core {

// The storage the barrier writes to. Forwards to `physical`, except on a thread where a
// StorageRedirect is alive: there it forwards to the redirect's target (a transaction's buffer).
// Sitting under the barrier, it catches every write a request makes (its mount's data, its lease
// entries, its tokens) already encrypted, and other threads never see the buffered values.
class RoutedStorage : public storage::Storage {
 public:
  explicit RoutedStorage(storage::Storage& physical) : physical_(physical) {}

  StatusOr<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  StatusOr<std::vector<std::string>> List(std::string_view prefix) override;
  Status Commit(std::span<const storage::WriteOp> ops) override;
  std::string_view Type() const override { return physical_.Type(); }
  Status Close() override { return physical_.Close(); }

 private:
  storage::Storage& Target();

  storage::Storage& physical_;
};

// While alive, RoutedStorage on this thread uses `target` (null: the physical storage again).
// Nests: the destructor restores the previous target.
class StorageRedirect {
 public:
  explicit StorageRedirect(storage::Storage* target);
  ~StorageRedirect();
  StorageRedirect(const StorageRedirect&) = delete;
  StorageRedirect& operator=(const StorageRedirect&) = delete;

 private:
  storage::Storage* previous_;
};

// While alive, the token of the request this thread is handling and its HashToken: a scope begun
// meanwhile (the request runs a profile) starts with it, so the execution hashes the token of its
// sub-requests no more. Nests: the destructor restores the previous one.
class HandledToken {
 public:
  HandledToken(std::string_view token, std::string_view hash);
  ~HandledToken();
  HandledToken(const HandledToken&) = delete;
  HandledToken& operator=(const HandledToken&) = delete;

 private:
  friend class ExecutionScope;
  std::string_view token_;
  std::string_view hash_;
  const HandledToken* previous_;
};

// One profile execution. Non-transactional scopes only record leases and tokens; transactional
// ones also buffer every storage write of their requests over the physical storage.
class ExecutionScope : public framework::RequestScope {
 public:
  // Revokes, with the server's authority, the leases (ids) and tokens (id hashes) given.
  using Undo = std::function<void(const std::vector<std::string>& lease_ids,
                                  const std::vector<std::string>& token_hashes)>;

  ExecutionScope(storage::Storage& physical, bool transactional, Undo undo);
  ~ExecutionScope() override;

  // Where this scope's requests read and write under the barrier: the buffer, or null (physical).
  storage::Storage* redirect() { return transactional_ ? &buffer_ : nullptr; }
  bool transactional() const { return transactional_; }

  void RecordLease(std::string id);
  void RecordToken(std::string id_hash);

  // HashToken(token), remembered for the execution: its sub-requests all carry one token, and
  // hashing it costs more than the token store lookup it keys. Thread-safe.
  std::string TokenHash(std::string_view token);

  Status Commit() override;
  void Abort() override;

 private:
  bool transactional_;
  storage::BufferedTransaction buffer_;
  Undo undo_;
  std::mutex mutex_;
  bool ended_ = false;  // guarded by mutex_
  std::vector<std::string> leases_;
  std::vector<std::string> tokens_;
  std::string hashed_token_;  // guarded by mutex_; the token token_hash_ is the hash of
  std::string token_hash_;
};

// Why `operation` on `full_path` may not run inside a transaction, or OK. Writes to sys/ (mounts,
// policies, leases, keys, seal) and token revocations or renewals change state the server keeps
// in memory, which dropping the storage buffer cannot restore; they are refused up front.
Status CheckAllowedInTransaction(std::string_view full_path, framework::Operation operation);

}  // namespace cellar::core
