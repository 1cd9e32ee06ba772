// src/engines/kv/kv_v1.cc: KV v1 handlers; the request body is the secret, stored as JSON.
#include "engines/kv/kv_v1.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "framework/responses.h"
#include "storage/storage.h"

namespace cellar::engines::kv {

using framework::FieldData;
using framework::Operation;
using framework::Request;
using framework::Response;
namespace json = boost::json;

KvV1Backend::KvV1Backend(const framework::BackendConfig& config)
    : PathBackend(framework::BackendType::kSecrets, config.storage),
      system_(config.system) {}

Status KvV1Backend::Init() {
  return SetPaths({{
      .pattern = ".*",
      .operations = {{Operation::kRead, framework::Bind(this, &KvV1Backend::Read)},
                     {Operation::kUpdate, framework::Bind(this, &KvV1Backend::Write)},
                     {Operation::kDelete, framework::Bind(this, &KvV1Backend::Delete)},
                     {Operation::kList, framework::Bind(this, &KvV1Backend::List)}},
      .existence_check = framework::Bind(this, &KvV1Backend::Exists),
      .takes_arbitrary_input = true,
      .help = "Pass-through secret storage: any JSON object at any path.",
  }});
}

StatusOr<Response> KvV1Backend::Read(Request& req, const FieldData&) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, StorageFor(req).Get(req.path));
  if (!raw) {
    return Response{};  // nothing to read: 404
  }
  json::error_code ec;
  json::value value = json::parse(*raw, ec);
  if (ec || !value.is_object()) {
    return InternalError("kv: stored value at \"" + req.path + "\" is not a JSON object");
  }
  // Vault shows a v1 secret's "ttl" (or legacy "lease") key, else the mount default, as
  // lease_duration: a hint to re-read, not a lease.
  framework::SystemView* system = req.system != nullptr ? req.system : system_;
  framework::Seconds ttl = system != nullptr ? system->DefaultLeaseTtl() : framework::Seconds(0);
  const json::object& secret = value.get_object();
  const json::value* ttl_raw = secret.if_contains("ttl");
  if (ttl_raw == nullptr) {
    ttl_raw = secret.if_contains("lease");
  }
  if (ttl_raw != nullptr) {
    if (auto parsed = framework::ConvertField(framework::FieldType::kDuration, *ttl_raw);
        parsed.ok()) {
      ttl = framework::Seconds(parsed->get_int64());
    }
  }
  Response resp = Response::WithData(std::move(value.get_object()));
  resp.lease_duration = ttl;
  return resp;
}

StatusOr<Response> KvV1Backend::Write(Request& req, const FieldData&) {
  if (req.path.empty()) {
    return InvalidArgumentError("missing path");
  }
  if (req.data.empty()) {
    return InvalidArgumentError("missing data fields");
  }
  CELLAR_RETURN_IF_ERROR(StorageFor(req).Put(req.path, json::serialize(req.data)));
  return Response{};
}

StatusOr<Response> KvV1Backend::Delete(Request& req, const FieldData&) {
  CELLAR_RETURN_IF_ERROR(StorageFor(req).Delete(req.path));
  return Response{};
}

StatusOr<Response> KvV1Backend::List(Request& req, const FieldData&) {
  std::string prefix = req.path;
  if (!prefix.empty() && prefix.back() != '/') {
    prefix += '/';
  }
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> keys, StorageFor(req).List(prefix));
  return framework::ListResponse(keys);
}

StatusOr<bool> KvV1Backend::Exists(Request& req, const FieldData&) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, StorageFor(req).Get(req.path));
  return raw.has_value();
}

}  // namespace cellar::engines::kv
