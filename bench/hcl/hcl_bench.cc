// bench/hcl/hcl_bench.cc: MB/s for parsing 1 MB of policy-shaped and profile-shaped HCL.
#include <benchmark/benchmark.h>

#include <string>

#include "hcl/parser.h"

namespace {

constexpr size_t kTarget = 1u << 20;

std::string PolicyText() {
  std::string out;
  for (int i = 0; out.size() < kTarget; ++i) {
    std::string n = std::to_string(i);
    out += "# policy for team " + n + "\n";
    out += "path \"secret/data/team-" + n + "/*\" {\n";
    out += "  capabilities = [\"create\", \"read\", \"update\", \"delete\", \"list\"]\n";
    out += "}\n\n";
    out += "path \"secret/metadata/team-" + n + "/+/config\" {\n";
    out += "  capabilities = [\"read\"]\n";
    out += "  allowed_parameters = {\n    \"ttl\" = [\"1h\", \"2h\"]\n    \"*\" = []\n  }\n";
    out += "  required_parameters = [\"ttl\"]\n  max_wrapping_ttl = \"90s\"\n}\n\n";
  }
  return out;
}

std::string ProfileText() {
  std::string out = "input {\n  authenticated = true\n  data = { common_name = \"string\" }\n}\n";
  for (int i = 0; out.size() < kTarget; ++i) {
    std::string n = std::to_string(i);
    out += "request \"r" + n + "\" {\n";
    out += "  path      = \"secret/data/apps/${input.data.common_name}/" + n + "\"\n";
    out += "  operation = \"read\"\n";
    out += "  data = {\n    ttl = input.data.ttl != null ? input.data.ttl : \"24h\"\n";
    out += "    keys = [for k, v in request.r" + n + ".data : upper(k) if v != \"\"]\n";
    out += "    n = (length(request.list.data.keys) + 1) * 2\n  }\n}\n";
  }
  out += "output {\n  data = { a = request.r0.data.data }\n}\n";
  return out;
}

void Run(benchmark::State& state, const std::string& text) {
  for (auto _ : state) {
    cellar::hcl::ParseResult r = cellar::hcl::ParseNative(text, "bench.hcl");
    if (!r.ok()) {
      state.SkipWithError("parse failed");
      break;
    }
    benchmark::DoNotOptimize(r.file.get());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
}

void BM_ParsePolicy(benchmark::State& state) {
  static const std::string text = PolicyText();
  Run(state, text);
}
BENCHMARK(BM_ParsePolicy)->Unit(benchmark::kMillisecond);

void BM_ParseProfile(benchmark::State& state) {
  static const std::string text = ProfileText();
  Run(state, text);
}
BENCHMARK(BM_ParseProfile)->Unit(benchmark::kMillisecond);

}  // namespace
