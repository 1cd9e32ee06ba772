// src/core/sys_mounts.cc: sys/mounts, sys/auth (list, enable, disable, tune) and
// sys/internal/ui/mounts.
#include <boost/json/object.hpp>

#include "base/status_macros.h"
#include "core/acl.h"
#include "core/core_impl.h"
#include "core/namespace_policies.h"
#include "core/namespace_routing.h"
#include "core/namespace_store.h"
#include "core/sys_backend.h"

namespace cellar::core {
namespace {

using framework::FieldData;
using framework::FieldSchema;
using framework::FieldType;
using framework::Operation;
using framework::Path;
using framework::Request;
using framework::Response;

// Vault accepts config TTLs as seconds or duration strings ("1h"); "system" or absent means 0.
StatusOr<std::optional<std::chrono::seconds>> TtlField(const boost::json::object& config,
                                                       std::string_view key) {
  const boost::json::value* v = config.if_contains(key);
  if (v == nullptr || v->is_null() || (v->is_string() && v->as_string() == "system")) {
    return std::optional<std::chrono::seconds>();
  }
  StatusOr<boost::json::value> converted = framework::ConvertField(FieldType::kDuration, *v);
  if (!converted.ok()) {
    return InvalidArgumentError("invalid " + std::string(key) + ": " +
                                converted.status().message());
  }
  return std::optional<std::chrono::seconds>(std::chrono::seconds(converted->as_int64()));
}

std::map<std::string, std::string> StringOptions(const FieldData& data) {
  return data.GetStringMap("options");
}

std::vector<FieldSchema> EnableFields() {
  return {{"path", FieldType::kString, "Mount path."},
          {"type", FieldType::kString, "Backend type.", nullptr, true},
          {"description", FieldType::kString, "Description."},
          {"config", FieldType::kMap, "default_lease_ttl, max_lease_ttl."},
          {"options", FieldType::kStringMap, "Backend options, e.g. version."},
          {"local", FieldType::kBool, "Not replicated."},
          {"seal_wrap", FieldType::kBool, "Seal-wrapped."},
          {"plugin_name", FieldType::kString, "Legacy alias of type."}};
}

std::vector<FieldSchema> TuneFields() {
  return {{"path", FieldType::kString, "Mount path."},
          {"default_lease_ttl", FieldType::kRaw, "Default lease TTL."},
          {"max_lease_ttl", FieldType::kRaw, "Max lease TTL."},
          {"description", FieldType::kString, "Description."},
          {"options", FieldType::kStringMap, "Backend options."}};
}

class MountHandlers {
 public:
  MountHandlers(Core::Impl& core, MountTableKind kind) : core_(core), kind_(kind) {}

  StatusOr<Response> List(Request& req, const FieldData&) {
    boost::json::object out;
    for (const auto& mount : core_.mounts().Snapshot()->mounts()) {
      // A namespace lists its own mounts and the root's built-ins it shares (sys/, token/, ...).
      bool visible = mount->entry.namespace_path == req.namespace_path ||
                     (!req.namespace_path.empty() && IsSharedBuiltinMount(mount->entry));
      if (mount->entry.kind == kind_ && visible) {
        out[mount->entry.path] = mount->entry.ToApi();
      }
    }
    return Response::WithData(std::move(out));
  }

  StatusOr<Response> Read(Request& req, const FieldData& data) {
    CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Mount> mount, Find(req, data.GetString("path")));
    return Response::WithData(mount->entry.ToApi());
  }

  StatusOr<Response> Enable(Request& req, const FieldData& data) {
    MountRequest m;
    m.kind = kind_;
    m.path = data.GetString("path");
    m.type = data.GetString("type");
    if (m.type.empty()) {
      m.type = data.GetString("plugin_name");
    }
    m.description = data.GetString("description");
    boost::json::object config = data.GetMap("config");
    CELLAR_ASSIGN_OR_RETURN(auto def, TtlField(config, "default_lease_ttl"));
    CELLAR_ASSIGN_OR_RETURN(auto max, TtlField(config, "max_lease_ttl"));
    m.config.default_lease_ttl = def.value_or(std::chrono::seconds(0));
    m.config.max_lease_ttl = max.value_or(std::chrono::seconds(0));
    m.options = StringOptions(data);
    m.local = data.GetBool("local");
    m.seal_wrap = data.GetBool("seal_wrap");
    m.namespace_path = req.namespace_path;
    if (kind_ == MountTableKind::kSecrets &&
        core_.namespaces->LongestPrefix(req.namespace_path, m.path + "/") != req.namespace_path) {
      return InvalidArgumentError("path is already in use by namespace " + m.path);
    }
    CELLAR_RETURN_IF_ERROR(core_.mounts().Enable(std::move(m)).status());
    return Response{};
  }

  StatusOr<Response> Disable(Request& req, const FieldData& data) {
    CELLAR_RETURN_IF_ERROR(core_.DisableMount(kind_, data.GetString("path"), req.namespace_path));
    return Response{};
  }

  StatusOr<Response> ReadTune(Request& req, const FieldData& data) {
    CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Mount> mount, Find(req, data.GetString("path")));
    const MountSystemView& system = *mount->runtime->system;
    boost::json::object out;
    out["default_lease_ttl"] = system.DefaultLeaseTtl().count();
    out["max_lease_ttl"] = system.MaxLeaseTtl().count();
    out["force_no_cache"] = false;
    out["description"] = mount->entry.description;
    boost::json::object options;
    for (const auto& [k, v] : mount->entry.options) {
      options[k] = v;
    }
    out["options"] = std::move(options);
    return Response::WithData(std::move(out));
  }

  StatusOr<Response> WriteTune(Request& req, const FieldData& data) {
    TuneRequest tune;
    boost::json::object raw;
    for (std::string_view key : {"default_lease_ttl", "max_lease_ttl"}) {
      if (const boost::json::value* v = data.Get(key); v != nullptr) {
        raw[key] = *v;
      }
    }
    CELLAR_ASSIGN_OR_RETURN(tune.default_lease_ttl, TtlField(raw, "default_lease_ttl"));
    CELLAR_ASSIGN_OR_RETURN(tune.max_lease_ttl, TtlField(raw, "max_lease_ttl"));
    if (data.Has("description")) {
      tune.description = data.GetString("description");
    }
    tune.options = StringOptions(data);
    CELLAR_RETURN_IF_ERROR(
        core_.mounts().Tune(kind_, data.GetString("path"), tune, req.namespace_path));
    return Response{};
  }

 private:
  StatusOr<std::shared_ptr<const Mount>> Find(const Request& req, const std::string& raw_path) {
    std::string path = raw_path;
    while (!path.empty() && path.back() == '/') {
      path.pop_back();
    }
    std::string route =
        req.namespace_path + (kind_ == MountTableKind::kAuth ? "auth/" : "") + path + "/";
    std::shared_ptr<const Mount> mount = core_.mounts().Snapshot()->Find(route);
    if (mount == nullptr) {
      return InvalidArgumentError("no mount at " + route);
    }
    return mount;
  }

  Core::Impl& core_;
  MountTableKind kind_;
};

template <typename Fn>
framework::OperationHandler Handler(std::shared_ptr<MountHandlers> h, Fn fn) {
  return [h, fn](Request& req, const FieldData& data) { return ((*h).*fn)(req, data); };
}

void AddTable(std::vector<Path>& paths, Core::Impl& core, MountTableKind kind,
              std::string_view root) {
  auto h = std::make_shared<MountHandlers>(core, kind);
  std::string r(root);
  paths.push_back({.pattern = r + "/?",
                   .fields = {},
                   .operations = {{Operation::kRead, Handler(h, &MountHandlers::List)}}});
  paths.push_back({.pattern = r + "/(?P<path>.+?)/tune/?",
                   .fields = TuneFields(),
                   .operations = {{Operation::kRead, Handler(h, &MountHandlers::ReadTune)},
                                  {Operation::kUpdate, Handler(h, &MountHandlers::WriteTune)}}});
  paths.push_back({.pattern = r + "/(?P<path>.+)",
                   .fields = EnableFields(),
                   .operations = {{Operation::kRead, Handler(h, &MountHandlers::Read)},
                                  {Operation::kUpdate, Handler(h, &MountHandlers::Enable)},
                                  {Operation::kDelete, Handler(h, &MountHandlers::Disable)}}});
}

}  // namespace

std::vector<Path> SysMountPaths(Core::Impl& core) {
  std::vector<Path> paths;
  AddTable(paths, core, MountTableKind::kSecrets, "mounts");
  AddTable(paths, core, MountTableKind::kAuth, "auth");
  Core::Impl* c = &core;
  paths.push_back(
      {.pattern = R"(internal/ui/mounts/(?P<path>.+))",
       .fields = {{"path", FieldType::kString, "A path inside a mount."}},
       .operations = {
           {Operation::kRead, [c](Request& req, const FieldData& data) -> StatusOr<Response> {
              // The path is inside the request's namespace; the token's policies see the mount
              // relative to the token's own namespace.
              std::string path = req.namespace_path + data.GetString("path");
              std::shared_ptr<const Mount> mount = c->mounts().Snapshot()->Match(path);
              if (mount == nullptr) {
                return PermissionDeniedError();
              }
              std::string token_ns;
              CELLAR_ASSIGN_OR_RETURN(std::shared_ptr<const Acl> acl,
                                      c->AclForToken(req.caller.token, &token_ns));
              std::optional<std::string_view> seen =
                  PathForTokenNamespace(mount->route_path, token_ns);
              if (!seen || (!acl->is_root() && !acl->HasAnyCapabilityUnder(*seen))) {
                return PermissionDeniedError();
              }
              boost::json::object out = mount->entry.ToApi();
              out["path"] = mount->route_path.substr(req.namespace_path.size());
              return Response::WithData(std::move(out));
            }}}});
  return paths;
}

}  // namespace cellar::core
