// src/cli/vault_flags_test.cc: Vault-style flags become CLI11 flags; positional values do not.
#include "cli/vault_flags.h"

#include <gtest/gtest.h>

namespace cellar::cli {
namespace {

std::vector<std::string> Normalize(std::vector<const char*> argv) {
  return NormalizeFlags(static_cast<int>(argv.size()), argv.data());
}

TEST(NormalizeFlagsTest, OneDashLongFlagsGainADash) {
  EXPECT_EQ(Normalize({"cellar", "server", "-dev", "-dev-root-token-id=root"}),
            (std::vector<std::string>{"cellar", "server", "--dev", "--dev-root-token-id=root"}));
}

TEST(NormalizeFlagsTest, TwoDashFlagsUnchanged) {
  EXPECT_EQ(Normalize({"cellar", "kv", "get", "--format=json"})[3], "--format=json");
}

TEST(NormalizeFlagsTest, ShortFlagsAndDashUnchanged) {
  EXPECT_EQ(Normalize({"cellar", "-h", "-"}), (std::vector<std::string>{"cellar", "-h", "-"}));
}

TEST(NormalizeFlagsTest, PositionalValuesUnchanged) {
  EXPECT_EQ(Normalize({"cellar", "write", "p", "password=-secret"})[3], "password=-secret");
}

TEST(NormalizeFlagsTest, NothingAfterDoubleDash) {
  EXPECT_EQ(Normalize({"cellar", "write", "--", "-odd"})[3], "-odd");
}

TEST(NormalizeFlagsTest, ProgramNameUnchanged) {
  EXPECT_EQ(Normalize({"-weird-name"})[0], "-weird-name");
}

}  // namespace
}  // namespace cellar::cli
