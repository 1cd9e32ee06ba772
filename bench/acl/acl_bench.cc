// bench/acl/acl_bench.cc: what the request path pays for authorisation: token lookup, cached ACL
// fetch and one Authorize, on a policy set of a few hundred rules.
#include <benchmark/benchmark.h>

#include <string>

#include "core/acl.h"
#include "core/acl_cache.h"
#include "core/policy_store.h"
#include "core/token_store.h"
#include "storage/memory_storage.h"

namespace {

using cellar::core::Acl;
using cellar::framework::Operation;

// Team policies as operators write them: a glob per team, a '+' rule, an exact rule and a deny.
std::string TeamPolicy(int team) {
  std::string n = std::to_string(team);
  return "path \"secret/data/team-" + n + "/*\" { capabilities = [\"read\", \"list\"] }\n" +
         "path \"secret/metadata/team-" + n + "/+/config\" { capabilities = [\"read\"] }\n" +
         "path \"secret/data/team-" + n + "/admin\" { capabilities = [\"deny\"] }\n" +
         "path \"kv/team-" + n + "\" { capabilities = [\"update\"]\n" +
         "  allowed_parameters = { \"ttl\" = [\"1h\", \"2h\"], \"*\" = [] } }\n";
}

struct Fixture {
  cellar::storage::MemoryStorage storage;
  cellar::FakeClock clock;
  cellar::core::PolicyStore policies{storage};
  cellar::core::AclCache acls{policies};
  cellar::core::TokenStore tokens{storage, clock};
  std::vector<std::string> names;

  Fixture() {
    for (int i = 0; i < 100; ++i) {
      std::string name = "team-" + std::to_string(i);
      (void)policies.Set(name, TeamPolicy(i));
      names.push_back(name);
    }
  }
};

Fixture& Shared() {
  static Fixture* f = new Fixture;
  return *f;
}

void BM_Authorize(benchmark::State& state, std::string path, Operation op) {
  std::shared_ptr<const Acl> acl = *Shared().acls.Get(Shared().names);
  boost::json::object body;
  if (op == Operation::kUpdate) {
    body["ttl"] = "1h";
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(acl->Authorize(op, path, body).ok());
  }
}
BENCHMARK_CAPTURE(BM_Authorize, exact, std::string("secret/data/team-50/admin"), Operation::kRead);
BENCHMARK_CAPTURE(BM_Authorize, glob, std::string("secret/data/team-50/app/db"), Operation::kRead);
BENCHMARK_CAPTURE(BM_Authorize, plus, std::string("secret/metadata/team-50/x/config"),
                  Operation::kRead);
BENCHMARK_CAPTURE(BM_Authorize, params, std::string("kv/team-50"), Operation::kUpdate);
BENCHMARK_CAPTURE(BM_Authorize, no_rule, std::string("other/path"), Operation::kRead);

void BM_AclCacheHit(benchmark::State& state) {
  std::vector<std::string> set = {"default", "team-3", "team-7"};
  (void)Shared().acls.Get(set);
  for (auto _ : state) {
    benchmark::DoNotOptimize(Shared().acls.Get(set).ok());
  }
}
BENCHMARK(BM_AclCacheHit);

void BM_AclCompile100Policies(benchmark::State& state) {
  std::vector<std::shared_ptr<const cellar::core::Policy>> held;
  std::vector<const cellar::core::Policy*> raw;
  for (const std::string& name : Shared().names) {
    held.push_back(*Shared().policies.Get(name));
    raw.push_back(held.back().get());
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(Acl::Compile(raw));
  }
}
BENCHMARK(BM_AclCompile100Policies);

void BM_TokenLookup(benchmark::State& state) {
  cellar::core::TokenParams params;
  params.policies = {"default"};
  std::string token = Shared().tokens.Create(params)->token;
  for (auto _ : state) {
    benchmark::DoNotOptimize(Shared().tokens.Lookup(token).ok());
  }
}
BENCHMARK(BM_TokenLookup);

}  // namespace
