// src/core/fake_backend_testutil.cc: the fake backend core tests mount.
#include "core/fake_backend_testutil.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "base/status_macros.h"

namespace cellar::core::testing_util {

using framework::Operation;
using framework::Response;

FakeBackend::FakeBackend(const framework::BackendConfig& config, framework::BackendType type)
    : type_(type), storage_(config.storage), system_(config.system) {}

std::atomic<int>& FakeBackend::revocations() {
  static std::atomic<int> count{0};
  return count;
}

std::atomic<bool>& FakeBackend::fail_revokes() {
  static std::atomic<bool> fail{false};
  return fail;
}

StatusOr<Response> FakeBackend::HandleRequest(framework::Request& request) {
  if (request.path.starts_with("login/")) {
    framework::Auth auth;
    auth.policies = {"default"};
    auth.token_policies = {"default"};
    auth.display_name = request.path.substr(6);
    auth.metadata["username"] = request.path.substr(6);
    auth.ttl = std::chrono::hours(1);
    Response r;
    r.auth = std::move(auth);
    return r;
  }
  if (request.path.starts_with("lease/") && request.operation == Operation::kRead) {
    Response r = Response::WithData({{"secret", "s3cr3t"}});
    framework::LeaseRequest lease;
    lease.ttl = std::chrono::seconds(request.data.contains("ttl") ? 60 : 0);
    lease.internal_data["name"] = request.path;
    r.lease = std::move(lease);
    return r;
  }
  if (request.path == "unsupported") {
    return UnsupportedOperationError();
  }
  switch (request.operation) {
    case Operation::kRead: {
      CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, storage_->Get(request.path));
      if (!raw) {
        return Response{};
      }
      return Response::WithData(boost::json::parse(*raw).as_object());
    }
    case Operation::kCreate:
    case Operation::kUpdate:
      CELLAR_RETURN_IF_ERROR(storage_->Put(request.path, boost::json::serialize(request.data)));
      return Response{};
    case Operation::kDelete:
      CELLAR_RETURN_IF_ERROR(storage_->Delete(request.path));
      return Response{};
    case Operation::kList: {
      CELLAR_ASSIGN_OR_RETURN(std::vector<std::string> keys, storage_->List(request.path));
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

StatusOr<bool> FakeBackend::Exists(framework::Request& request) {
  CELLAR_ASSIGN_OR_RETURN(std::optional<std::string> raw, storage_->Get(request.path));
  return raw.has_value();
}

Status FakeBackend::RevokeLease(framework::Request& request, const boost::json::object& internal) {
  if (fail_revokes().load()) {
    return UnavailableError("backend down");
  }
  revocations()++;
  return OkStatus();
}

BuiltinRegistry FakeRegistry() {
  BuiltinRegistry registry;
  auto make = [](framework::BackendType type) {
    return [type](const framework::BackendConfig& config)
               -> StatusOr<std::unique_ptr<framework::Backend>> {
      return std::unique_ptr<framework::Backend>(std::make_unique<FakeBackend>(config, type));
    };
  };
  registry["fake"] = {framework::BackendType::kSecrets, make(framework::BackendType::kSecrets)};
  registry["kv"] = {framework::BackendType::kSecrets, make(framework::BackendType::kSecrets)};
  registry["system"] = {framework::BackendType::kSecrets, make(framework::BackendType::kSecrets)};
  registry["cubbyhole"] = {framework::BackendType::kSecrets,
                           make(framework::BackendType::kSecrets)};
  registry["fakeauth"] = {framework::BackendType::kCredential,
                          make(framework::BackendType::kCredential)};
  registry["token"] = {framework::BackendType::kCredential,
                       make(framework::BackendType::kCredential)};
  return registry;
}

CoreOptions FakeCoreOptions(storage::Storage* storage, const Clock* clock) {
  CoreOptions options;
  options.storage = storage;
  options.clock = clock;
  options.builtins = FakeRegistry();
  options.start_expiry_thread = false;
  return options;
}

}  // namespace cellar::core::testing_util
