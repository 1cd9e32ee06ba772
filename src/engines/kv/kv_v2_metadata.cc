// src/engines/kv/kv_v2_metadata.cc: KV v2 metadata/ handlers (list, settings, custom metadata).
#include "base/status_macros.h"
#include "engines/kv/kv_v2.h"
#include "framework/responses.h"
#include "framework/time_format.h"
#include "storage/storage.h"

namespace cellar::engines::kv {

using framework::FieldData;
using framework::Request;
using framework::Response;
using storage::WriteOp;
namespace json = boost::json;

namespace {

StatusOr<std::string> KeyPath(const framework::FieldData& d) {
  std::string path = d.GetString("path");
  if (path.empty() || path.back() == '/') {
    return InvalidArgumentError("missing path");
  }
  return path;
}

// The settings fields shared by POST and PATCH; custom_metadata is handled by each.
Status ApplySettings(const framework::FieldData& d, KeyMetadata& meta) {
  if (d.Has("max_versions")) {
    if (d.GetInt("max_versions") < 0) {
      return InvalidArgumentError("max_versions cannot be negative");
    }
    meta.max_versions = d.GetInt("max_versions");
  }
  if (d.Has("cas_required")) {
    meta.cas_required = d.GetBool("cas_required");
  }
  if (d.Has("delete_version_after")) {
    meta.delete_version_after = d.GetDuration("delete_version_after").count();
  }
  return OkStatus();
}

// A key cannot opt out of CAS the mount requires; Vault says so with a warning.
Response CasWarning(const framework::FieldData& d, const KvConfig& config) {
  Response resp;
  if (d.Has("cas_required") && !d.GetBool("cas_required") && config.cas_required) {
    resp.warnings.push_back(
        "\"cas_required\" set to false, but is mandated by backend config. This value will be "
        "ignored.");
  }
  return resp;
}

}  // namespace

StatusOr<Response> KvV2Backend::ListMetadata(Request& req, const FieldData& d) {
  std::string prefix = d.GetString("path");
  if (!prefix.empty() && prefix.back() != '/') {
    prefix += '/';
  }
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> keys, StorageFor(req).List(MetadataKey(prefix)));
  return framework::ListResponse(keys);
}

StatusOr<Response> KvV2Backend::ReadMetadata(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::string path, KeyPath(d));
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta, LoadMetadata(StorageFor(req), path));
  if (!meta) {
    return Response{};
  }
  return Response::WithData(meta->View());
}

StatusOr<Response> KvV2Backend::WriteMetadata(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::string path, KeyPath(d));
  if (!d.Has("max_versions") && !d.Has("cas_required") && !d.Has("delete_version_after") &&
      !d.Has("custom_metadata")) {
    return Response{};  // Vault: nothing to set, nothing created
  }
  json::object custom = d.GetMap("custom_metadata");
  CELLAR_RETURN_IF_ERROR(ValidateCustomMetadata(custom));
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(path));
  CELLAR_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(s));
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> loaded, LoadMetadata(s, path));
  KeyMetadata meta = loaded ? std::move(*loaded) : KeyMetadata{};
  if (!loaded) {
    meta.created_ns = meta.updated_ns = framework::ToUnixNanos(Now(req));
  }
  CELLAR_RETURN_IF_ERROR(ApplySettings(d, meta));
  if (d.Has("custom_metadata")) {
    meta.custom_metadata = std::move(custom);  // POST replaces the whole map
  }
  // Versions past a lowered max_versions go on the next data write, as in Vault.
  CELLAR_RETURN_IF_ERROR(SaveMetadata(s, path, meta));
  return CasWarning(d, config);
}

StatusOr<Response> KvV2Backend::PatchMetadata(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::string path, KeyPath(d));
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(path));
  CELLAR_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(s));
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta, LoadMetadata(s, path));
  if (!meta) {
    return NotFoundError("");
  }
  CELLAR_RETURN_IF_ERROR(ApplySettings(d, *meta));
  // Merge: the converted map drops nulls, so read them from the raw body to remove those keys.
  if (d.Has("custom_metadata")) {
    for (const auto& [k, v] : d.GetMap("custom_metadata")) {
      meta->custom_metadata[k] = v;
    }
    if (const json::value* raw = req.data.if_contains("custom_metadata");
        raw != nullptr && raw->is_object()) {
      for (const auto& [k, v] : raw->get_object()) {
        if (v.is_null()) {
          meta->custom_metadata.erase(k);
        }
      }
    }
    CELLAR_RETURN_IF_ERROR(ValidateCustomMetadata(meta->custom_metadata));
  }
  CELLAR_RETURN_IF_ERROR(SaveMetadata(s, path, *meta));
  return CasWarning(d, config);
}

StatusOr<Response> KvV2Backend::DeleteMetadata(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::string path, KeyPath(d));
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(path));
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta, LoadMetadata(s, path));
  if (!meta) {
    return Response{};
  }
  std::vector<WriteOp> ops;
  for (const auto& [n, info] : meta->versions) {
    ops.push_back({WriteOp::Kind::kDelete, VersionKey(path, n), ""});
  }
  ops.push_back({WriteOp::Kind::kDelete, MetadataKey(path), ""});
  CELLAR_RETURN_IF_ERROR(s.Commit(ops));
  return Response{};
}

StatusOr<bool> KvV2Backend::MetadataExists(Request& req, const FieldData& d) {
  std::string path = d.GetString("path");
  if (path.empty()) {
    return false;
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta, LoadMetadata(StorageFor(req), path));
  return meta.has_value();
}

}  // namespace cellar::engines::kv
