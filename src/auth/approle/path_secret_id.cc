// src/auth/approle/path_secret_id.cc: secret IDs (make, list, look up, destroy).
#include <boost/json/parse.hpp>

#include "auth/approle/backend.h"
#include "auth/approle/entries.h"
#include "base/status_macros.h"
#include "crypto/random.h"
#include "framework/responses.h"
#include "framework/time_format.h"
#include "storage/storage.h"

namespace cellar::auth::approle {

using framework::FieldData;
using framework::Request;
using framework::Response;
namespace json = boost::json;

namespace {

// `metadata` is a JSON object of strings, given as a string (Vault's form).
StatusOr<std::map<std::string, std::string>> ParseMetadata(const std::string& text) {
  std::map<std::string, std::string> out;
  if (text.empty()) {
    return out;
  }
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    return InvalidArgumentError("metadata must be a JSON object of strings");
  }
  for (const auto& [k, value] : v.get_object()) {
    if (!value.is_string()) {
      return InvalidArgumentError("metadata must be a JSON object of strings");
    }
    out[std::string(k)] = std::string(value.get_string());
  }
  return out;
}

std::string Rfc3339(TimePoint t) {
  return t == TimePoint() ? std::string("0001-01-01T00:00:00Z") : framework::FormatRfc3339Nano(t);
}

}  // namespace

StatusOr<Response> AppRoleBackend::NewSecretId(Request& req, const FieldData& d) {
  std::string name = d.GetString("role_name");
  storage::Storage& s = StorageFor(req);
  CELLAR_ASSIGN_OR_RETURN(std::optional<RoleEntry> role, LoadRole(s, name));
  if (!role) {
    return InvalidArgumentError("role \"" + name + "\" does not exist");
  }
  if ((d.Has("cidr_list") && !d.GetList("cidr_list").empty()) ||
      (d.Has("token_bound_cidrs") && !d.GetList("token_bound_cidrs").empty())) {
    return InvalidArgumentError("CIDR-bound secret IDs are not supported");
  }
  CELLAR_ASSIGN_OR_RETURN(auto metadata, ParseMetadata(d.GetString("metadata")));
  // A secret ID may be shorter-lived and fewer-use than the role says, never more.
  framework::Seconds ttl = role->secret_id_ttl;
  if (d.Has("ttl") && d.GetDuration("ttl").count() > 0 &&
      (ttl.count() == 0 || d.GetDuration("ttl") < ttl)) {
    ttl = d.GetDuration("ttl");
  }
  int64_t uses = role->secret_id_num_uses;
  if (d.Has("num_uses") && d.GetInt("num_uses") > 0 && (uses == 0 || d.GetInt("num_uses") < uses)) {
    uses = d.GetInt("num_uses");
  }
  std::string secret_id = crypto::NewUuid();
  SecretIdEntry entry{.accessor = crypto::NewUuid(),
                      .creation_time = system_->clock().Now(),
                      .num_uses = uses,
                      .metadata = std::move(metadata)};
  if (ttl.count() > 0) {
    entry.expiration_time = entry.creation_time + ttl;
  }
  std::string key = SecretIdKey(name, secret_id);
  CELLAR_RETURN_IF_ERROR(s.Put(key, SerializeSecretId(entry)));
  CELLAR_RETURN_IF_ERROR(s.Put(AccessorKey(name, entry.accessor), key));
  return Response::WithData({{"secret_id", secret_id},
                             {"secret_id_accessor", entry.accessor},
                             {"secret_id_ttl", ttl.count()},
                             {"secret_id_num_uses", uses}});
}

StatusOr<Response> AppRoleBackend::ListSecretIds(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> accessors,
                          StorageFor(req).List("accessor/" + d.GetString("role_name") + "/"));
  return framework::ListResponse(accessors);
}

StatusOr<Response> AppRoleBackend::LookupSecretId(Request& req, const FieldData& d) {
  std::string name = d.GetString("role_name");
  CELLAR_ASSIGN_OR_RETURN(std::optional<SecretIdEntry> e,
                          LoadSecretId(StorageFor(req), SecretIdKey(name, d.GetString("secret_id"))));
  if (!e) {
    return Response{};
  }
  json::object metadata;
  for (const auto& [k, v] : e->metadata) {
    metadata[k] = v;
  }
  int64_t ttl = e->expiration_time == TimePoint()
                    ? 0
                    : std::chrono::duration_cast<std::chrono::seconds>(e->expiration_time -
                                                                       e->creation_time)
                          .count();
  return Response::WithData({{"secret_id_accessor", e->accessor},
                             {"creation_time", Rfc3339(e->creation_time)},
                             {"expiration_time", Rfc3339(e->expiration_time)},
                             {"last_updated_time", Rfc3339(e->creation_time)},
                             {"secret_id_num_uses", e->num_uses},
                             {"secret_id_ttl", ttl},
                             {"metadata", std::move(metadata)},
                             {"cidr_list", json::array()},
                             {"token_bound_cidrs", json::array()}});
}

StatusOr<Response> AppRoleBackend::DestroySecretId(Request& req, const FieldData& d) {
  std::string name = d.GetString("role_name");
  storage::Storage& s = StorageFor(req);
  std::lock_guard lock(locks_.For(name));
  std::string key = SecretIdKey(name, d.GetString("secret_id"));
  CELLAR_ASSIGN_OR_RETURN(std::optional<SecretIdEntry> e, LoadSecretId(s, key));
  if (e) {
    CELLAR_RETURN_IF_ERROR(s.Delete(AccessorKey(name, e->accessor)));
    CELLAR_RETURN_IF_ERROR(s.Delete(key));
  }
  return Response{};
}

}  // namespace cellar::auth::approle
