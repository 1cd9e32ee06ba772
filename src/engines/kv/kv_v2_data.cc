// src/engines/kv/kv_v2_data.cc: KV v2 data/, delete/, undelete/ and destroy/ handlers.
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "engines/kv/kv_v2.h"
#include "engines/kv/merge_patch.h"
#include "framework/time_format.h"
#include "storage/storage.h"

namespace cellar::engines::kv {

using framework::FieldData;
using framework::FieldType;
using framework::Request;
using framework::Response;
using storage::WriteOp;
namespace json = boost::json;

namespace {

constexpr std::string_view kCasMismatch =
    "check-and-set parameter did not match the current version";
constexpr std::string_view kCasRequired = "check-and-set parameter required for this call";

// options.cas, weakly typed like any field. nullopt when absent.
StatusOr<std::optional<int64_t>> CasOption(const framework::FieldData& d) {
  json::object options = d.GetMap("options");
  const json::value* cas = options.if_contains("cas");
  if (cas == nullptr || cas->is_null()) {
    return std::optional<int64_t>();
  }
  auto converted = framework::ConvertField(FieldType::kInt, *cas);
  if (!converted.ok()) {
    return InvalidArgumentError("error parsing check-and-set parameter");
  }
  return std::optional<int64_t>(converted->get_int64());
}

// Vault's validateCheckAndSetOption: a given cas must equal the current version (0 = absent);
// without one, the write is refused when the mount or the key requires CAS.
Status CheckCas(const framework::FieldData& d, const KvConfig& config, const KeyMetadata& meta) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<int64_t> cas, CasOption(d));
  if (!cas && meta.CasRequired(config)) {
    return InvalidArgumentError(std::string(kCasRequired));
  }
  if (cas && *cas != meta.current_version) {
    return FailedPreconditionError(std::string(kCasMismatch));
  }
  return OkStatus();
}

StatusOr<std::vector<int64_t>> VersionNumbers(const framework::FieldData& d) {
  std::vector<int64_t> out;
  for (const std::string& item : d.GetList("versions")) {
    auto n = framework::ConvertField(FieldType::kInt, json::value(item));
    if (!n.ok() || n->get_int64() < 0) {
      return InvalidArgumentError("error converting input \"" + item +
                                  "\" for field \"versions\": not a version number");
    }
    out.push_back(n->get_int64());
  }
  if (out.empty()) {
    return InvalidArgumentError("no version number provided");
  }
  return out;
}

// Keys of `data` with leaves replaced by null, down to `depth` levels (0 = all).
json::value Subkeys(const json::object& data, int64_t depth, int64_t level) {
  json::object out;
  for (const auto& [k, v] : data) {
    if (v.is_object() && (depth == 0 || level < depth)) {
      out[k] = Subkeys(v.get_object(), depth, level + 1);
    } else {
      out[k] = nullptr;
    }
  }
  return out;
}

}  // namespace

StatusOr<Response> KvV2Backend::ReadSubkeys(Request& req, const FieldData& d) {
  if (d.GetInt("depth") < 0) {
    return InvalidArgumentError("depth cannot be negative");
  }
  CELLAR_ASSIGN_OR_RETURN(Response resp, ReadData(req, d));
  if (!resp.data) {
    return resp;
  }
  json::value data = resp.data->at("data");
  resp.data->erase("data");
  (*resp.data)["subkeys"] =
      data.is_object() ? Subkeys(data.get_object(), d.GetInt("depth"), 1) : json::value();
  return resp;
}

StatusOr<Response> KvV2Backend::ReadData(Request& req, const FieldData& d) {
  std::string path = d.GetString("path");
  storage::Storage& s = StorageFor(req);
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta, LoadMetadata(s, path));
  if (!meta || meta->current_version == 0) {
    return Response{};  // nothing to read: 404
  }
  int64_t version = d.GetInt("version");
  if (version <= 0) {
    version = meta->current_version;  // Vault: only a positive version picks one
  }
  auto info = meta->versions.find(version);
  if (info == meta->versions.end()) {
    return Response{};
  }
  json::object out;
  out.reserve(2);
  out.emplace("metadata", meta->VersionView(version));
  if (info->second.destroyed || info->second.DeletedAt(Now(req))) {
    // Vault answers 404 but still shows the version's metadata, so clients can tell why.
    out.emplace("data", nullptr);
    Response resp = Response::WithData(std::move(out));
    resp.http_status = 404;
    return resp;
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, s.Get(VersionKey(path, version)));
  if (!raw) {
    return InternalError("kv: version data missing for a kept version");
  }
  json::error_code ec;
  json::value data = json::parse(*raw, ec);
  if (ec) {
    return InternalError("kv: corrupt version data");
  }
  out.emplace("data", std::move(data));
  return Response::WithData(std::move(out));
}

StatusOr<Response> KvV2Backend::WriteVersion(Request& req, const FieldData& d, storage::Storage& s,
                                             const std::string& path, const KvConfig& config,
                                             std::optional<KeyMetadata> meta,
                                             const json::object& data) {
  KeyMetadata m = meta ? std::move(*meta) : KeyMetadata{};
  CELLAR_RETURN_IF_ERROR(CheckCas(d, config, m));
  std::vector<int64_t> dropped = m.AddVersion(Now(req), config);
  std::vector<WriteOp> ops;
  ops.push_back({WriteOp::Kind::kPut, VersionKey(path, m.current_version), json::serialize(data)});
  for (int64_t old : dropped) {
    ops.push_back({WriteOp::Kind::kDelete, VersionKey(path, old), ""});
  }
  ops.push_back({WriteOp::Kind::kPut, MetadataKey(path), m.Serialize()});
  CELLAR_RETURN_IF_ERROR(s.Commit(ops));
  return Response::WithData(m.VersionView(m.current_version));
}

StatusOr<Response> KvV2Backend::WriteData(Request& req, const FieldData& d) {
  if (!d.Has("data")) {
    return InvalidArgumentError("no data provided");
  }
  std::string path = d.GetString("path");
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(path));
  CELLAR_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(s));
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta, LoadMetadata(s, path));
  return WriteVersion(req, d, s, path, config, std::move(meta), d.GetMap("data"));
}

StatusOr<Response> KvV2Backend::PatchData(Request& req, const FieldData& d) {
  if (!d.Has("data")) {
    return InvalidArgumentError("no data provided");
  }
  std::string path = d.GetString("path");
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(path));
  CELLAR_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(s));
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta, LoadMetadata(s, path));
  // A patch needs a live latest version to patch.
  if (!meta) {
    return NotFoundError("");
  }
  CELLAR_RETURN_IF_ERROR(CheckCas(d, config, *meta));
  auto info = meta->versions.find(meta->current_version);
  if (info == meta->versions.end()) {
    return NotFoundError("");
  }
  if (info->second.destroyed || info->second.DeletedAt(Now(req))) {
    Response resp = Response::WithData(meta->VersionView(meta->current_version));
    resp.http_status = 404;  // as Vault: the version's metadata says why
    return resp;
  }
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw,
                          s.Get(VersionKey(path, meta->current_version)));
  json::error_code ec;
  json::value current = raw ? json::parse(*raw, ec) : json::value();
  if (!raw || ec || !current.is_object()) {
    return InternalError("kv: version data missing or corrupt");
  }
  ApplyMergePatch(current.get_object(), d.GetMap("data"));
  return WriteVersion(req, d, s, path, config, std::move(meta), current.get_object());
}

StatusOr<Response> KvV2Backend::DeleteLatest(Request& req, const FieldData& d) {
  std::string path = d.GetString("path");
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(path));
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta, LoadMetadata(s, path));
  if (!meta) {
    return Response{};
  }
  auto info = meta->versions.find(meta->current_version);
  TimePoint now = Now(req);
  if (info == meta->versions.end() || info->second.destroyed || info->second.DeletedAt(now)) {
    return Response{};
  }
  info->second.deletion_ns = framework::ToUnixNanos(now);
  CELLAR_RETURN_IF_ERROR(SaveMetadata(s, path, *meta));
  return Response{};
}

StatusOr<bool> KvV2Backend::DataExists(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta,
                          LoadMetadata(StorageFor(req), d.GetString("path")));
  return meta.has_value();
}

StatusOr<Response> KvV2Backend::ChangeVersions(Request& req, const FieldData& d,
                                               const VersionChange& change) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<int64_t> numbers, VersionNumbers(d));
  std::string path = d.GetString("path");
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(path));
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyMetadata> meta, LoadMetadata(s, path));
  if (!meta) {
    return Response{};
  }
  std::vector<WriteOp> ops;
  for (int64_t n : numbers) {
    auto info = meta->versions.find(n);
    if (info == meta->versions.end()) {
      continue;  // unknown or pruned versions are skipped, as Vault does
    }
    bool delete_data = false;
    change(info->second, delete_data);
    if (delete_data) {
      ops.push_back({WriteOp::Kind::kDelete, VersionKey(path, n), ""});
    }
  }
  ops.push_back({WriteOp::Kind::kPut, MetadataKey(path), meta->Serialize()});
  CELLAR_RETURN_IF_ERROR(s.Commit(ops));
  return Response{};
}

StatusOr<Response> KvV2Backend::DeleteVersions(Request& req, const FieldData& d) {
  TimePoint now = Now(req);
  int64_t now_ns = framework::ToUnixNanos(now);
  return ChangeVersions(req, d, [&](VersionInfo& v, bool&) {
    if (!v.destroyed && !v.DeletedAt(now)) {
      v.deletion_ns = now_ns;
    }
  });
}

StatusOr<Response> KvV2Backend::UndeleteVersions(Request& req, const FieldData& d) {
  return ChangeVersions(req, d, [](VersionInfo& v, bool&) {
    if (!v.destroyed) {
      v.deletion_ns = 0;
    }
  });
}

StatusOr<Response> KvV2Backend::DestroyVersions(Request& req, const FieldData& d) {
  return ChangeVersions(req, d, [](VersionInfo& v, bool& delete_data) {
    if (!v.destroyed) {
      v.destroyed = true;
      delete_data = true;
    }
  });
}

}  // namespace cellar::engines::kv
