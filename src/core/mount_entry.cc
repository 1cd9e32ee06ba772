// src/core/mount_entry.cc: mount rows to and from JSON.
#include "core/mount_entry.h"

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "framework/json_fields.h"

namespace cellar::core {
namespace {}  // namespace

std::string MountEntry::StoragePrefix() const {
  return (kind == MountTableKind::kAuth ? "auth/" : "logical/") + uuid + "/";
}

boost::json::object MountEntry::ToApi() const {
  boost::json::object config_json;
  config_json["default_lease_ttl"] = config.default_lease_ttl.count();
  config_json["max_lease_ttl"] = config.max_lease_ttl.count();
  config_json["force_no_cache"] = false;
  boost::json::object options_json;
  for (const auto& [k, v] : options) {
    options_json[k] = v;
  }
  boost::json::object out;
  out["type"] = type;
  out["description"] = description;
  out["accessor"] = accessor;
  out["uuid"] = uuid;
  out["config"] = std::move(config_json);
  if (options.empty()) {
    out["options"] = nullptr;
  } else {
    out["options"] = std::move(options_json);
  }
  out["local"] = local;
  out["seal_wrap"] = seal_wrap;
  out["external_entropy_access"] = false;
  out["plugin_version"] = "";
  return out;
}

boost::json::object MountEntry::ToJson() const {
  boost::json::object out = ToApi();
  out["path"] = path;
  out["kind"] = kind == MountTableKind::kAuth ? "auth" : "secrets";
  if (!namespace_path.empty()) {
    out["namespace_path"] = namespace_path;
  }
  return out;
}

StatusOr<MountEntry> MountEntry::FromJson(const boost::json::object& json) {
  MountEntry e;
  e.path = framework::StoredString(json, "path");
  e.type = framework::StoredString(json, "type");
  e.uuid = framework::StoredString(json, "uuid");
  if (e.path.empty() || e.type.empty() || e.uuid.empty()) {
    return InternalError("corrupt mount table entry");
  }
  e.kind = framework::StoredString(json, "kind") == "auth" ? MountTableKind::kAuth
                                                           : MountTableKind::kSecrets;
  e.namespace_path = framework::StoredString(json, "namespace_path");
  e.description = framework::StoredString(json, "description");
  e.accessor = framework::StoredString(json, "accessor");
  if (const boost::json::value* c = json.if_contains("config"); c != nullptr && c->is_object()) {
    e.config.default_lease_ttl =
        std::chrono::seconds(framework::StoredInt(c->as_object(), "default_lease_ttl"));
    e.config.max_lease_ttl =
        std::chrono::seconds(framework::StoredInt(c->as_object(), "max_lease_ttl"));
  }
  if (const boost::json::value* o = json.if_contains("options"); o != nullptr && o->is_object()) {
    for (const auto& [k, v] : o->as_object()) {
      if (v.is_string()) {
        e.options[std::string(k)] = std::string(v.as_string());
      }
    }
  }
  e.local = framework::StoredBool(json, "local");
  e.seal_wrap = framework::StoredBool(json, "seal_wrap");
  return e;
}

void CanonicalizeMountType(std::string& type, std::map<std::string, std::string>& options) {
  if (type == "kv-v2") {
    type = "kv";
    options["version"] = "2";
  } else if (type == "generic" || type == "kv-v1") {
    type = "kv";
    options["version"] = "1";
  } else if (type == "kv" && !options.contains("version")) {
    options["version"] = "1";
  }
}

std::string NewMountAccessor(MountTableKind kind, std::string_view type) {
  std::string prefix = kind == MountTableKind::kAuth ? "auth_" : "";
  return prefix + std::string(type) + "_" + crypto::HexEncode(crypto::RandomBytes(4));
}

}  // namespace cellar::core
