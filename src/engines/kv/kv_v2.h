// src/engines/kv/kv_v2.h: KV version 2: versioned secrets with metadata, soft delete and CAS.
//
// Storage layout in the mount's view: "config" (KvConfig), "metadata/<path>" (KeyMetadata, one
// record per key listing its versions) and "versions/<path>/<n>" (each version's data as JSON).
// A write commits the new version, the metadata and the pruning of old versions in one
// transaction, so a reader never sees metadata naming data that is not there.
#pragma once

#include <mutex>

#include "engines/kv/key_metadata.h"
#include "framework/keyed_mutexes.h"
#include "framework/path_backend.h"

namespace cellar::engines::kv {

class KvV2Backend : public framework::PathBackend {
 public:
  explicit KvV2Backend(const framework::BackendConfig& config);
  Status Init();

 private:
  using Request = framework::Request;
  using Response = framework::Response;
  using FieldData = framework::FieldData;

  std::vector<framework::Path> Paths();

  TimePoint Now(const Request& req) const;

  StatusOr<KvConfig> LoadConfig(storage::Storage& s) const;
  StatusOr<std::optional<KeyMetadata>> LoadMetadata(storage::Storage& s,
                                                    std::string_view path) const;
  Status SaveMetadata(storage::Storage& s, std::string_view path, const KeyMetadata& meta) const;

  // Shared by POST and PATCH on data/: checks CAS, stores `data` as a new version, returns VM.
  StatusOr<Response> WriteVersion(Request& req, const FieldData& fields, storage::Storage& s,
                                  const std::string& path, const KvConfig& config,
                                  std::optional<KeyMetadata> meta, const boost::json::object& data);

  // config
  StatusOr<Response> ReadConfig(Request& req, const FieldData& d);
  StatusOr<Response> WriteConfig(Request& req, const FieldData& d);
  // data/:path
  StatusOr<Response> ReadData(Request& req, const FieldData& d);
  StatusOr<Response> WriteData(Request& req, const FieldData& d);
  StatusOr<Response> PatchData(Request& req, const FieldData& d);
  StatusOr<Response> DeleteLatest(Request& req, const FieldData& d);
  StatusOr<bool> DataExists(Request& req, const FieldData& d);
  // subkeys/:path: the data's shape with leaves as null (depth 0 = unlimited).
  StatusOr<Response> ReadSubkeys(Request& req, const FieldData& d);
  // delete/, undelete/, destroy/:path
  StatusOr<Response> DeleteVersions(Request& req, const FieldData& d);
  StatusOr<Response> UndeleteVersions(Request& req, const FieldData& d);
  StatusOr<Response> DestroyVersions(Request& req, const FieldData& d);
  // metadata/:path
  StatusOr<Response> ListMetadata(Request& req, const FieldData& d);
  StatusOr<Response> ReadMetadata(Request& req, const FieldData& d);
  StatusOr<Response> WriteMetadata(Request& req, const FieldData& d);
  StatusOr<Response> PatchMetadata(Request& req, const FieldData& d);
  StatusOr<Response> DeleteMetadata(Request& req, const FieldData& d);
  StatusOr<bool> MetadataExists(Request& req, const FieldData& d);

  // Changes the listed versions of a key under its lock; `change` edits one kept version and may
  // ask for its data record to be deleted.
  using VersionChange = std::function<void(VersionInfo&, bool& delete_data)>;
  StatusOr<Response> ChangeVersions(Request& req, const FieldData& d, const VersionChange& change);

  framework::SystemView* system_;
  // Per-key lock so read-modify-write (CAS, new versions) is atomic within this process.
  framework::KeyedMutexes<64> locks_;
};

// Storage keys of a KV v2 key.
std::string MetadataKey(std::string_view path);
std::string VersionKey(std::string_view path, int64_t version);

}  // namespace cellar::engines::kv
