// fuzz/cel/cel_fuzz.cc: feeds arbitrary text to the CEL compiler and evaluates what compiles,
// with a small cost budget and a deadline, so any crash, hang or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cel/cel.h"
#include "cel/json.h"

namespace {

const cellar::cel::Env& FuzzEnv() {
  static const cellar::cel::Env* env = [] {
    auto* e = new cellar::cel::Env(cellar::cel::Env::Standard());
    e->limits().cost_budget = 20000;
    e->limits().timeout = std::chrono::milliseconds(500);
    e->limits().max_source_bytes = 4096;
    return e;
  }();
  return *env;
}

const cellar::cel::Activation& FuzzVars() {
  static const cellar::cel::Activation* vars = [] {
    auto* a = new cellar::cel::Activation();
    a->Bind("x", cellar::cel::Value::Int(42));
    a->Bind("s", cellar::cel::Value::String("héllo wörld"));
    auto claims = cellar::cel::ValueFromJsonText(
        R"({"email": "a@b.c", "groups": ["a", "b"], "n": 1.5, "m": {"k": [1, 2]}})");
    a->Bind("claims", claims.ok() ? *claims : cellar::cel::Value::Null());
    a->Bind("now", cellar::cel::Value::Timestamp(1700000000, 0));
    return a;
  }();
  return *vars;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  auto program = cellar::cel::Compile(source, FuzzEnv());
  if (!program.ok()) {
    return 0;
  }
  auto result = (*program)->Evaluate(FuzzVars());
  if (result.ok()) {
    auto text = cellar::cel::ValueToJsonText(*result);
    (void)text;
    (void)result->DebugString();
  }
  return 0;
}
