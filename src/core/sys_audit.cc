// src/core/sys_audit.cc: sys/audit (list), sys/audit/:path (enable, disable) and
// sys/audit-hash/:path. sudo is the ACL's business (core/acl.cc RequiresSudo).
#include <boost/json/object.hpp>

#include "base/status_macros.h"
#include "core/audit_broker.h"
#include "core/core_impl.h"
#include "core/sys_backend.h"

namespace cellar::core {
namespace {

using framework::FieldData;
using framework::FieldType;
using framework::Operation;
using framework::Path;
using framework::Request;
using framework::Response;

// A row as sys/audit shows it (Vault: type, description, options, path, local).
boost::json::object DeviceToApi(const AuditDeviceEntry& entry) {
  boost::json::object options;
  for (const auto& [k, v] : entry.options) {
    options[k] = v;
  }
  return {{"type", entry.type},
          {"description", entry.description},
          {"options", std::move(options)},
          {"path", entry.path},
          {"local", entry.local}};
}

}  // namespace

std::vector<Path> SysAuditPaths(Core::Impl& core) {
  AuditBroker* audit = core.audit.get();
  std::vector<Path> paths;
  paths.push_back(
      {.pattern = "audit/?",
       .fields = {},
       .operations = {{Operation::kRead, [audit](Request&, const FieldData&) -> StatusOr<Response> {
                         boost::json::object out;
                         for (const AuditDeviceEntry& entry : audit->List()) {
                           out[entry.path] = DeviceToApi(entry);
                         }
                         return Response::WithData(std::move(out));
                       }}}});
  paths.push_back(
      {.pattern = "audit/(?P<path>.+)",
       .fields = {{"path", FieldType::kString, "Where the device is mounted."},
                  {"type", FieldType::kString, "Device type (file).", nullptr, true},
                  {"description", FieldType::kString, "Description."},
                  {"options", FieldType::kStringMap, "file_path, mode, hmac_accessor, log_raw."},
                  {"local", FieldType::kBool, "Not replicated."}},
       .operations = {
           {Operation::kUpdate,
            [audit](Request&, const FieldData& data) -> StatusOr<Response> {
              AuditEnableRequest enable;
              enable.path = data.GetString("path");
              enable.type = data.GetString("type");
              enable.description = data.GetString("description");
              enable.options = data.GetStringMap("options");
              enable.local = data.GetBool("local");
              CELLAR_RETURN_IF_ERROR(audit->Enable(std::move(enable)));
              return Response{};
            }},
           {Operation::kDelete, [audit](Request&, const FieldData& data) -> StatusOr<Response> {
              CELLAR_RETURN_IF_ERROR(audit->Disable(data.GetString("path")));
              return Response{};
            }}}});
  paths.push_back(
      {.pattern = "audit-hash/(?P<path>.+)",
       .fields = {{"path", FieldType::kString, "The device whose key hashes."},
                  {"input", FieldType::kString, "The text to hash.", nullptr, true}},
       .operations = {
           {Operation::kUpdate, [audit](Request&, const FieldData& data) -> StatusOr<Response> {
              CELLAR_ASSIGN_OR_RETURN(std::string hash,
                                      audit->Hash(data.GetString("path"), data.GetString("input")));
              return Response::WithData(boost::json::object{{"hash", hash}});
            }}}});
  return paths;
}

}  // namespace cellar::core
