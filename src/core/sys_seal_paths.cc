// src/core/sys_seal_paths.cc: sys/init, seal-status, unseal, seal, step-down, rotate,
// key-status, health, leader, generate-root/*, rekey/*; the raw ones answer without the
// envelope, as Vault.
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "core/core_impl.h"
#include "core/sys_backend.h"
#include "framework/time_format.h"

namespace cellar::core {
namespace {

using framework::FieldData;
using framework::FieldType;
using framework::Operation;
using framework::Path;
using framework::Request;
using framework::Response;

Response Raw(const boost::json::object& body, int status = 200) {
  Response r;
  framework::RawBody raw;
  raw.http_status = status;
  raw.body = boost::json::serialize(body);
  r.raw = std::move(raw);
  return r;
}

boost::json::array Strings(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const std::string& s : v) {
    a.push_back(boost::json::string(s));
  }
  return a;
}

boost::json::object SealStatusJson(const SealStatus& s) {
  return {{"type", s.type},
          {"initialized", s.initialized},
          {"sealed", s.sealed},
          {"t", s.t},
          {"n", s.n},
          {"progress", s.progress},
          {"nonce", s.nonce},
          {"version", s.version},
          {"build_date", ""},
          {"migration", false},
          {"recovery_seal", false},
          {"storage_type", s.storage_type},
          {"cluster_name", s.cluster_name},
          {"cluster_id", s.cluster_id}};
}

boost::json::object RekeyJson(const RekeyStatus& s) {
  boost::json::object o = {{"started", s.started},
                           {"nonce", s.nonce},
                           {"t", s.t},
                           {"n", s.n},
                           {"progress", s.progress},
                           {"required", s.required},
                           {"verification_required", s.verification_required},
                           {"verification_nonce", ""},
                           {"pgp_fingerprints", nullptr},
                           {"backup", false}};
  if (s.complete) {
    o["complete"] = true;
    o["keys"] = Strings(s.keys_hex);
    o["keys_base64"] = Strings(s.keys_base64);
  }
  return o;
}

boost::json::object GenerateRootJson(const GenerateRootStatus& s) {
  return {{"started", s.started},
          {"nonce", s.nonce},
          {"progress", s.progress},
          {"required", s.required},
          {"complete", s.complete},
          {"encoded_token", s.encoded_token},
          {"encoded_root_token", s.encoded_root_token},
          {"pgp_fingerprint", s.pgp_fingerprint},
          {"otp", s.otp},
          {"otp_length", s.otp_length}};
}

// ?sealedcode=503 style overrides of sys/health.
int CodeParam(const FieldData& data, std::string_view name, int fallback) {
  if (!data.Has(name)) {
    return fallback;
  }
  int64_t code = data.GetInt(name);
  return code >= 100 && code < 600 ? static_cast<int>(code) : fallback;
}

}  // namespace

std::vector<Path> SysSealPaths(Core::Impl& core) {
  Core::Impl* c = &core;
  std::vector<Path> paths;

  paths.push_back(
      {.pattern = "init",
       .fields = {{"secret_shares", FieldType::kInt, "Shares to split the root key into."},
                  {"secret_threshold", FieldType::kInt, "Shares needed to unseal."},
                  {"stored_shares", FieldType::kInt, "Unsupported."},
                  {"pgp_keys", FieldType::kCommaList, "Unsupported."},
                  {"root_token_pgp_key", FieldType::kString, "Unsupported."}},
       .operations = {
           {Operation::kRead,
            [c](Request&, const FieldData&) -> StatusOr<Response> {
              CELLAR_ASSIGN_OR_RETURN(bool initialized, c->IsInitialized());
              return Raw({{"initialized", initialized}});
            }},
           {Operation::kUpdate, [c](Request&, const FieldData& data) -> StatusOr<Response> {
              CELLAR_ASSIGN_OR_RETURN(
                  InitResult result,
                  c->Initialize(static_cast<int>(data.GetInt("secret_shares")),
                                static_cast<int>(data.GetInt("secret_threshold"))));
              return Raw({{"keys", Strings(result.keys_hex)},
                          {"keys_base64", Strings(result.keys_base64)},
                          {"root_token", result.root_token}});
            }}}});

  paths.push_back(
      {.pattern = "seal-status",
       .fields = {},
       .operations = {{Operation::kRead, [c](Request&, const FieldData&) -> StatusOr<Response> {
                         CELLAR_ASSIGN_OR_RETURN(SealStatus s, c->GetSealStatus());
                         return Raw(SealStatusJson(s));
                       }}}});

  paths.push_back({.pattern = "unseal",
                   .fields = {{"key", FieldType::kString, "One unseal key share (hex or base64)."},
                              {"reset", FieldType::kBool, "Forget the shares given so far."},
                              {"migrate", FieldType::kBool, "Unsupported."}},
                   .operations = {{Operation::kUpdate,
                                   [c](Request&, const FieldData& data) -> StatusOr<Response> {
                                     if (data.GetBool("reset")) {
                                       c->ResetUnsealProgress();
                                     } else {
                                       std::string key = data.GetString("key");
                                       if (key.empty()) {
                                         return InvalidArgumentError(
                                             "'key' must be specified in request "
                                             "body as JSON, or 'reset' set to true");
                                       }
                                       CELLAR_RETURN_IF_ERROR(c->Unseal(key).status());
                                     }
                                     CELLAR_ASSIGN_OR_RETURN(SealStatus s, c->GetSealStatus());
                                     return Raw(SealStatusJson(s));
                                   }}}});

  paths.push_back(
      {.pattern = "seal",
       .fields = {},
       .operations = {{Operation::kUpdate, [c](Request&, const FieldData&) -> StatusOr<Response> {
                         CELLAR_RETURN_IF_ERROR(c->Seal());
                         return Response{};
                       }}}});

  // Vault's operator step-down: the active node hands over to a standby (no-op without HA).
  paths.push_back(
      {.pattern = "step-down",
       .fields = {},
       .operations = {{Operation::kUpdate, [c](Request&, const FieldData&) -> StatusOr<Response> {
                         if (c->ha) {
                           c->ha->StepDown();
                         }
                         return Response{};
                       }}}});

  paths.push_back(
      {.pattern = "rotate",
       .fields = {},
       .operations = {{Operation::kUpdate, [c](Request&, const FieldData&) -> StatusOr<Response> {
                         CELLAR_RETURN_IF_ERROR(c->Rotate());
                         return Response{};
                       }}}});

  paths.push_back(
      {.pattern = "key-status",
       .fields = {},
       .operations = {{Operation::kRead, [c](Request&, const FieldData&) -> StatusOr<Response> {
                         CELLAR_ASSIGN_OR_RETURN(KeyStatus k, c->GetKeyStatus());
                         return Response::WithData(
                             {{"term", k.term},
                              {"install_time", framework::FormatRfc3339Nano(k.install_time)},
                              {"encryptions", k.encryptions}});
                       }}}});

  paths.push_back({.pattern = "health",
                   .fields = {{"standbyok", FieldType::kBool, ""},
                              {"perfstandbyok", FieldType::kBool, ""},
                              {"activecode", FieldType::kInt, ""},
                              {"standbycode", FieldType::kInt, ""},
                              {"sealedcode", FieldType::kInt, ""},
                              {"uninitcode", FieldType::kInt, ""},
                              {"drsecondarycode", FieldType::kInt, ""},
                              {"performancestandbycode", FieldType::kInt, ""}},
                   .operations = {{Operation::kRead,
                                   [c](Request&, const FieldData& data) -> StatusOr<Response> {
                                     CELLAR_ASSIGN_OR_RETURN(SealStatus s, c->GetSealStatus());
                                     int code = CodeParam(data, "activecode", 200);
                                     bool standby = !s.sealed && c->standby.load();
                                     if (!s.initialized) {
                                       code = CodeParam(data, "uninitcode", 501);
                                     } else if (s.sealed) {
                                       code = CodeParam(data, "sealedcode", 503);
                                     } else if (standby && !data.GetBool("standbyok")) {
                                       code = CodeParam(data, "standbycode", 429);
                                     }
                                     int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                                       c->clock().Now().time_since_epoch())
                                                       .count();
                                     return Raw({{"initialized", s.initialized},
                                                 {"sealed", s.sealed},
                                                 {"standby", standby},
                                                 {"performance_standby", false},
                                                 {"replication_performance_mode", "disabled"},
                                                 {"replication_dr_mode", "disabled"},
                                                 {"server_time_utc", now},
                                                 {"version", s.version},
                                                 {"cluster_name", s.cluster_name},
                                                 {"cluster_id", s.cluster_id}},
                                                code);
                                   }}}});

  paths.push_back(
      {.pattern = "leader",
       .fields = {},
       .operations = {{Operation::kRead, [c](Request&, const FieldData&) -> StatusOr<Response> {
                         storage::HaLeader leader = c->ha ? c->ha->leader() : storage::HaLeader{};
                         return Raw({{"ha_enabled", c->ha != nullptr},
                                     {"is_self", c->ha != nullptr && c->ha->active()},
                                     {"active_time",
                                      leader.since.empty() ? "0001-01-01T00:00:00Z" : leader.since},
                                     {"leader_address", leader.address},
                                     {"leader_cluster_address", ""},
                                     {"performance_standby", false}});
                       }}}});

  std::vector<framework::FieldSchema> share_fields = {
      {"key", FieldType::kString, "One current unseal key share."},
      {"nonce", FieldType::kString, "The operation's nonce."},
      {"otp", FieldType::kString, "One-time pad (generate-root)."},
      {"pgp_key", FieldType::kString, "Unsupported."},
      {"secret_shares", FieldType::kInt, "New number of shares (rekey)."},
      {"secret_threshold", FieldType::kInt, "New threshold (rekey)."},
      {"require_verification", FieldType::kBool, "Unsupported."},
      {"pgp_keys", FieldType::kCommaList, "Unsupported."},
      {"backup", FieldType::kBool, "Unsupported."}};
  SealManager* seal = core.seal_manager.get();

  paths.push_back(
      {.pattern = "generate-root/attempt",
       .fields = share_fields,
       .operations = {
           {Operation::kRead,
            [seal](Request&, const FieldData&) -> StatusOr<Response> {
              CELLAR_ASSIGN_OR_RETURN(GenerateRootStatus s, seal->GetGenerateRootStatus());
              return Raw(GenerateRootJson(s));
            }},
           {Operation::kUpdate,
            [seal](Request&, const FieldData& data) -> StatusOr<Response> {
              CELLAR_ASSIGN_OR_RETURN(
                  GenerateRootStatus s,
                  seal->GenerateRootInit(data.GetString("otp"), data.GetString("pgp_key")));
              return Raw(GenerateRootJson(s));
            }},
           {Operation::kDelete, [seal](Request&, const FieldData&) -> StatusOr<Response> {
              CELLAR_RETURN_IF_ERROR(seal->GenerateRootCancel());
              return Response{};
            }}}});
  paths.push_back(
      {.pattern = "generate-root/update",
       .fields = share_fields,
       .operations = {
           {Operation::kUpdate, [seal](Request&, const FieldData& data) -> StatusOr<Response> {
              CELLAR_ASSIGN_OR_RETURN(
                  GenerateRootStatus s,
                  seal->GenerateRootUpdate(data.GetString("key"), data.GetString("nonce")));
              return Raw(GenerateRootJson(s));
            }}}});
  paths.push_back(
      {.pattern = "rekey/init",
       .fields = share_fields,
       .operations = {
           {Operation::kRead,
            [seal](Request&, const FieldData&) -> StatusOr<Response> {
              CELLAR_ASSIGN_OR_RETURN(RekeyStatus s, seal->GetRekeyStatus());
              return Raw(RekeyJson(s));
            }},
           {Operation::kUpdate,
            [seal](Request&, const FieldData& data) -> StatusOr<Response> {
              CELLAR_ASSIGN_OR_RETURN(
                  RekeyStatus s, seal->RekeyInit(static_cast<int>(data.GetInt("secret_shares")),
                                                 static_cast<int>(data.GetInt("secret_threshold")),
                                                 data.GetBool("require_verification")));
              return Raw(RekeyJson(s));
            }},
           {Operation::kDelete, [seal](Request&, const FieldData&) -> StatusOr<Response> {
              CELLAR_RETURN_IF_ERROR(seal->RekeyCancel());
              return Response{};
            }}}});
  paths.push_back(
      {.pattern = "rekey/update",
       .fields = share_fields,
       .operations = {
           {Operation::kUpdate, [seal](Request&, const FieldData& data) -> StatusOr<Response> {
              CELLAR_ASSIGN_OR_RETURN(
                  RekeyStatus s, seal->RekeyUpdate(data.GetString("key"), data.GetString("nonce")));
              return Raw(RekeyJson(s));
            }}}});
  return paths;
}

}  // namespace cellar::core
