// src/engines/kv/factory.cc: picks KV v1 or v2 from the mount options.
#include "base/status_macros.h"
#include "engines/kv/kv.h"
#include "engines/kv/kv_v1.h"
#include "engines/kv/kv_v2.h"

namespace cellar::engines::kv {

StatusOr<std::unique_ptr<framework::Backend>> Factory(const framework::BackendConfig& config) {
  if (config.storage == nullptr) {
    return InvalidArgumentError("kv: mount has no storage");
  }
  std::string version;
  if (auto it = config.options.find("version"); it != config.options.end()) {
    version = it->second;
  }
  if (config.type == "kv-v2" && version.empty()) {
    version = "2";
  }
  std::unique_ptr<framework::Backend> backend;
  if (version.empty() || version == "1") {
    auto v1 = std::make_unique<KvV1Backend>(config);
    CELLAR_RETURN_IF_ERROR(v1->Init());
    backend = std::move(v1);
  } else if (version == "2") {
    auto v2 = std::make_unique<KvV2Backend>(config);
    CELLAR_RETURN_IF_ERROR(v2->Init());
    backend = std::move(v2);
  } else {
    return InvalidArgumentError("kv: unsupported version \"" + version + "\" (want 1 or 2)");
  }
  return backend;
}

}  // namespace cellar::engines::kv
