// bench/profiles/bench_server.h: the benchmarks' server: a real Core over memory storage with KV v2,
// 3 secrets, the 3-read profile (three_reads.hcl) and a token limited to them.
#pragma once

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "core/core.h"
#include "engines/kv/kv.h"
#include "profiles/backend.h"
#include "storage/memory_storage.h"

namespace cellar::bench {

using cellar::framework::Operation;
using cellar::framework::Request;

struct Server {
  cellar::storage::MemoryStorage storage;
  std::unique_ptr<cellar::core::Core> core;
  std::string token;

  Server() {
    cellar::core::CoreOptions options;
    options.storage = &storage;
    options.builtins["kv"] = {cellar::framework::BackendType::kSecrets,
                              &cellar::engines::kv::Factory};
    options.start_expiry_thread = false;
    options.profiles_backend = [](cellar::framework::RequestHandler& h)
        -> cellar::StatusOr<std::unique_ptr<cellar::framework::Backend>> {
      auto backend = cellar::profiles::ProfilesBackend::Create(h);
      if (!backend.ok()) {
        return backend.status();
      }
      return std::unique_ptr<cellar::framework::Backend>(std::move(backend).value());
    };
    core = std::move(cellar::core::Core::Create(std::move(options))).value();
    Must(core->InitializeDev("root").status());
    for (std::string k : {"a", "b", "c"}) {
      Must(Do("root", Operation::kUpdate, "secret/data/bench/" + k,
              {{"data", {{"user", "app-" + k}, {"password", "correct-horse-" + k}}}}));
    }
    // The same profile as run.sh's (three_reads.hcl beside this file).
    std::ifstream file(CELLAR_BENCH_PROFILE);
    std::stringstream text;
    text << file.rdbuf();
    Must(Do("root", Operation::kUpdate, "sys/profiles/modify/bench3", {{"profile", text.str()}}));
    Must(Do("root", Operation::kUpdate, "sys/policies/acl/bench",
            {{"policy", R"(path "secret/data/bench/*" { capabilities = ["read"] }
path "sys/profiles/execute/bench3" { capabilities = ["update"] })"}}));
    auto created =
        DoResponse("root", Operation::kUpdate, "auth/token/create", {{"policies", {"bench"}}});
    token = created.value().auth->client_token;
  }

  cellar::StatusOr<cellar::framework::Response> DoResponse(const std::string& tok, Operation op,
                                                           std::string path,
                                                           boost::json::object body = {}) {
    Request req;
    req.operation = op;
    req.path = std::move(path);
    req.data = std::move(body);
    req.caller.token = tok;
    return core->HandleRequest(req);
  }
  cellar::Status Do(const std::string& tok, Operation op, std::string path,
                    boost::json::object body = {}) {
    return DoResponse(tok, op, std::move(path), std::move(body)).status();
  }
  static void Must(const cellar::Status& s) {
    if (!s.ok()) {
      std::abort();
    }
  }
};

}  // namespace cellar::bench
