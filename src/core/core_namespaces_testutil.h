// src/core/core_namespaces_testutil.h: a test fixture of a dev Core (fake backends, root token
// "root-token") with helpers for requests made in a namespace.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/core.h"
#include "core/fake_backend_testutil.h"
#include "storage/memory_storage.h"

namespace cellar::core::testing_util {

class NamespacedCoreTest : public testing::Test {
 protected:
  void SetUp() override {
    core_ = std::move(Core::Create(FakeCoreOptions(&storage_))).value();
    auto dev = core_->InitializeDev("root-token");
    ASSERT_TRUE(dev.ok()) << dev.status().ToString();
    unseal_key_ = dev->unseal_key_base64;
  }

  // A request in namespace `ns` ("" root, "ns1/") made with `token`.
  StatusOr<framework::Response> Do(framework::Operation op, std::string path,
                                   boost::json::object body = {}, std::string ns = "",
                                   std::string token = "root-token") {
    framework::Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.namespace_path = std::move(ns);
    req.caller.token = std::move(token);
    return core_->HandleRequest(req);
  }

  // Creates namespace `path` inside namespace `ns`, as root.
  void Create(const std::string& path, std::string ns = "") {
    auto r = Do(framework::Operation::kUpdate, "sys/namespaces/" + path, {}, std::move(ns));
    ASSERT_TRUE(r.ok()) << path << ": " << r.status().ToString();
  }

  // The "keys" of a LIST response (none when it has no data).
  static std::vector<std::string> Keys(const framework::Response& r) {
    std::vector<std::string> out;
    if (r.data) {
      for (const auto& k : r.data->at("keys").as_array()) {
        out.emplace_back(k.as_string());
      }
    }
    return out;
  }

  storage::MemoryStorage storage_;
  std::unique_ptr<Core> core_;
  std::string unseal_key_;
};

}  // namespace cellar::core::testing_util
