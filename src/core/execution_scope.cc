// src/core/execution_scope.cc: the per-thread storage redirect and the execution scope.
#include "core/execution_scope.h"

#include <array>

#include "core/token_store.h"

namespace cellar::core {
namespace {

thread_local storage::Storage* t_redirect = nullptr;
thread_local const HandledToken* t_handled_token = nullptr;

bool IsWrite(framework::Operation op) {
  return op != framework::Operation::kRead && op != framework::Operation::kList;
}

// `path` equals `name` or continues below it ("auth/token/create" matches "auth/token/create/r").
bool IsOrUnder(std::string_view path, std::string_view name) {
  return path.starts_with(name) && (path.size() == name.size() || path[name.size()] == '/');
}

}  // namespace

storage::Storage& RoutedStorage::Target() {
  return t_redirect != nullptr ? *t_redirect : physical_;
}

StatusOr<std::optional<std::string>> RoutedStorage::Get(std::string_view key) {
  return Target().Get(key);
}
Status RoutedStorage::Put(std::string_view key, std::string_view value) {
  return Target().Put(key, value);
}
Status RoutedStorage::Delete(std::string_view key) { return Target().Delete(key); }
StatusOr<std::vector<std::string>> RoutedStorage::List(std::string_view prefix) {
  return Target().List(prefix);
}
Status RoutedStorage::Commit(std::span<const storage::WriteOp> ops) { return Target().Commit(ops); }

StorageRedirect::StorageRedirect(storage::Storage* target) : previous_(t_redirect) {
  t_redirect = target;
}
StorageRedirect::~StorageRedirect() { t_redirect = previous_; }

HandledToken::HandledToken(std::string_view token, std::string_view hash)
    : token_(token), hash_(hash), previous_(t_handled_token) {
  t_handled_token = this;
}
HandledToken::~HandledToken() { t_handled_token = previous_; }

ExecutionScope::ExecutionScope(storage::Storage& physical, bool transactional, Undo undo)
    : transactional_(transactional), buffer_(physical), undo_(std::move(undo)) {
  if (t_handled_token != nullptr && !t_handled_token->hash_.empty()) {
    hashed_token_ = std::string(t_handled_token->token_);
    token_hash_ = std::string(t_handled_token->hash_);
  }
}

ExecutionScope::~ExecutionScope() { Abort(); }

void ExecutionScope::RecordLease(std::string id) {
  std::lock_guard<std::mutex> lock(mutex_);
  leases_.push_back(std::move(id));
}

void ExecutionScope::RecordToken(std::string id_hash) {
  std::lock_guard<std::mutex> lock(mutex_);
  tokens_.push_back(std::move(id_hash));
}

std::string ExecutionScope::TokenHash(std::string_view token) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (token_hash_.empty() || token != hashed_token_) {
    hashed_token_ = std::string(token);
    token_hash_ = HashToken(token);
  }
  return token_hash_;
}

Status ExecutionScope::Commit() {
  Status applied;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ended_) {
      return FailedPreconditionError("the execution scope has already ended");
    }
    if (transactional_) {
      applied = buffer_.Apply();
    }
    if (applied.ok()) {
      ended_ = true;
      return OkStatus();
    }
  }
  Abort();  // drops the buffer and revokes what the requests created
  return Status(applied.code(),
                "the transaction was not committed, nothing was written: " + applied.message());
}

void ExecutionScope::Abort() {
  std::vector<std::string> leases;
  std::vector<std::string> tokens;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (ended_) {
      return;
    }
    ended_ = true;
    buffer_.Discard();
    leases.swap(leases_);
    tokens.swap(tokens_);
  }
  if (undo_ && (!leases.empty() || !tokens.empty())) {
    undo_(leases, tokens);
  }
}

Status CheckAllowedInTransaction(std::string_view full_path, framework::Operation operation) {
  if (!IsWrite(operation)) {
    return OkStatus();
  }
  // Writes by method only: they answer from state and change nothing.
  static constexpr std::array<std::string_view, 8> kAllowed = {
      "sys/capabilities",       "sys/capabilities-self",     "sys/capabilities-accessor",
      "auth/token/create",      "auth/token/create-orphan",  "auth/token/lookup",
      "auth/token/lookup-self", "auth/token/lookup-accessor"};
  for (std::string_view allowed : kAllowed) {
    if (IsOrUnder(full_path, allowed)) {
      return OkStatus();
    }
  }
  if (full_path.starts_with("sys/") || full_path.starts_with("auth/token/")) {
    return InvalidArgumentError(
        "\"" + std::string(full_path) +
        "\" cannot be written inside a transaction: it changes server state that a rollback "
        "cannot restore");
  }
  return OkStatus();
}

}  // namespace cellar::core
