// src/core/sys_namespaces.cc: sys/namespaces (list, create, patch, read, delete), relative to the
// namespace the request is made in (Request::namespace_path).
#include <boost/json/object.hpp>

#include "base/status_macros.h"
#include "core/core_impl.h"
#include "core/namespace_store.h"
#include "core/sys_backend.h"
#include "framework/responses.h"

namespace cellar::core {
namespace {

using framework::FieldData;
using framework::FieldType;
using framework::Operation;
using framework::Path;
using framework::Request;
using framework::Response;

// Vault keeps custom_metadata as map[string]string: other values are refused.
StatusOr<boost::json::object> Metadata(const boost::json::object& body, bool allow_null) {
  const boost::json::value* v = body.if_contains("custom_metadata");
  if (v == nullptr || v->is_null()) {
    return boost::json::object();
  }
  if (!v->is_object()) {
    return InvalidArgumentError("custom_metadata: expected a map of strings");
  }
  for (const auto& [key, item] : v->as_object()) {
    if (!item.is_string() && !(allow_null && item.is_null())) {
      return InvalidArgumentError("custom_metadata: value of \"" + std::string(key) +
                                  "\" is not a string");
    }
  }
  return v->as_object();
}

class NamespaceHandlers {
 public:
  explicit NamespaceHandlers(Core::Impl& core) : core_(core) {}

  StatusOr<Response> List(Request& req, const FieldData&) {
    std::vector<NamespaceEntry> children = store().Children(req.namespace_path);
    if (children.empty()) {
      return Response{};
    }
    boost::json::array keys;
    boost::json::object info;
    for (const NamespaceEntry& child : children) {
      std::string key = child.path.substr(req.namespace_path.size());
      keys.emplace_back(key);
      info[key] = child.ToApi();
    }
    return Response::WithData({{"keys", std::move(keys)}, {"key_info", std::move(info)}});
  }

  StatusOr<Response> Read(Request& req, const FieldData& data) {
    CELLAR_ASSIGN_OR_RETURN(std::string path, FullPath(req, data));
    std::shared_ptr<const NamespaceMap> table = store().Snapshot();
    const NamespaceEntry* entry = store().Find(*table, path);
    if (entry == nullptr) {
      return Response{};  // 404 {"errors":[]}, as any missing read
    }
    return Response::WithData(entry->ToApi());
  }

  StatusOr<Response> Create(Request& req, const FieldData& data) {
    CELLAR_ASSIGN_OR_RETURN(boost::json::object metadata, Metadata(req.data, false));
    CELLAR_ASSIGN_OR_RETURN(std::string relative,
                            NamespaceStore::Normalize(data.GetString("path")));
    // A namespace and a mount of the same name would fight over the paths under it.
    std::string full = req.namespace_path + relative;
    if (std::shared_ptr<const Mount> mount = core_.mounts().Snapshot()->Match(full);
        mount != nullptr && mount->entry.namespace_path.size() >= req.namespace_path.size()) {
      return InvalidArgumentError("path is already in use at " + mount->route_path);
    }
    CELLAR_ASSIGN_OR_RETURN(NamespaceEntry entry,
                            store().Create(req.namespace_path, relative, std::move(metadata)));
    return Response::WithData(entry.ToApi());
  }

  StatusOr<Response> Patch(Request& req, const FieldData& data) {
    CELLAR_ASSIGN_OR_RETURN(boost::json::object metadata, Metadata(req.data, true));
    CELLAR_ASSIGN_OR_RETURN(std::string path, FullPath(req, data));
    CELLAR_ASSIGN_OR_RETURN(NamespaceEntry entry, store().Patch(path, metadata));
    return Response::WithData(entry.ToApi());
  }

  StatusOr<Response> Delete(Request& req, const FieldData& data) {
    CELLAR_ASSIGN_OR_RETURN(std::string path, FullPath(req, data));
    CELLAR_RETURN_IF_ERROR(core_.DeleteNamespace(path));
    return Response{};
  }

 private:
  NamespaceStore& store() { return *core_.namespaces; }

  static StatusOr<std::string> FullPath(const Request& req, const FieldData& data) {
    CELLAR_ASSIGN_OR_RETURN(std::string relative,
                            NamespaceStore::Normalize(data.GetString("path")));
    if (relative.empty()) {
      return InvalidArgumentError("missing namespace path");
    }
    return req.namespace_path + relative;
  }

  Core::Impl& core_;
};

template <typename Fn>
framework::OperationHandler Handler(std::shared_ptr<NamespaceHandlers> h, Fn fn) {
  return [h, fn](Request& req, const FieldData& data) { return ((*h).*fn)(req, data); };
}

}  // namespace

std::vector<Path> SysNamespacePaths(Core::Impl& core) {
  auto h = std::make_shared<NamespaceHandlers>(core);
  std::vector<Path> paths;
  paths.push_back({.pattern = "namespaces/?",
                   .fields = {},
                   .operations = {{Operation::kList, Handler(h, &NamespaceHandlers::List)}}});
  framework::FieldSchema path_field{"path", FieldType::kString, "Namespace path."};
  framework::FieldSchema metadata_field{"custom_metadata", FieldType::kRaw,
                                        "String map kept with the namespace."};
  paths.push_back({.pattern = "namespaces/(?P<path>.+)",
                   .fields = {path_field, metadata_field},
                   .operations = {{Operation::kRead, Handler(h, &NamespaceHandlers::Read)},
                                  {Operation::kCreate, Handler(h, &NamespaceHandlers::Create)},
                                  {Operation::kUpdate, Handler(h, &NamespaceHandlers::Create)},
                                  {Operation::kPatch, Handler(h, &NamespaceHandlers::Patch)},
                                  {Operation::kDelete, Handler(h, &NamespaceHandlers::Delete)}}});
  return paths;
}

}  // namespace cellar::core
