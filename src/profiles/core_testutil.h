// src/profiles/core_testutil.h: a test fixture holding a dev-initialised Core over memory storage
// with KV at secret/, and the Do/Must helpers the profile tests drive it with.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>

#include "base/clock.h"
#include "core/core.h"
#include "engines/kv/kv.h"
#include "framework/request_handler.h"
#include "profiles/backend.h"
#include "storage/memory_storage.h"

namespace cellar::profiles {

class DevCoreTest : public testing::Test {
 protected:
  // Starts the Core with root token "root"; `options` may add a profiles backend.
  void StartCore(core::CoreOptions options = {}) {
    options.storage = &storage_;
    options.clock = &clock_;
    options.builtins["kv"] = {framework::BackendType::kSecrets, &engines::kv::Factory};
    options.start_expiry_thread = false;
    core_ = std::move(core::Core::Create(std::move(options))).value();
    ASSERT_TRUE(core_->InitializeDev("root").ok());
  }

  // StartCore with the profiles backend behind sys/profiles/*.
  void StartCoreWithProfiles() {
    core::CoreOptions options;
    options.profiles_backend =
        [](framework::RequestHandler& h) -> StatusOr<std::unique_ptr<framework::Backend>> {
      auto b = ProfilesBackend::Create(h);  // finds the Core behind `h` and mints with it
      if (!b.ok()) {
        return b.status();
      }
      return std::unique_ptr<framework::Backend>(*std::move(b));
    };
    StartCore(std::move(options));
  }

  StatusOr<framework::Response> Do(std::string token, framework::Operation op, std::string path,
                                   boost::json::object body = {}) {
    framework::Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.caller.token = std::move(token);
    return core_->HandleRequest(req);
  }

  // A root request that must succeed.
  void Must(framework::Operation op, std::string path, boost::json::object body) {
    auto r = Do("root", op, path, std::move(body));
    ASSERT_TRUE(r.ok()) << path << ": " << r.status().ToString();
  }

  FakeClock clock_;
  storage::MemoryStorage storage_;
  std::unique_ptr<core::Core> core_;
};

}  // namespace cellar::profiles
