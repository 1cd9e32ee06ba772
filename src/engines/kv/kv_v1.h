// src/engines/kv/kv_v1.h: KV version 1, one JSON object per path, no history.
#pragma once

#include "framework/path_backend.h"

namespace cellar::engines::kv {

// GET returns the stored object (lease_duration = its "ttl" key, else the mount default), POST/PUT
// replaces it, DELETE removes it, LIST lists children (folders end in '/'). Thread-safe: each
// request is one storage call.
class KvV1Backend : public framework::PathBackend {
 public:
  explicit KvV1Backend(const framework::BackendConfig& config);
  Status Init();

 private:
  StatusOr<framework::Response> Read(framework::Request& req, const framework::FieldData& data);
  StatusOr<framework::Response> Write(framework::Request& req, const framework::FieldData& data);
  StatusOr<framework::Response> Delete(framework::Request& req, const framework::FieldData& data);
  StatusOr<framework::Response> List(framework::Request& req, const framework::FieldData& data);
  StatusOr<bool> Exists(framework::Request& req, const framework::FieldData& data);

  framework::SystemView* system_;
};

}  // namespace cellar::engines::kv
