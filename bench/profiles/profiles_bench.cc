// bench/profiles/profiles_bench.cc: time per operation through a real Core over memory storage,
// without HTTP: one direct KV v2 read, the same 3 reads one after another, and one execution of a
// profile making those 3 reads (through sys/profiles/execute, as HTTP would call it).
#include <benchmark/benchmark.h>

#include "bench_server.h"  // beside this file

namespace {

using cellar::bench::Operation;
using cellar::bench::Server;

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
