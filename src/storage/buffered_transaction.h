// src/storage/buffered_transaction.h: an overlay that buffers writes and applies them at once.
#pragma once

#include <map>
#include <shared_mutex>

#include "storage/storage.h"

namespace cellar::storage {

// Writes (Put, Delete, Commit) are buffered, not sent to `inner`; reads see the buffer first
// (read-your-own-writes), List merges buffered puts and deletes with `inner`'s keys. Apply() sends
// everything to `inner` in one atomic Commit; Discard() drops it. Profiles run a "transaction =
// true" profile on one of these. Thread-safe. Does not own `inner`. This is not isolation: reads
// of keys it has not written see `inner`'s current values, and nothing detects conflicting writes
// by others in the meantime (the last Commit wins, as with any Put).
class BufferedTransaction : public Storage {
 public:
  explicit BufferedTransaction(Storage& inner) : inner_(inner) {}

  StatusOr<std::optional<std::string>> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  StatusOr<std::vector<std::string>> List(std::string_view prefix) override;
  // Buffers `ops` (in order; later ops on a key win). Never touches `inner`.
  Status Commit(std::span<const WriteOp> ops) override;
  std::string_view Type() const override { return inner_.Type(); }

  // Commits every buffered write to `inner` atomically and empties the buffer. On error nothing was
  // applied (inner's Commit is atomic) and the buffer is kept, so the caller may retry or Discard.
  Status Apply();
  // Drops every buffered write.
  void Discard();
  // Number of distinct keys written so far.
  size_t pending_count() const;

 private:
  // True if some key under `folder` (full path ending in '/') exists in `inner_` and is not
  // deleted in the buffer. Caller holds mutex_.
  StatusOr<bool> InnerFolderSurvives(const std::string& folder);

  Storage& inner_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::optional<std::string>, std::less<>> pending_;  // nullopt = deleted
};

}  // namespace cellar::storage
