// src/engines/database/statements_test.cc: templates, statement splitting and the generated
// usernames and passwords the database sees.
#include "engines/database/statements.h"

#include <gtest/gtest.h>

#include <cctype>
#include <set>

namespace cellar::engines::database {
namespace {

TEST(FillTemplateTest, ReplacesKnownKeysAndLeavesTheRest) {
  EXPECT_EQ(FillTemplate(R"(CREATE ROLE "{{name}}" PASSWORD '{{ password }}' {{other}})",
                         {{"name", "v-x"}, {"password", "pw"}}),
            R"(CREATE ROLE "v-x" PASSWORD 'pw' {{other}})");
  EXPECT_EQ(FillTemplate("postgres://{{username}}:{{password}}@db/x {{unclosed",
                         {{"username", "u"}, {"password", "p"}}),
            "postgres://u:p@db/x {{unclosed");
}

TEST(SplitStatementsTest, SplitsOnSemicolonsAndDropsEmptyOnes) {
  EXPECT_EQ(SplitStatements({"CREATE ROLE a;  GRANT x TO a ;", "", " ; ", "SELECT 1"}),
            (std::vector<std::string>{"CREATE ROLE a", "GRANT x TO a", "SELECT 1"}));
}

TEST(NewUsernameTest, HasVaultsShapeAndFitsAnIdentifier) {
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1764662400));
  std::string name = NewUsername("token-alice@example", "readonly-app", now);
  EXPECT_TRUE(name.starts_with("v-token-al-readonly-")) << name;
  EXPECT_TRUE(name.ends_with("-1764662400")) << name;
  EXPECT_EQ(name.size(), std::string("v-token-al-readonly-").size() + 20 + 11);
  EXPECT_TRUE(NewUsername("a\"b'c d", "r", now).starts_with("v-a_b_c_d-r-"));
  EXPECT_LE(NewUsername(std::string(100, 'd'), std::string(100, 'r'), now).size(), 63u);
  EXPECT_NE(NewUsername("a", "b", now), NewUsername("a", "b", now));
}

TEST(NewPasswordTest, TwentyAlphanumericsOfEveryClassAndNeverRepeated) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    std::string p = NewPassword();
    ASSERT_EQ(p.size(), 20u);
    bool upper = false, lower = false, digit = false;
    for (char c : p) {
      ASSERT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << p;
      upper |= std::isupper(static_cast<unsigned char>(c)) != 0;
      lower |= std::islower(static_cast<unsigned char>(c)) != 0;
      digit |= std::isdigit(static_cast<unsigned char>(c)) != 0;
    }
    EXPECT_TRUE(upper && lower && digit) << p;
    EXPECT_TRUE(seen.insert(p).second);
  }
}

TEST(FormatExpirationTest, IsWhatVaultWritesForVALIDUNTIL) {
  auto when = std::chrono::system_clock::time_point(std::chrono::seconds(1764662400 + 3661));
  EXPECT_EQ(FormatExpiration(when), "2025-12-02 09:01:01+0000");
}

}  // namespace
}  // namespace cellar::engines::database
