// src/core/mount_manager.cc: mount table mutations, persistence and snapshot publication.
#include "core/mount_manager.h"

#include <spdlog/spdlog.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "core/request_path.h"
#include "core/storage_util.h"
#include "crypto/random.h"

namespace cellar::core {
namespace {

using framework::BackendType;

bool IsBuiltinMount(const MountEntry& e) {
  return e.type == "system" || e.type == "cubbyhole" || e.type == "token";
}

Status CheckReserved(MountTableKind kind, std::string_view path) {
  if (kind == MountTableKind::kAuth) {
    if (path == "token/") {
      return InvalidArgumentError("cannot mount at 'auth/token/': path is reserved");
    }
    return OkStatus();
  }
  for (std::string_view reserved : {"sys/", "auth/", "cubbyhole/", "identity/"}) {
    if (path.starts_with(reserved)) {
      return InvalidArgumentError("cannot mount at '" + std::string(path) + "': path is reserved");
    }
  }
  return OkStatus();
}

MountEntry NewEntry(MountTableKind kind, std::string path, std::string type,
                    std::string description) {
  MountEntry e;
  e.kind = kind;
  e.path = std::move(path);
  e.type = std::move(type);
  e.description = std::move(description);
  e.uuid = crypto::NewUuid();
  e.accessor = NewMountAccessor(kind, e.type == "system" ? "system" : e.type);
  return e;
}

std::string SerializeTable(const MountTable& table, MountTableKind kind) {
  boost::json::array rows;
  for (const auto& mount : table.mounts()) {
    if (mount->entry.kind == kind) {
      rows.push_back(mount->entry.ToJson());
    }
  }
  boost::json::object doc;
  doc["entries"] = std::move(rows);
  return boost::json::serialize(doc);
}

StatusOr<std::vector<MountEntry>> ParseTable(std::string_view text) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(text, ec);
  if (ec || !doc.is_object()) {
    return InternalError("corrupt mount table");
  }
  std::vector<MountEntry> out;
  const boost::json::value* rows = doc.as_object().if_contains("entries");
  if (rows == nullptr || !rows->is_array()) {
    return out;
  }
  for (const boost::json::value& row : rows->as_array()) {
    if (!row.is_object()) {
      return InternalError("corrupt mount table");
    }
    CELLAR_ASSIGN_OR_RETURN(MountEntry entry, MountEntry::FromJson(row.as_object()));
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

MountManager::MountManager(const Clock& clock, std::chrono::seconds system_default,
                           std::chrono::seconds system_max, BuiltinRegistry registry)
    : clock_(clock),
      system_default_(system_default),
      system_max_(system_max),
      registry_(std::move(registry)),
      table_(std::make_shared<const MountTable>()) {}

std::shared_ptr<const Mount> MountManager::MakeMount(MountEntry entry,
                                                     std::shared_ptr<MountRuntime> rt) {
  auto mount = std::make_shared<Mount>();
  mount->route_path = entry.RoutePath();
  mount->entry = std::move(entry);
  mount->runtime = std::move(rt);
  return mount;
}

StatusOr<std::shared_ptr<MountRuntime>> MountManager::StartBackend(const MountEntry& entry) {
  auto it = registry_.find(entry.type);
  if (it == registry_.end()) {
    return InvalidArgumentError("unknown backend type: \"" + entry.type + "\"");
  }
  BackendType want =
      entry.kind == MountTableKind::kAuth ? BackendType::kCredential : BackendType::kSecrets;
  if (it->second.type != want) {
    return InvalidArgumentError(entry.kind == MountTableKind::kAuth
                                    ? "\"" + entry.type + "\" is not an auth method"
                                    : "\"" + entry.type + "\" is not a secrets engine");
  }
  auto rt = std::make_shared<MountRuntime>();
  rt->view = NewPrefixedStorage(barrier_, entry.StoragePrefix());
  rt->system =
      std::make_unique<MountSystemView>(clock_, system_default_, system_max_, entry.config);
  framework::BackendConfig config;
  config.mount_point = entry.RoutePath();
  config.type = entry.type;
  config.options = entry.options;
  config.storage = rt->view.get();
  config.system = rt->system.get();
  CELLAR_ASSIGN_OR_RETURN(rt->backend, it->second.factory(config));
  if (rt->backend == nullptr) {
    return InternalError("backend factory returned nothing for " + entry.type);
  }
  rt->unauthenticated_paths = rt->backend->UnauthenticatedPaths();
  return rt;
}

Status MountManager::Load(storage::Storage* barrier) {
  std::lock_guard<std::mutex> lock(mutex_);
  barrier_ = barrier;
  std::vector<MountEntry> entries;
  bool fresh = false;
  for (auto [key, kind] : {std::pair{kSecretsTableKey, MountTableKind::kSecrets},
                           std::pair{kAuthTableKey, MountTableKind::kAuth}}) {
    CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, barrier->Get(key));
    if (!raw) {
      fresh = true;
      continue;
    }
    CELLAR_ASSIGN_OR_RETURN(std::vector<MountEntry> rows, ParseTable(*raw));
    for (MountEntry& row : rows) {
      row.kind = kind;
      entries.push_back(std::move(row));
    }
  }
  auto has = [&](MountTableKind kind, std::string_view type) {
    for (const MountEntry& e : entries) {
      if (e.kind == kind && e.type == type) {
        return true;
      }
    }
    return false;
  };
  if (!has(MountTableKind::kSecrets, "system")) {
    entries.push_back(NewEntry(MountTableKind::kSecrets, "sys/", "system",
                               "system endpoints used for control, "
                               "policy and debugging"));
    fresh = true;
  }
  if (!has(MountTableKind::kSecrets, "cubbyhole")) {
    entries.push_back(NewEntry(MountTableKind::kSecrets, "cubbyhole/", "cubbyhole",
                               "per-token private secret storage"));
    fresh = true;
  }
  if (!has(MountTableKind::kAuth, "token")) {
    entries.push_back(
        NewEntry(MountTableKind::kAuth, "token/", "token", "token based credentials"));
    fresh = true;
  }
  std::vector<std::shared_ptr<const Mount>> mounts;
  for (MountEntry& entry : entries) {
    StatusOr<std::shared_ptr<MountRuntime>> rt = StartBackend(entry);
    if (!rt.ok()) {
      spdlog::error("mount {} ({}) not started: {}", entry.RoutePath(), entry.type,
                    rt.status().ToString());
      continue;
    }
    mounts.push_back(MakeMount(std::move(entry), std::move(rt).value()));
  }
  auto table = std::make_shared<const MountTable>(std::move(mounts));
  if (fresh) {
    CELLAR_RETURN_IF_ERROR(PersistLocked(*table));
  }
  table_.store(std::move(table));
  return OkStatus();
}

void MountManager::Clear() {
  std::lock_guard<std::mutex> lock(mutex_);
  table_.store(std::make_shared<const MountTable>());
  barrier_ = nullptr;
}

Status MountManager::PersistLocked(const MountTable& table) {
  std::vector<storage::WriteOp> ops(2);
  ops[0].key = std::string(kSecretsTableKey);
  ops[0].value = SerializeTable(table, MountTableKind::kSecrets);
  ops[1].key = std::string(kAuthTableKey);
  ops[1].value = SerializeTable(table, MountTableKind::kAuth);
  return barrier_->Commit(ops);
}

StatusOr<std::shared_ptr<const Mount>> MountManager::Enable(MountRequest request) {
  CELLAR_ASSIGN_OR_RETURN(std::string path, NormalizeMountPath(request.path));
  if (request.type.empty()) {
    return InvalidArgumentError("missing type");
  }
  CELLAR_RETURN_IF_ERROR(CheckReserved(request.kind, path));
  if (request.config.max_lease_ttl.count() > 0 &&
      request.config.default_lease_ttl > request.config.max_lease_ttl) {
    return InvalidArgumentError("default_lease_ttl cannot exceed max_lease_ttl");
  }
  std::string type = request.type;
  CanonicalizeMountType(type, request.options);
  if (type == "system" || type == "cubbyhole" || type == "token") {
    return InvalidArgumentError("cannot mount a second \"" + type + "\" backend");
  }

  std::lock_guard<std::mutex> lock(mutex_);
  if (barrier_ == nullptr) {
    return SealedError();
  }
  std::shared_ptr<const MountTable> current = table_.load();
  MountEntry entry = NewEntry(request.kind, path, type, request.description);
  entry.namespace_path = std::move(request.namespace_path);
  std::string conflict = current->Conflict(entry.RoutePath());
  if (!conflict.empty()) {
    return InvalidArgumentError("path is already in use at " + conflict);
  }
  entry.config = request.config;
  entry.options = std::move(request.options);
  entry.local = request.local;
  entry.seal_wrap = request.seal_wrap;
  CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<MountRuntime> rt, StartBackend(entry));

  std::vector<std::shared_ptr<const Mount>> mounts = current->mounts();
  std::shared_ptr<const Mount> added = MakeMount(std::move(entry), std::move(rt));
  mounts.push_back(added);
  auto next = std::make_shared<const MountTable>(std::move(mounts));
  CELLAR_RETURN_IF_ERROR(PersistLocked(*next));
  table_.store(std::move(next));
  return added;
}

StatusOr<std::shared_ptr<const Mount>> MountManager::Disable(MountTableKind kind,
                                                             std::string_view raw_path,
                                                             std::string_view namespace_path) {
  CELLAR_ASSIGN_OR_RETURN(std::string path, NormalizeMountPath(raw_path));
  std::lock_guard<std::mutex> lock(mutex_);
  if (barrier_ == nullptr) {
    return SealedError();
  }
  std::shared_ptr<const MountTable> current = table_.load();
  std::string route =
      std::string(namespace_path) + (kind == MountTableKind::kAuth ? "auth/" + path : path);
  std::shared_ptr<const Mount> found = current->Find(route);
  if (found == nullptr) {
    return std::shared_ptr<const Mount>();
  }
  if (IsBuiltinMount(found->entry)) {
    return InvalidArgumentError("cannot unmount '" + route + "'");
  }
  std::vector<std::shared_ptr<const Mount>> mounts;
  for (const auto& mount : current->mounts()) {
    if (mount != found) {
      mounts.push_back(mount);
    }
  }
  auto next = std::make_shared<const MountTable>(std::move(mounts));
  CELLAR_RETURN_IF_ERROR(PersistLocked(*next));
  table_.store(std::move(next));
  return found;
}

Status MountManager::Tune(MountTableKind kind, std::string_view raw_path, const TuneRequest& tune,
                          std::string_view namespace_path) {
  CELLAR_ASSIGN_OR_RETURN(std::string path, NormalizeMountPath(raw_path));
  std::lock_guard<std::mutex> lock(mutex_);
  if (barrier_ == nullptr) {
    return SealedError();
  }
  std::shared_ptr<const MountTable> current = table_.load();
  std::string route =
      std::string(namespace_path) + (kind == MountTableKind::kAuth ? "auth/" + path : path);
  std::shared_ptr<const Mount> found = current->Find(route);
  if (found == nullptr) {
    return InvalidArgumentError("no mount at " + route);
  }
  MountEntry entry = found->entry;
  if (tune.default_lease_ttl) {
    entry.config.default_lease_ttl = *tune.default_lease_ttl;
  }
  if (tune.max_lease_ttl) {
    entry.config.max_lease_ttl = *tune.max_lease_ttl;
  }
  if (entry.config.max_lease_ttl.count() > 0 &&
      entry.config.default_lease_ttl > entry.config.max_lease_ttl) {
    return InvalidArgumentError("default_lease_ttl cannot exceed max_lease_ttl");
  }
  if (tune.description) {
    entry.description = *tune.description;
  }
  for (const auto& [k, v] : tune.options) {
    if (k == "version" && entry.type == "kv") {
      auto it = entry.options.find("version");
      if (it != entry.options.end() && v < it->second) {
        return InvalidArgumentError("cannot downgrade the KV version of " + route);
      }
      if (it != entry.options.end() && v != it->second) {
        // The running backend was built for the old version; upgrading in place is not supported.
        return InvalidArgumentError("changing the KV version of a mount is not supported");
      }
    }
    entry.options[k] = v;
  }
  std::vector<std::shared_ptr<const Mount>> mounts;
  for (const auto& mount : current->mounts()) {
    mounts.push_back(mount == found ? MakeMount(entry, found->runtime) : mount);
  }
  auto next = std::make_shared<const MountTable>(std::move(mounts));
  CELLAR_RETURN_IF_ERROR(PersistLocked(*next));
  found->runtime->system->SetConfig(entry.config);
  table_.store(std::move(next));
  return OkStatus();
}

}  // namespace cellar::core
