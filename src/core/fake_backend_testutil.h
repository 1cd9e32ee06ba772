// src/core/fake_backend_testutil.h: a minimal Backend for core tests (echoes, records revokes).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/builtin_registry.h"
#include "core/core.h"
#include "framework/backend.h"
#include "storage/storage.h"

namespace cellar::core::testing_util {

// Stores request bodies as JSON text per path; "fail-revoke" in a lease's internal data makes
// RevokeLease fail while `fail_revokes` is set. "lease/..." reads return a lease request.
class FakeBackend : public framework::Backend {
 public:
  explicit FakeBackend(const framework::BackendConfig& config,
                       framework::BackendType type = framework::BackendType::kSecrets);

  StatusOr<framework::Response> HandleRequest(framework::Request& request) override;
  StatusOr<bool> Exists(framework::Request& request) override;
  std::vector<std::string> UnauthenticatedPaths() const override { return {"login/*"}; }
  Status RevokeLease(framework::Request& request, const boost::json::object& internal) override;
  framework::BackendType type() const override { return type_; }

  // Shared by every FakeBackend instance in a test process.
  static std::atomic<int>& revocations();
  static std::atomic<bool>& fail_revokes();

 private:
  framework::BackendType type_;
  storage::Storage* storage_;
  framework::SystemView* system_;
};

// {"fake": secrets FakeBackend, "fakeauth": credential FakeBackend}.
BuiltinRegistry FakeRegistry();

// Options for a test Core over `storage` with the fake backends and no expiry thread.
CoreOptions FakeCoreOptions(storage::Storage* storage, const Clock* clock = &Clock::System());

}  // namespace cellar::core::testing_util
