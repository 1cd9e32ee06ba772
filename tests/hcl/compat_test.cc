// tests/hcl/compat_test.cc: Vault/OpenBao-shaped policies and server configs parse and decode.
//
// Each compat/NAME.{hcl,json} is decoded with the policy schema (policy_*) or the server config
// schema (config_*) below and rendered; the rendering must match compat/NAME.decoded, and an
// .hcl and .json of the same NAME must decode to the same structure.
// Regenerate with HCL_GOLDEN_UPDATE=1 and review the diff.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "hcl/parser.h"
#include "hcl/schema.h"

namespace cellar::hcl {
namespace {

namespace fs = std::filesystem;

// The shape the core engineer's ACL policy type decodes (src/core owns the real one).
BodySchema PolicySchema() {
  BlockSpec path;
  path.type = "path";
  path.labels = {"path"};
  path.body.attributes = {
      {"capabilities", Type::kStringList},         {"policy", Type::kString},
      {"allowed_parameters", Type::kMap},          {"denied_parameters", Type::kMap},
      {"required_parameters", Type::kStringList},  {"min_wrapping_ttl", Type::kStringOrNumber},
      {"max_wrapping_ttl", Type::kStringOrNumber},
  };
  BodySchema schema;
  schema.blocks.push_back(path);
  return schema;
}

BodySchema OpenBlock() {
  BodySchema open;
  open.allow_any_attributes = true;
  return open;
}

// A Vault-style server configuration.
BodySchema ConfigSchema() {
  BodySchema schema;
  schema.attributes = {
      {"ui", Type::kBool},
      {"api_addr", Type::kString},
      {"cluster_addr", Type::kString},
      {"cluster_name", Type::kString},
      {"disable_mlock", Type::kBool},
      {"default_lease_ttl", Type::kStringOrNumber},
      {"max_lease_ttl", Type::kStringOrNumber},
      {"log_level", Type::kString},
      {"plugin_directory", Type::kString},
      {"pid_file", Type::kString},
  };
  schema.blocks = {
      {"storage", {"type"}, OpenBlock(), /*required=*/true, /*unique=*/true},
      {"ha_storage", {"type"}, OpenBlock(), false, true},
      {"listener", {"type"}, OpenBlock(), true, false},
      {"seal", {"type"}, OpenBlock(), false, false},
      {"telemetry", {}, OpenBlock(), false, true},
  };
  return schema;
}

void RenderBody(const DecodedBody& body, int level, std::string& out) {
  std::string pad(static_cast<size_t>(level) * 2, ' ');
  std::vector<std::pair<std::string, Value>> attrs = body.attributes;
  std::sort(attrs.begin(), attrs.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [name, value] : attrs) {
    out += pad + name + " = " + value.DebugString() + "\n";
  }
  for (const DecodedBlock& b : body.blocks) {
    out += pad + b.type;
    for (const std::string& l : b.labels) {
      out += " \"" + l + "\"";
    }
    out += "\n";
    RenderBody(b.body, level + 1, out);
  }
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// Parses and decodes one corpus file; diagnostics, if any, come first in the rendering.
std::string Decode(const std::string& name) {
  std::string text = ReadFile(fs::path(HCL_COMPAT_DIR) / name);
  ParseResult r = ParseConfig(text, name);
  Diagnostics diags = r.diagnostics;
  DecodedBody body =
      Decode(r.body(), name.rfind("policy_", 0) == 0 ? PolicySchema() : ConfigSchema(), diags);
  std::string out;
  for (const Diagnostic& d : diags) {
    out += "error: " + d.ToString() + "\n";
  }
  RenderBody(body, 0, out);
  return out;
}

std::vector<std::string> ListCorpus() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(HCL_COMPAT_DIR)) {
    std::string ext = entry.path().extension().string();
    if (ext == ".hcl" || ext == ".json") {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

class CompatTest : public testing::TestWithParam<std::string> {};

TEST_P(CompatTest, DecodesWithoutErrors) {
  std::string got = Decode(GetParam());
  EXPECT_EQ(got.find("error: "), std::string::npos) << got;
}

TEST_P(CompatTest, MatchesExpectedStructure) {
  fs::path expected = fs::path(HCL_COMPAT_DIR) / GetParam();
  expected.replace_extension(expected.extension().string() == ".json" ? ".json.decoded"
                                                                      : ".decoded");
  std::string got = Decode(GetParam());
  if (std::getenv("HCL_GOLDEN_UPDATE") != nullptr) {
    std::ofstream(expected, std::ios::binary) << got;
    GTEST_SKIP() << "updated " << expected;
  }
  ASSERT_TRUE(fs::exists(expected)) << "missing " << expected;
  EXPECT_EQ(got, ReadFile(expected));
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

INSTANTIATE_TEST_SUITE_P(Corpus, CompatTest, testing::ValuesIn(ListCorpus()), CaseName);

// The .json files that have a native twin of the same name.
std::vector<std::string> ListJsonWithTwin() {
  std::vector<std::string> names;
  for (const std::string& name : ListCorpus()) {
    fs::path p(name);
    if (p.extension() == ".json" &&
        fs::exists(fs::path(HCL_COMPAT_DIR) / (p.stem().string() + ".hcl"))) {
      names.push_back(name);
    }
  }
  return names;
}

class CompatTwinTest : public testing::TestWithParam<std::string> {};

TEST_P(CompatTwinTest, JsonAndNativeFormsAgree) {
  std::string twin = fs::path(GetParam()).stem().string() + ".hcl";
  EXPECT_EQ(Decode(GetParam()), Decode(twin));
}

INSTANTIATE_TEST_SUITE_P(Corpus, CompatTwinTest, testing::ValuesIn(ListJsonWithTwin()), CaseName);

// Misspelt names get a suggestion, as operators see it from `cellar hcl check`-like flows.
TEST(CompatErrors, MisspeltCapabilitiesSuggestsTheRightName) {
  ParseResult r = ParseConfig("path \"secret/*\" {\n  capabilites = [\"read\"]\n}\n", "policy.hcl");
  Diagnostics diags;
  Decode(r.body(), PolicySchema(), diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].ToString(),
            "policy.hcl:2:3: unknown attribute \"capabilites\"; did you mean \"capabilities\"?");
}

TEST(CompatErrors, JsonPolicyWithMisspeltBlockTypeSuggests) {
  ParseResult r = ParseConfig(R"({"paths": {"x": {"capabilities": ["read"]}}})", "p.json");
  Diagnostics diags;
  Decode(r.body(), PolicySchema(), diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].ToString(), "p.json:1:2: unknown attribute \"paths\"; did you mean \"path\"?");
}

TEST(CompatErrors, ConfigWithoutListenerIsReported) {
  ParseResult r = ParseConfig("storage \"file\" {\n  path = \"/x\"\n}\n", "c.hcl");
  Diagnostics diags;
  Decode(r.body(), ConfigSchema(), diags);
  ASSERT_EQ(diags.size(), 1u);
  EXPECT_EQ(diags[0].ToString(), "c.hcl:1:1: missing required block \"listener\"");
}

}  // namespace
}  // namespace cellar::hcl
