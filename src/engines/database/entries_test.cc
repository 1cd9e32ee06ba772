// src/engines/database/entries_test.cc: a connection's credentials reach libpq intact whatever
// bytes the password holds, and roles are allowed as configured.
#include "engines/database/entries.h"

#include <gtest/gtest.h>

namespace cellar::engines::database {
namespace {

TEST(ConnectionEntryTest, CredentialsArePercentEncodedInAUri) {
  ConnectionEntry c{.connection_url = "postgresql://{{username}}:{{password}}@db:5432/app",
                    .username = "admin@corp",
                    .password = "p@ss:w/rd?#%"};
  EXPECT_EQ(c.Conninfo(), "postgresql://admin%40corp:p%40ss%3Aw%2Frd%3F%23%25@db:5432/app");
}

TEST(ConnectionEntryTest, CredentialsAreQuotedInAKeyValueString) {
  ConnectionEntry c{.connection_url = "host=db user={{username}} password={{password}}",
                    .username = "admin",
                    .password = R"(it's a \ pw)"};
  EXPECT_EQ(c.Conninfo(), R"(host=db user='admin' password='it\'s a \\ pw')");
}

TEST(ConnectionEntryTest, AllowedRoles) {
  ConnectionEntry some{.allowed_roles = {"readonly", "app"}};
  EXPECT_TRUE(some.AllowsRole("app"));
  EXPECT_FALSE(some.AllowsRole("admin"));
  EXPECT_TRUE(ConnectionEntry{.allowed_roles = {"*"}}.AllowsRole("anything"));
  EXPECT_FALSE(ConnectionEntry{}.AllowsRole("app"));
}

}  // namespace
}  // namespace cellar::engines::database
