// src/core/namespace_store.cc: namespace table mutations, persistence and snapshots.
#include "core/namespace_store.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>

#include "base/status_macros.h"
#include "crypto/random.h"
#include "framework/json_fields.h"

namespace cellar::core {
namespace {

// Names that would shadow the root namespace or a namespace's own built-in paths.
bool IsReservedName(std::string_view segment) {
  for (std::string_view reserved : {"root", "sys", "auth", "cubbyhole", "identity", "audit"}) {
    if (segment == reserved) {
      return true;
    }
  }
  return false;
}

// Names go in paths, headers and storage keys: letters, digits, '.', '_' and '-', at most 64
// bytes (a choice: Vault documents no set, and spaces or control bytes only cause trouble).
constexpr size_t kMaxNameBytes = 64;
bool IsAllowedName(std::string_view segment) {
  if (segment.size() > kMaxNameBytes) {
    return false;
  }
  for (char c : segment) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') {
      return false;
    }
  }
  return true;
}

std::string_view ParentOf(std::string_view path) {
  // "a/b/" -> "a/"; "a/" -> "".
  std::string_view trimmed = path.substr(0, path.size() - 1);
  size_t slash = trimmed.rfind('/');
  return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
}

std::string Serialize(const NamespaceMap& table) {
  boost::json::object rows;
  for (const auto& [path, entry] : table) {
    boost::json::object row = entry.ToApi();
    rows[path] = std::move(row);
  }
  boost::json::object doc;
  doc["namespaces"] = std::move(rows);
  return boost::json::serialize(doc);
}

StatusOr<NamespaceMap> Parse(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(text, ec);
  if (ec || !doc.is_object()) {
    return InternalError("corrupt namespace table");
  }
  NamespaceMap out;
  const boost::json::value* rows = doc.as_object().if_contains("namespaces");
  if (rows == nullptr || !rows->is_object()) {
    return out;
  }
  for (const auto& [path, row] : rows->as_object()) {
    if (!row.is_object()) {
      return InternalError("corrupt namespace table");
    }
    NamespaceEntry entry;
    entry.path = std::string(path);
    entry.id = framework::StoredString(row.as_object(), "id");
    if (const boost::json::value* m = row.as_object().if_contains("custom_metadata");
        m != nullptr && m->is_object()) {
      entry.custom_metadata = m->as_object();
    }
    out.emplace(entry.path, std::move(entry));
  }
  return out;
}

}  // namespace

boost::json::object NamespaceEntry::ToApi() const {
  boost::json::object out;
  out["id"] = id;
  out["path"] = path;
  out["custom_metadata"] = custom_metadata;
  return out;
}

NamespaceStore::NamespaceStore() : table_(std::make_shared<const NamespaceMap>()) {}

StatusOr<std::string> NamespaceStore::Normalize(std::string_view raw) {
  std::string out;
  size_t start = 0;
  while (start < raw.size()) {
    size_t slash = raw.find('/', start);
    std::string_view segment =
        raw.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    start = slash == std::string_view::npos ? raw.size() : slash + 1;
    if (segment.empty()) {
      if (out.empty() && slash == 0) {
        continue;  // a leading "/"
      }
      if (start >= raw.size()) {
        break;  // the trailing "/"
      }
      return InvalidArgumentError("invalid namespace path \"" + std::string(raw) + "\"");
    }
    if (!IsAllowedName(segment)) {
      // Not echoed: it may be megabytes or bytes that are not UTF-8.
      return InvalidArgumentError("invalid namespace name: at most " +
                                  std::to_string(kMaxNameBytes) +
                                  " letters, digits, '.', '_' or '-'");
    }
    if (segment == "." || segment == ".." || IsReservedName(segment)) {
      return InvalidArgumentError("invalid namespace name \"" + std::string(segment) + "\"");
    }
    out.append(segment);
    out.push_back('/');
  }
  return out;
}

Status NamespaceStore::Load(storage::Storage* barrier) {
  std::lock_guard<std::mutex> lock(mutex_);
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, barrier->Get(kNamespacesKey));
  NamespaceMap table;
  if (raw) {
    CELLAR_ASSIGN_OR_RETURN(table, Parse(*raw));
  }
  barrier_ = barrier;
  Publish(std::make_shared<const NamespaceMap>(std::move(table)));
  return OkStatus();
}

void NamespaceStore::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  barrier_ = nullptr;
  Publish(std::make_shared<const NamespaceMap>());
}

void NamespaceStore::Publish(std::shared_ptr<const NamespaceMap> table) {
  empty_.store(table->empty(), std::memory_order_relaxed);
  table_.store(std::move(table));
}

Status NamespaceStore::PersistLocked(const NamespaceMap& table) {
  if (barrier_ == nullptr) {
    return SealedError();
  }
  return barrier_->Put(std::string(kNamespacesKey), Serialize(table));
}

std::string NamespaceStore::LongestPrefix(std::string_view base, std::string_view path) const {
  std::shared_ptr<const NamespaceMap> table = Snapshot();
  std::string found(base);
  // Walk down one segment at a time while the next namespace exists.
  std::string candidate(base);
  size_t pos = 0;
  while (pos < path.size()) {
    size_t slash = path.find('/', pos);
    if (slash == std::string_view::npos) {
      break;  // a last segment without "/" names a path, not a namespace
    }
    candidate.append(path.substr(pos, slash + 1 - pos));
    if (!table->contains(candidate)) {
      break;
    }
    found = candidate;
    pos = slash + 1;
  }
  return found;
}

const NamespaceEntry* NamespaceStore::Find(const NamespaceMap& table, std::string_view path) const {
  auto it = table.find(path);
  return it == table.end() ? nullptr : &it->second;
}

const NamespaceEntry* NamespaceStore::FindById(const NamespaceMap& table,
                                               std::string_view id) const {
  for (const auto& [path, entry] : table) {
    if (entry.id == id) {
      return &entry;
    }
  }
  return nullptr;
}

StatusOr<NamespaceEntry> NamespaceStore::Create(std::string_view parent, std::string_view name,
                                                boost::json::object custom_metadata) {
  CELLAR_ASSIGN_OR_RETURN(std::string relative, Normalize(name));
  if (relative.empty()) {
    return InvalidArgumentError("missing namespace name");
  }
  std::string path = std::string(parent) + relative;
  std::lock_guard<std::mutex> lock(mutex_);
  if (barrier_ == nullptr) {
    return SealedError();
  }
  std::shared_ptr<const NamespaceMap> current = table_.load();
  if (current->contains(path)) {
    return InvalidArgumentError("namespace \"" + path + "\" already exists");
  }
  std::string_view up = ParentOf(path);
  if (!up.empty() && !current->contains(up)) {
    return InvalidArgumentError("parent namespace \"" + std::string(up) + "\" does not exist");
  }
  NamespaceEntry entry;
  entry.path = path;
  entry.custom_metadata = std::move(custom_metadata);
  bool unique = false;
  while (!unique) {
    entry.id = crypto::RandomBase62(5);
    unique = true;
    for (const auto& [_, other] : *current) {
      unique = unique && other.id != entry.id;
    }
  }
  auto next = std::make_shared<NamespaceMap>(*current);
  next->emplace(path, entry);
  CELLAR_RETURN_IF_ERROR(PersistLocked(*next));
  Publish(std::move(next));
  return entry;
}

StatusOr<NamespaceEntry> NamespaceStore::Patch(std::string_view path,
                                               const boost::json::object& patch) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (barrier_ == nullptr) {
    return SealedError();
  }
  std::shared_ptr<const NamespaceMap> current = table_.load();
  if (!current->contains(path)) {
    return NotFoundError("namespace \"" + std::string(path) + "\" does not exist");
  }
  auto next = std::make_shared<NamespaceMap>(*current);
  NamespaceEntry& entry = next->find(path)->second;
  for (const auto& [key, value] : patch) {
    if (value.is_null()) {
      entry.custom_metadata.erase(key);
    } else {
      entry.custom_metadata[key] = value;
    }
  }
  NamespaceEntry out = entry;
  CELLAR_RETURN_IF_ERROR(PersistLocked(*next));
  Publish(std::move(next));
  return out;
}

Status NamespaceStore::Delete(std::string_view path) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (barrier_ == nullptr) {
    return SealedError();
  }
  std::shared_ptr<const NamespaceMap> current = table_.load();
  if (!current->contains(path)) {
    return OkStatus();
  }
  for (const auto& [other, _] : *current) {
    if (other.size() > path.size() && other.starts_with(path)) {
      return InvalidArgumentError("cannot delete namespace \"" + std::string(path) +
                                  "\": it has child namespaces");
    }
  }
  auto next = std::make_shared<NamespaceMap>(*current);
  next->erase(next->find(path));
  CELLAR_RETURN_IF_ERROR(PersistLocked(*next));
  Publish(std::move(next));
  return OkStatus();
}

std::vector<NamespaceEntry> NamespaceStore::Children(std::string_view parent) const {
  std::vector<NamespaceEntry> out;
  for (const auto& [path, entry] : *Snapshot()) {
    if (path.size() > parent.size() && path.starts_with(parent) && ParentOf(path) == parent) {
      out.push_back(entry);
    }
  }
  return out;
}

}  // namespace cellar::core
