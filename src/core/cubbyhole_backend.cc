// src/core/cubbyhole_backend.cc: per-token key/value storage.
#include "core/cubbyhole_backend.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"
#include "crypto/hash.h"
#include "storage/storage.h"

namespace cellar::core {
namespace {

using framework::Operation;
using framework::Request;
using framework::Response;

class CubbyholeBackend : public framework::Backend {
 public:
  explicit CubbyholeBackend(storage::Storage* storage) : storage_(storage) {}

  StatusOr<Response> HandleRequest(Request& request) override {
    if (request.caller.token.empty()) {
      return PermissionDeniedError();
    }
    std::string key = crypto::Sha256Hex(request.caller.token) + "/" + request.path;
    switch (request.operation) {
      case Operation::kRead: {
        CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, storage_->Get(key));
        if (!raw) {
          return Response{};  // HTTP answers an empty read with 404
        }
        boost::system::error_code ec;
        boost::json::value v = boost::json::parse(*raw, ec);
        if (ec || !v.is_object()) {
          return InternalError("corrupt cubbyhole entry");
        }
        return Response::WithData(std::move(v.as_object()));
      }
      case Operation::kCreate:
      case Operation::kUpdate:
        if (request.path.empty()) {
          return InvalidArgumentError("missing path");
        }
        if (request.data.empty()) {
          return InvalidArgumentError("missing data fields");
        }
        CELLAR_RETURN_IF_ERROR(storage_->Put(key, boost::json::serialize(request.data)));
        return Response{};
      case Operation::kDelete:
        CELLAR_RETURN_IF_ERROR(storage_->Delete(key));
        return Response{};
      case Operation::kList: {
        std::string prefix = key;
        if (!prefix.empty() && prefix.back() != '/') {
          prefix.push_back('/');
        }
        CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> keys, storage_->List(prefix));
        if (keys.empty()) {
          return Response{};
        }
        boost::json::array arr;
        for (const std::string& k : keys) {
          arr.push_back(boost::json::string(k));
        }
        return Response::WithData({{"keys", std::move(arr)}});
      }
      default:
        return UnsupportedOperationError();
    }
  }

  StatusOr<bool> Exists(Request& request) override {
    if (request.caller.token.empty()) {
      return false;
    }
    CELLAR_ASSIGN_OR_RETURN(
        std::optional<std::string> raw,
        storage_->Get(crypto::Sha256Hex(request.caller.token) + "/" + request.path));
    return raw.has_value();
  }

  framework::BackendType type() const override { return framework::BackendType::kSecrets; }

 private:
  storage::Storage* storage_;
};

}  // namespace

StatusOr<std::unique_ptr<framework::Backend>> NewCubbyholeBackend(
    const framework::BackendConfig& config) {
  return std::unique_ptr<framework::Backend>(std::make_unique<CubbyholeBackend>(config.storage));
}

}  // namespace cellar::core
