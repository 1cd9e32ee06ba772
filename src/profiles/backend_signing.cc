// src/profiles/backend_signing.cc: the endpoints behind signed inputs: sys/profiles/nonce,
// sys/profiles/keys/:name (public keys bound to a role) and sys/profiles/config (nonce TTL).
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "profiles/backend.h"
#include "profiles/signing_keys.h"
#include "storage/storage.h"

namespace cellar::profiles {
namespace {

namespace json = boost::json;
using framework::FieldData;
using framework::FieldSchema;
using framework::FieldType;
using framework::Operation;
using framework::Path;
using framework::Request;
using framework::Response;

constexpr char kConfigKey[] = "config";
constexpr int64_t kDefaultNonceTtl = 300;
constexpr int64_t kMaxNonceTtl = 3600;

StatusOr<storage::Storage*> StorageOf(const Request& req) {
  if (req.storage == nullptr) {
    return InternalError("profiles backend has no storage");
  }
  return req.storage;
}

StatusOr<int64_t> NonceTtl(storage::Storage& storage) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, storage.Get(kConfigKey));
  if (raw) {
    boost::system::error_code ec;
    json::value v = json::parse(*raw, ec);
    if (!ec && v.is_object()) {
      if (const json::value* ttl = v.as_object().if_contains("nonce_ttl"); ttl && ttl->is_int64()) {
        return ttl->as_int64();
      }
    }
  }
  return kDefaultNonceTtl;
}

// The public_key field as text: a PEM string, JSON text, or a JWK given as a JSON object.
std::string PublicKeyText(const FieldData& d) {
  const json::value* v = d.Get("public_key");
  if (v == nullptr) {
    return "";
  }
  return v->is_string() ? std::string(v->as_string()) : json::serialize(*v);
}

}  // namespace

std::vector<Path> ProfilesBackend::SigningPaths(ProfilesBackend* b) {
  constexpr char kKeyName[] = R"((?P<name>\w[\w.-]*))";
  std::vector<FieldSchema> key_fields = {
      {"name", FieldType::kString, "Key name: the JWS kid that names it."},
      {"public_key", FieldType::kRaw, "PEM SubjectPublicKeyInfo, or a JWK (object or JSON text).",
       nullptr, true},
      {"policies", FieldType::kNameList, "The role: policies the sub-requests run with."},
      {"profiles", FieldType::kCommaList, "Signed profiles this key may run; \"*\" for all."},
      {"token_ttl", FieldType::kDuration, "Lifetime bound of the execution's token.", 300}};
  auto nonce = Bind(b, &ProfilesBackend::Nonce);
  return {
      {.pattern = "profiles/nonce",
       .operations = {{Operation::kRead, nonce}, {Operation::kUpdate, nonce}}},
      {.pattern = "profiles/config",
       .fields = {{"nonce_ttl", FieldType::kDuration, "How long a nonce stays valid.",
                   kDefaultNonceTtl}},
       .operations = {{Operation::kRead, Bind(b, &ProfilesBackend::ReadConfig)},
                      {Operation::kUpdate, Bind(b, &ProfilesBackend::WriteConfig)}}},
      {.pattern = "profiles/keys/?",
       .operations = {{Operation::kList, Bind(b, &ProfilesBackend::ListKeys)}}},
      {.pattern = std::string("profiles/keys/") + kKeyName,
       .fields = key_fields,
       .operations = {{Operation::kRead, Bind(b, &ProfilesBackend::ReadKey)},
                      {Operation::kUpdate, Bind(b, &ProfilesBackend::WriteKey)},
                      {Operation::kCreate, Bind(b, &ProfilesBackend::WriteKey)},
                      {Operation::kDelete, Bind(b, &ProfilesBackend::DeleteKey)}}},
  };
}

StatusOr<Response> ProfilesBackend::Nonce(Request& req, const FieldData&) {
  CELLAR_ASSIGN_OR_RETURN(storage::Storage * storage, StorageOf(req));
  CELLAR_ASSIGN_OR_RETURN(int64_t ttl, NonceTtl(*storage));
  std::string nonce = nonces_.Issue(std::chrono::seconds(ttl));
  return Response::WithData({{"nonce", nonce}, {"expires_in", ttl}});
}

StatusOr<Response> ProfilesBackend::ReadConfig(Request& req, const FieldData&) {
  CELLAR_ASSIGN_OR_RETURN(storage::Storage * storage, StorageOf(req));
  CELLAR_ASSIGN_OR_RETURN(int64_t ttl, NonceTtl(*storage));
  return Response::WithData({{"nonce_ttl", ttl}});
}

StatusOr<Response> ProfilesBackend::WriteConfig(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(storage::Storage * storage, StorageOf(req));
  int64_t ttl = d.GetDuration("nonce_ttl").count();
  if (ttl < 1 || ttl > kMaxNonceTtl) {
    return InvalidArgumentError("nonce_ttl must be between 1s and 1h");
  }
  CELLAR_RETURN_IF_ERROR(
      storage->Put(kConfigKey, json::serialize(json::object{{"nonce_ttl", ttl}})));
  return Response{};
}

StatusOr<Response> ProfilesBackend::ListKeys(Request& req, const FieldData&) {
  CELLAR_ASSIGN_OR_RETURN(storage::Storage * storage, StorageOf(req));
  CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> names, ListKeyBindings(*storage));
  if (names.empty()) {
    return NotFoundError("");
  }
  json::array keys;
  for (const std::string& n : names) {
    keys.push_back(json::value(n));
  }
  return Response::WithData({{"keys", std::move(keys)}});
}

StatusOr<Response> ProfilesBackend::ReadKey(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(storage::Storage * storage, StorageOf(req));
  std::string name = d.GetString("name");
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyBinding> b, GetKeyBinding(*storage, name));
  if (!b) {
    return NotFoundError("no signing key named \"" + name + "\"");
  }
  json::object data = b->ToJson();
  data["name"] = name;
  return Response::WithData(std::move(data));
}

StatusOr<Response> ProfilesBackend::WriteKey(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(storage::Storage * storage, StorageOf(req));
  std::string name = d.GetString("name");
  std::vector<std::string> policies = d.GetList("policies");
  // A binding never grants more than its author holds (as auth/token/create for child tokens).
  if (!req.caller.is_root) {
    for (const std::string& p : policies) {
      if (std::find(req.caller.policies.begin(), req.caller.policies.end(), p) ==
          req.caller.policies.end()) {
        return PermissionDeniedError("cannot bind policy \"" + p +
                                     "\": the caller does not hold it");
      }
    }
  }
  CELLAR_ASSIGN_OR_RETURN(KeyBinding binding,
                          MakeKeyBinding(name, PublicKeyText(d), std::move(policies),
                                         d.GetList("profiles"), d.GetDuration("token_ttl")));
  // One key, one role: a jwk-identified JWS must find a single binding.
  CELLAR_ASSIGN_OR_RETURN(std::optional<KeyBinding> same,
                          FindKeyBindingByThumbprint(*storage, binding.thumbprint));
  if (same && same->name != name) {
    return InvalidArgumentError("this public key is already bound as \"" + same->name + "\"");
  }
  CELLAR_RETURN_IF_ERROR(PutKeyBinding(*storage, binding));
  return Response{};
}

StatusOr<Response> ProfilesBackend::DeleteKey(Request& req, const FieldData& d) {
  CELLAR_ASSIGN_OR_RETURN(storage::Storage * storage, StorageOf(req));
  CELLAR_RETURN_IF_ERROR(DeleteKeyBinding(*storage, d.GetString("name")));
  return Response{};
}

}  // namespace cellar::profiles
