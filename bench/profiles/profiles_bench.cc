// bench/profiles/profiles_bench.cc: time per operation through a real Core over memory storage,
// without HTTP: one direct KV v2 read, the same 3 reads one after another, and one execution of a
// profile making those 3 reads (through sys/profiles/execute, as HTTP would call it).
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "core/core.h"
#include "engines/kv/kv.h"
#include "profiles/backend.h"
#include "storage/memory_storage.h"

namespace {

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

Server& Shared() {
  static Server server;
  return server;
}

void BM_DirectRead(benchmark::State& state) {
  Server& s = Shared();
  for (auto _ : state) {
    Server::Must(s.Do(s.token, Operation::kRead, "secret/data/bench/a"));
  }
}
BENCHMARK(BM_DirectRead);

void BM_ThreeSequentialReads(benchmark::State& state) {
  Server& s = Shared();
  for (auto _ : state) {
    for (const char* k : {"a", "b", "c"}) {
      Server::Must(s.Do(s.token, Operation::kRead, std::string("secret/data/bench/") + k));
    }
  }
}
BENCHMARK(BM_ThreeSequentialReads);

void BM_ProfileExecution(benchmark::State& state) {
  Server& s = Shared();
  for (auto _ : state) {
    Server::Must(s.Do(s.token, Operation::kUpdate, "sys/profiles/execute/bench3"));
  }
}
BENCHMARK(BM_ProfileExecution)->UseRealTime();

}  // namespace
