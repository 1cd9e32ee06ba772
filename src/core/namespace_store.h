// src/core/namespace_store.h: the namespaces (Vault Enterprise/OpenBao style), persisted in the
// barrier as one table and published as immutable snapshots for lock-free request routing.
#pragma once

#include <atomic>
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"
#include "storage/storage.h"

namespace cellar::core {

// Barrier key of the persisted table.
inline constexpr std::string_view kNamespacesKey = "core/namespaces";

struct NamespaceEntry {
  std::string id;    // 5 base62, as Vault; the `.<id>` suffix of the namespace's tokens
  std::string path;  // full, from the root: "a/", "a/b/"
  boost::json::object custom_metadata;  // string values only

  // API.md: {id, path, custom_metadata}.
  boost::json::object ToApi() const;
};

// Keyed by full path ("a/b/").
using NamespaceMap = std::map<std::string, NamespaceEntry, std::less<>>;

// Thread-safe: lookups read a snapshot without a lock; mutations serialise on a mutex.
class NamespaceStore {
 public:
  NamespaceStore();

  // On unseal: reads the table from `barrier` (valid until Clear()). Errors: storage, corrupt.
  Status Load(storage::Storage* barrier);
  // On seal: forgets every namespace.
  void Clear();

  // True when no namespace exists: the request flow's one check on the common path.
  bool empty() const { return empty_.load(std::memory_order_relaxed); }
  std::shared_ptr<const NamespaceMap> Snapshot() const { return table_.load(); }

  // The deepest existing namespace `path` starts with, at or below `base` ("" = root, else
  // "a/"): for base "" and path "a/b/secret/x" with a/ and a/b/ existing, "a/b/".
  std::string LongestPrefix(std::string_view base, std::string_view path) const;
  // The entry at the full path, or nullptr.
  const NamespaceEntry* Find(const NamespaceMap& table, std::string_view path) const;
  // The entry with `id`, or nullptr (a scan: tokens name their namespace by id, and a server
  // holds few namespaces).
  const NamespaceEntry* FindById(const NamespaceMap& table, std::string_view id) const;

  // Creates `parent` + `name` ("b" or "b/"); the parent of a nested name ("b/c") must exist.
  // Errors: InvalidArgument for a bad or reserved name, a missing parent, one that exists;
  // Sealed; storage.
  StatusOr<NamespaceEntry> Create(std::string_view parent, std::string_view name,
                                  boost::json::object custom_metadata);
  // Merges `patch` into the custom_metadata (a null value removes a key). NotFound when absent.
  StatusOr<NamespaceEntry> Patch(std::string_view path, const boost::json::object& patch);
  // Removes the namespace at the full path; absent is OK. InvalidArgument while it has children.
  Status Delete(std::string_view path);
  // Direct children of `parent` ("" = root).
  std::vector<NamespaceEntry> Children(std::string_view parent) const;

  // "a", "a/", "/a/b" -> "a/", "a/b/"; "" stays "". InvalidArgument for "."/".." segments,
  // empty segments or reserved names (root, sys, auth, cubbyhole, identity, audit).
  static StatusOr<std::string> Normalize(std::string_view raw);

 private:
  Status PersistLocked(const NamespaceMap& table);
  void Publish(std::shared_ptr<const NamespaceMap> table);

  std::mutex mutex_;                     // serialises writers
  storage::Storage* barrier_ = nullptr;  // guarded by mutex_
  std::atomic<std::shared_ptr<const NamespaceMap>> table_;
  std::atomic<bool> empty_{true};
};

}  // namespace cellar::core
