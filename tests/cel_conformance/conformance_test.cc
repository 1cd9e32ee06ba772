// tests/cel_conformance/conformance_test.cc: runs every case of the cel-spec conformance suite
// (tests/cel_conformance/data/*.json, produced by tools/cel_conformance/convert.mjs), prints
// passed/failed per file, and fails when a case fails that expected_failures.txt does not list.
//
// Regenerate the list after fixing things: CEL_CONFORMANCE_WRITE_EXPECTED=1 cel_conformance_test
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "cel/cel.h"
#include "cel/checker.h"
#include "cel/proto_provider.h"
#include "conformance_values.h"

namespace cellar::cel::conformance {
namespace {

namespace json = boost::json;

const char* const kFiles[] = {
    "basic",      "bindings_ext", "block_ext",   "comparisons",  "conversions", "dynamic",
    "encoders_ext", "enums",      "fields",      "fp_math",      "integer_math", "lists",
    "logic",      "macros",       "macros2",     "math_ext",     "namespace",   "optionals",
    "parse",      "plumbing",     "proto2",      "proto2_ext",   "proto3",      "string",
    "string_ext", "timestamps",   "type_deductions", "unknowns", "wrappers"};

std::string DataPath(const std::string& name) {
  return std::string(CEL_CONFORMANCE_DIR) + "/" + name;
}

// "file/section/test" -> reason, from expected_failures.txt ("name  # reason" per line).
std::map<std::string, std::string> LoadExpectedFailures() {
  std::map<std::string, std::string> out;
  std::ifstream in(DataPath("expected_failures.txt"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    size_t hash = line.find("  # ");
    std::string name = line.substr(0, hash);
    while (!name.empty() && name.back() == ' ') {
      name.pop_back();
    }
    out[name] = hash == std::string::npos ? "" : line.substr(hash + 4);
  }
  return out;
}

Env* NewBaseEnv(bool enum_types) {
  auto* e = new Env(Env::Standard());
  std::ifstream in(DataPath("data/test_types.binpb"), std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  auto provider = NewProtoTypeProviderFromDescriptorSet(buf.str(), {.enum_types = enum_types});
  if (provider.ok()) {
    e->set_type_provider(*provider);
  } else {
    std::cerr << "cannot load test descriptors: " << provider.status().message() << "\n";
  }
  return e;
}

// cel-spec's enums file has legacy_* sections (enums are ints) and strong_* sections (enums
// have their own type), which cel-go's runner runs with cel.EnumTypes.
const Env& BaseEnv(const std::string& section) {
  static const Env* legacy = NewBaseEnv(false);
  static const Env* strong = NewBaseEnv(true);
  return section.rfind("strong_", 0) == 0 ? *strong : *legacy;
}

// Runs one case; returns "" on pass, else why it failed.
std::string RunCase(const json::object& t, const std::string& section) {
  Env env = BaseEnv(section);
  if (auto* c = t.if_contains("container")) {
    env.set_container(std::string(c->as_string()));
  }
  if (auto* decls = t.if_contains("typeEnv")) {
    for (const auto& d : decls->as_array()) {
      const json::object& decl = d.as_object();
      std::string name(decl.at("name").as_string());
      if (auto* ident = decl.if_contains("ident")) {
        auto type = TypeFromProtoJson(ident->as_object().at("type"));
        if (!type.ok()) {
          return "declaration: " + type.status().message();
        }
        env.DeclareVariable(name, *type);
      }
      if (auto* fn = decl.if_contains("function")) {
        auto fdecl = FunctionDeclFromProtoJson(name, *fn);
        if (!fdecl.ok()) {
          return "declaration: " + fdecl.status().message();
        }
        env.DeclareFunction(std::move(*fdecl));
      }
    }
  }
  bool expect_error = t.contains("evalError");
  std::string expr(t.at("expr").as_string());
  // Like cel-go's runner: every case is type-checked unless it opts out, and a type error
  // fails the case.
  bool checked = !t.contains("disableCheck") || !t.at("disableCheck").as_bool();
  env.set_type_check(checked ? Env::TypeCheck::kAlways : Env::TypeCheck::kNever);
  if (checked) {
    env.set_strict_declarations(true);
    auto result = Check(expr, env);
    if (!result.ok()) {
      return "check: " + result.status().message();
    }
    const json::object* typed = nullptr;
    if (auto* tr = t.if_contains("typedResult")) {
      typed = &tr->as_object();
    }
    if (typed != nullptr && typed->contains("deducedType")) {
      auto want = TypeFromProtoJson(typed->at("deducedType"));
      if (!want.ok()) {
        return "deduced type: " + want.status().message();
      }
      if (!(result->result_type == *want)) {
        return "checked type " + result->result_type.ToString() + ", want " + want->ToString();
      }
    }
    if (t.contains("checkOnly") && t.at("checkOnly").as_bool()) {
      return "";
    }
  }
  auto program = Compile(expr, env);
  if (!program.ok()) {
    if (expect_error) {
      return "";
    }
    return "compile: " + program.status().message();
  }
  Activation vars;
  if (auto* bindings = t.if_contains("bindings")) {
    for (const auto& [name, b] : bindings->as_object()) {
      const json::object& bo = b.as_object();
      if (!bo.contains("value")) {
        return "binding form not supported";
      }
      auto v = ValueFromProtoJson(bo.at("value"), env.type_provider());
      if (!v.ok()) {
        return "binding: " + v.status().message();
      }
      vars.Bind(std::string(name), *v);
    }
  }
  auto result = (*program)->Evaluate(vars);
  if (!result.ok()) {
    return expect_error ? "" : "evaluate: " + result.status().message();
  }
  if (expect_error) {
    if (result->is_error()) {
      return "";
    }
    return "expected an error, got " + result->DebugString();
  }
  const json::value* expected = t.if_contains("value");
  if (expected == nullptr && t.contains("typedResult")) {
    expected = t.at("typedResult").as_object().if_contains("result");
  }
  // simple.proto: with no result matcher the expected result is `true`.
  static const json::value kTrue = json::parse(R"({"boolValue": true})");
  if (expected == nullptr) {
    expected = &kTrue;
  }
  auto want = ValueFromProtoJson(*expected, env.type_provider());
  if (!want.ok()) {
    return "expected value: " + want.status().message();
  }
  if (!StrictlyEqual(*result, *want)) {
    return "got " + result->DebugString() + ", want " + want->DebugString();
  }
  return "";
}

struct FileResult {
  int passed = 0;
  int failed = 0;
  std::vector<std::string> regressions;         // failed but not expected to
  std::vector<std::string> newly_passing;       // expected to fail but passed
  std::vector<std::pair<std::string, std::string>> failures;  // name, reason
};

FileResult RunFile(const std::string& file, const std::map<std::string, std::string>& expected) {
  FileResult out;
  std::ifstream in(DataPath("data/" + file + ".json"));
  std::stringstream buf;
  buf << in.rdbuf();
  boost::system::error_code ec;
  json::value doc = json::parse(buf.str(), ec);
  if (ec) {
    out.regressions.push_back(file + ": cannot parse data file: " + ec.message());
    return out;
  }
  for (const auto& section : doc.as_object().at("sections").as_array()) {
    std::string section_name(section.as_object().at("name").as_string());
    for (const auto& test : section.as_object().at("tests").as_array()) {
      const json::object& t = test.as_object();
      std::string name = file + "/" + section_name + "/" + std::string(t.at("name").as_string());
      std::string why = RunCase(t, section_name);
      bool listed = expected.count(name) != 0;
      if (why.empty()) {
        ++out.passed;
        if (listed) {
          out.newly_passing.push_back(name);
        }
      } else {
        ++out.failed;
        out.failures.emplace_back(name, why);
        if (!listed) {
          out.regressions.push_back(name + ": " + why);
        }
      }
    }
  }
  return out;
}

class ConformanceTest : public testing::TestWithParam<const char*> {};

TEST_P(ConformanceTest, File) {
  static const auto expected = LoadExpectedFailures();
  FileResult r = RunFile(GetParam(), expected);
  std::cout << "[cel-conformance] " << GetParam() << ": " << r.passed << " passed, " << r.failed
            << " failed\n";
  for (const auto& name : r.newly_passing) {
    std::cout << "  now passes (remove from expected_failures.txt): " << name << "\n";
  }
  for (const auto& reg : r.regressions) {
    ADD_FAILURE() << "unexpected failure: " << reg;
  }
}

INSTANTIATE_TEST_SUITE_P(Suite, ConformanceTest, testing::ValuesIn(kFiles),
                         [](const testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param);
                         });

// Prints the whole-suite total; with CEL_CONFORMANCE_WRITE_EXPECTED set, rewrites the list of
// expected failures from this run.
TEST(ConformanceSummary, Total) {
  int passed = 0;
  int total = 0;
  std::vector<std::pair<std::string, std::string>> failures;
  const std::map<std::string, std::string> none;
  for (const char* file : kFiles) {
    FileResult r = RunFile(file, none);
    passed += r.passed;
    total += r.passed + r.failed;
    failures.insert(failures.end(), r.failures.begin(), r.failures.end());
  }
  std::cout << "[cel-conformance] total: " << passed << " / " << total << " passed\n";
  if (std::getenv("CEL_CONFORMANCE_WRITE_EXPECTED") != nullptr) {
    std::ofstream out(DataPath("expected_failures.txt"));
    out << "# Conformance cases known to fail, one per line: file/section/test  # reason.\n"
        << "# Generated by CEL_CONFORMANCE_WRITE_EXPECTED=1 cel_conformance_test; a case that\n"
        << "# fails without being listed here fails the build.\n";
    for (const auto& [name, why] : failures) {
      std::string reason = why.substr(0, 160);
      for (char& c : reason) {
        if (c == '\n') {
          c = ' ';
        }
      }
      out << name << "  # " << reason << "\n";
    }
  }
  EXPECT_GT(total, 2000);
}

}  // namespace
}  // namespace cellar::cel::conformance
