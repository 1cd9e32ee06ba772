// tests/hcl/golden_test.cc: parses every tests/hcl/golden input and compares with NAME.out.
//
// Inputs: NAME.hcl (native body), NAME.json (JSON body), NAME.expr (one expression, also
// evaluated). NAME.out holds the expected diagnostics, then the AST dump (and value). To
// regenerate after a deliberate change: HCL_GOLDEN_UPDATE=1 build/tests/hcl/hcl_golden_test,
// then review `git diff tests/hcl/golden` by eye.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hcl/eval.h"
#include "hcl/parser.h"

namespace cellar::hcl {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ListCases() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(HCL_GOLDEN_DIR)) {
    std::string ext = entry.path().extension().string();
    if (ext == ".hcl" || ext == ".json" || ext == ".expr") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// The text a case is compared against: errors first, then the tree (and value).
std::string Render(const std::string& name, const std::string& text) {
  std::string ext = fs::path(name).extension().string();
  std::string out;
  if (ext == ".expr") {
    ParseResult r = ParseExpression(text, name);
    out += "# errors\n";
    for (const Diagnostic& d : r.diagnostics) {
      out += d.ToString() + "\n";
    }
    if (r.file->expr() == nullptr) {
      return out;
    }
    out += "# ast\n" + DumpExpr(*r.file->expr());
    if (r.ok()) {
      Diagnostics diags;
      std::optional<Value> v = Evaluate(*r.file->expr(), diags);
      out += "# value\n";
      out += v ? v->DebugString() + "\n" : "";
      for (const Diagnostic& d : diags) {
        out += d.ToString() + "\n";
      }
    }
    return out;
  }
  ParseResult r = ext == ".json" ? ParseJson(text, name) : ParseNative(text, name);
  out += "# errors\n";
  for (const Diagnostic& d : r.diagnostics) {
    out += d.ToString() + "\n";
  }
  out += "# ast\n" + DumpBody(r.body());
  return out;
}

class GoldenTest : public testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, MatchesExpectedOutput) {
  fs::path input = fs::path(HCL_GOLDEN_DIR) / GetParam();
  fs::path expected_path = input;
  expected_path.replace_extension(".out");
  std::string got = Render(GetParam(), ReadFile(input));
  if (std::getenv("HCL_GOLDEN_UPDATE") != nullptr) {
    std::ofstream(expected_path, std::ios::binary) << got;
    GTEST_SKIP() << "updated " << expected_path;
  }
  ASSERT_TRUE(fs::exists(expected_path))
      << "missing " << expected_path << "; run with HCL_GOLDEN_UPDATE=1 and review";
  EXPECT_EQ(got, ReadFile(expected_path));
}

std::string CaseName(const testing::TestParamInfo<std::string>& info) {
  std::string n = info.param;
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      c = '_';
    }
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenTest, testing::ValuesIn(ListCases()), CaseName);

}  // namespace
}  // namespace cellar::hcl
