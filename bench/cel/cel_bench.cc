// bench/cel/cel_bench.cc: times CEL evaluation (and compilation) per case of a cases file:
//   cel_bench CASES.json [--json]
// Every case is compiled once and evaluated against one activation holding all bindings; the
// result is checked against `expected` before timing.
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cel/cel.h"
#include "cel/json.h"
#include "native_cases.h"

namespace {

namespace json = boost::json;
using cellar::cel::Value;
using Clock = std::chrono::steady_clock;

template <typename T>
inline void Sink(const T& v) {
  asm volatile("" : : "r"(&v) : "memory");
}

// Runs `fn` in growing batches until ~200 ms have passed; returns ns per call.
template <typename F>
double TimeIt(F&& fn) {
  long iterations = 1;
  while (true) {
    auto start = Clock::now();
    for (long i = 0; i < iterations; ++i) {
      fn();
    }
    double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
    if (ns > 2e8 || iterations > (1L << 30)) {
      return ns / static_cast<double>(iterations);
    }
    iterations *= ns < 1e7 ? 10 : 2;
  }
}

bool SameResult(const Value& got, const Value& want) {
  if (got.kind() != want.kind()) {
    return false;
  }
  return cellar::cel::ValuesEqual(got, want);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: cel_bench CASES.json [--json]\n";
    return 2;
  }
  bool as_json = argc > 2 && std::string(argv[2]) == "--json";
  // CEL_BENCH_COUNT=N evaluates each case exactly N times and prints nothing, so that
  // instruction counts (steady under machine load, unlike time) can be compared.
  const char* count_env = std::getenv("CEL_BENCH_COUNT");
  long fixed_count = count_env != nullptr ? std::atol(count_env) : 0;
  std::ifstream in(argv[1]);
  std::stringstream buf;
  buf << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(buf.str(), ec);
  if (ec) {
    std::cerr << "cannot parse " << argv[1] << ": " << ec.message() << "\n";
    return 2;
  }
  const json::object& root = doc.as_object();
  cellar::cel::Env env = cellar::cel::Env::Standard();
  env.limits().timeout = std::chrono::nanoseconds(0);
  if (auto* decls = root.if_contains("declarations")) {
    for (const auto& [name, type] : decls->as_object()) {
      cellar::Status s = env.DeclareVariable(std::string(name), std::string(type.as_string()));
      if (!s.ok()) {
        std::cerr << "declaration " << name << ": " << s.message() << "\n";
        return 2;
      }
    }
  }
  cellar::cel::Activation activation;
  json::object empty;
  const json::object& bindings =
      root.contains("bindings") ? root.at("bindings").as_object() : empty;
  for (const auto& [name, v] : bindings) {
    auto value = cellar::cel::ValueFromJson(v);
    if (!value.ok()) {
      std::cerr << "binding " << name << ": " << value.status().message() << "\n";
      return 2;
    }
    activation.Bind(std::string(name), *value);
  }
  auto native = cellar::cel::bench::NativeCases(bindings);

  json::array results;
  bool all_ok = true;
  if (!as_json) {
    std::printf("%-22s %12s %12s %10s %12s  %s\n", "case", "ns/eval", "native ns", "ratio",
                "compile us", "ok");
  }
  for (const auto& c : root.at("cases").as_array()) {
    const json::object& co = c.as_object();
    std::string name(co.at("name").as_string());
    std::string expr(co.at("expr").as_string());
    json::object row;
    row["name"] = name;
    auto program = cellar::cel::Compile(expr, env);
    if (!program.ok()) {
      row["ok"] = false;
      row["error"] = program.status().message();
      results.push_back(row);
      all_ok = false;
      continue;
    }
    auto want = cellar::cel::ValueFromJson(co.at("expected"));
    cellar::cel::Arena arena;
    auto got = (*program)->Evaluate(arena, activation);
    bool ok = want.ok() && got.ok() && SameResult(*got, *want);
    if (fixed_count > 0) {
      // Counting mode (for `perf stat -e instructions`): evaluations only, no timing.
      for (long i = 0; i < fixed_count; ++i) {
        auto r = (*program)->Evaluate(arena, activation);
        Sink(r);
      }
      continue;
    }
    double ns = TimeIt([&] {
      auto r = (*program)->Evaluate(arena, activation);
      Sink(r);
    });
    double compile_ns = TimeIt([&] {
      auto p = cellar::cel::Compile(expr, env);
      Sink(p);
    });
    row["ns_per_eval"] = ns;
    row["compile_us"] = compile_ns / 1000.0;
    row["ok"] = ok;
    if (!ok && got.ok()) {
      row["got"] = got->DebugString();
    }
    double native_ns = 0;
    auto it = native.find(name);
    if (it != native.end()) {
      auto& fn = it->second;
      native_ns = TimeIt([&] {
        int r = fn();
        Sink(r);
      });
      row["native_ns"] = native_ns;
    }
    all_ok = all_ok && ok;
    if (!as_json) {
      std::printf("%-22s %12.1f %12s %10s %12.2f  %s\n", name.c_str(), ns,
                  native_ns > 0 ? std::to_string(static_cast<int>(native_ns + 0.5)).c_str() : "-",
                  native_ns > 0 ? (std::to_string(ns / native_ns).substr(0, 5) + "x").c_str() : "-",
                  compile_ns / 1000.0, ok ? "ok" : "MISMATCH");
    }
    results.push_back(row);
  }
  if (as_json) {
    json::object out;
    out["results"] = results;
    std::cout << json::serialize(out) << "\n";
  }
  return all_ok ? 0 : 1;
}
