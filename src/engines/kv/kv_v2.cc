// src/engines/kv/kv_v2.cc: KV v2's path table, config endpoint and shared storage helpers.
#include "engines/kv/kv_v2.h"

#include <boost/json/serialize.hpp>
#include <functional>

#include "base/status_macros.h"
#include "storage/storage.h"

namespace cellar::engines::kv {

using framework::Bind;
using framework::FieldData;
using framework::FieldType;
using framework::Operation;
using framework::Path;
using framework::Request;
using framework::Response;
namespace json = boost::json;

namespace {
constexpr std::string_view kConfigKey = "config";
}

std::string MetadataKey(std::string_view path) { return "metadata/" + std::string(path); }

std::string VersionKey(std::string_view path, int64_t version) {
  return "versions/" + std::string(path) + "/" + std::to_string(version);
}

KvV2Backend::KvV2Backend(const framework::BackendConfig& config)
    : PathBackend(framework::BackendType::kSecrets, config.storage),
      system_(config.system) {}

Status KvV2Backend::Init() { return SetPaths(Paths()); }

std::vector<Path> KvV2Backend::Paths() {
  const framework::FieldSchema path_field = {"path", FieldType::kString, "Location of the secret."};
  const framework::FieldSchema versions_field = {"versions", FieldType::kCommaList,
                                                 "Version numbers to act on."};
  return {
      {.pattern = "config",
       .fields = {{"max_versions", FieldType::kInt, "Versions kept per key; 0 means 10."},
                  {"cas_required", FieldType::kBool, "Require check-and-set on every write."},
                  {"delete_version_after", FieldType::kDuration,
                   "Soft-delete versions this long after they are written; 0 never."}},
       .operations = {{Operation::kRead, Bind(this, &KvV2Backend::ReadConfig)},
                      {Operation::kUpdate, Bind(this, &KvV2Backend::WriteConfig)}},
       .help = "Mount-wide KV v2 settings."},
      {.pattern = R"(data/(?P<path>.*[^/]))",
       .fields = {path_field,
                  {"version", FieldType::kInt, "Version to read; 0 is the latest."},
                  {"data", FieldType::kMap, "The secret's key/value pairs."},
                  {"options", FieldType::kMap, "Write options: cas."}},
       .operations = {{Operation::kRead, Bind(this, &KvV2Backend::ReadData)},
                      {Operation::kUpdate, Bind(this, &KvV2Backend::WriteData)},
                      {Operation::kPatch, Bind(this, &KvV2Backend::PatchData)},
                      {Operation::kDelete, Bind(this, &KvV2Backend::DeleteLatest)}},
       .existence_check = Bind(this, &KvV2Backend::DataExists),
       .help = "Read, write, patch or soft-delete a secret's versions."},
      {.pattern = R"(subkeys/(?P<path>.+))",
       .fields = {path_field,
                  {"version", FieldType::kInt, "Version to read; 0 is the latest."},
                  {"depth", FieldType::kInt, "Levels of keys to show; 0 is all."}},
       .operations = {{Operation::kRead, Bind(this, &KvV2Backend::ReadSubkeys)}},
       .help = "A secret's keys without its values."},
      {.pattern = R"(delete/(?P<path>.+))",
       .fields = {path_field, versions_field},
       .operations = {{Operation::kUpdate, Bind(this, &KvV2Backend::DeleteVersions)}},
       .help = "Soft-delete versions."},
      {.pattern = R"(undelete/(?P<path>.+))",
       .fields = {path_field, versions_field},
       .operations = {{Operation::kUpdate, Bind(this, &KvV2Backend::UndeleteVersions)}},
       .help = "Restore soft-deleted versions."},
      {.pattern = R"(destroy/(?P<path>.+))",
       .fields = {path_field, versions_field},
       .operations = {{Operation::kUpdate, Bind(this, &KvV2Backend::DestroyVersions)}},
       .help = "Erase versions' data for good."},
      {.pattern = R"(metadata(?:/(?P<path>.*))?)",
       .fields = {path_field,
                  {"max_versions", FieldType::kInt,
                   "Versions kept for this key; 0 is the mount's."},
                  {"cas_required", FieldType::kBool, "Require check-and-set for this key."},
                  {"delete_version_after", FieldType::kDuration,
                   "Soft-delete this key's versions this long after writing."},
                  {"custom_metadata", FieldType::kStringMap, "Free string pairs about the key."}},
       .operations = {{Operation::kList, Bind(this, &KvV2Backend::ListMetadata)},
                      {Operation::kRead, Bind(this, &KvV2Backend::ReadMetadata)},
                      {Operation::kUpdate, Bind(this, &KvV2Backend::WriteMetadata)},
                      {Operation::kPatch, Bind(this, &KvV2Backend::PatchMetadata)},
                      {Operation::kDelete, Bind(this, &KvV2Backend::DeleteMetadata)}},
       .existence_check = Bind(this, &KvV2Backend::MetadataExists),
       .help = "A key's settings and version list; deleting it erases every version."},
  };
}

TimePoint KvV2Backend::Now(const Request& req) const {
  framework::SystemView* system = req.system != nullptr ? req.system : system_;
  return system != nullptr ? system->clock().Now() : Clock::System().Now();
}

StatusOr<KvConfig> KvV2Backend::LoadConfig(storage::Storage& s) const {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, s.Get(kConfigKey));
  if (!raw) {
    return KvConfig{};
  }
  return KvConfig::Parse(*raw);
}

StatusOr<std::optional<KeyMetadata>> KvV2Backend::LoadMetadata(storage::Storage& s,
                                                               std::string_view path) const {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, s.Get(MetadataKey(path)));
  if (!raw) {
    return std::optional<KeyMetadata>();
  }
  CELLAR_ASSIGN_OR_RETURN(KeyMetadata meta, KeyMetadata::Parse(*raw));
  return std::optional<KeyMetadata>(std::move(meta));
}

Status KvV2Backend::SaveMetadata(storage::Storage& s, std::string_view path,
                                 const KeyMetadata& meta) const {
  return s.Put(MetadataKey(path), meta.Serialize());
}

StatusOr<Response> KvV2Backend::ReadConfig(Request& req, const FieldData&) {
  CELLAR_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(StorageFor(req)));
  return Response::WithData(config.View());
}

StatusOr<Response> KvV2Backend::WriteConfig(Request& req, const FieldData& d) {
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(kConfigKey));
  CELLAR_ASSIGN_OR_RETURN(KvConfig config, LoadConfig(s));
  if (d.Has("max_versions")) {
    if (d.GetInt("max_versions") < 0) {
      return InvalidArgumentError("max_versions cannot be negative");
    }
    config.max_versions = d.GetInt("max_versions");
  }
  if (d.Has("cas_required")) {
    config.cas_required = d.GetBool("cas_required");
  }
  if (d.Has("delete_version_after")) {
    config.delete_version_after = d.GetDuration("delete_version_after").count();
  }
  CELLAR_RETURN_IF_ERROR(s.Put(kConfigKey, json::serialize(config.ToJson())));
  return Response{};
}

}  // namespace cellar::engines::kv
