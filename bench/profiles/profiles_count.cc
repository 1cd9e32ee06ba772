// bench/profiles/profiles_count.cc: runs one benchmark operation N times, for callgrind
// (bench/profiles/count.sh): instructions per operation, steady on a loaded machine where
// profiles_bench's times are not.
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>
#include <string_view>

#include "bench_server.h"  // beside this file

using cellar::bench::Operation;
using cellar::bench::Server;

// Usage: profiles_count read|three|exec N. count.sh subtracts a run of N from one of 2N, so set-up
// and warm-up cancel out and pool threads (where an execution may run its sub-requests) count.
int main(int argc, char** argv) {
  if (argc != 3) {
    return 2;
  }
  std::string_view op = argv[1];
  int n = std::atoi(argv[2]);
  spdlog::set_level(spdlog::level::warn);
  Server s;
  auto run = [&](int times) {
    for (int i = 0; i < times; ++i) {
      if (op == "read") {
        Server::Must(s.Do(s.token, Operation::kRead, "secret/data/bench/a"));
      } else if (op == "three") {
        for (const char* k : {"a", "b", "c"}) {
          Server::Must(s.Do(s.token, Operation::kRead, std::string("secret/data/bench/") + k));
        }
      } else {
        Server::Must(s.Do(s.token, Operation::kUpdate, "sys/profiles/execute/bench3"));
      }
    }
  };
  run(20);  // warm-up: caches, cost hints, first-use allocations
  run(n);
  return 0;
}
