// src/cli/server_config_test.cc: the HCL server config file decodes to ServerConfig.
#include "cli/server_config.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace cellar::cli {
namespace {

TEST(ServerConfigTest, FullFile) {
  auto config = ParseServerConfig(R"(
storage "sqlite" {
  path = "/var/lib/cellar/cellar.db"
}
listener "tcp" {
  address       = "0.0.0.0:8201"
  tls_cert_file = "/etc/cellar/cert.pem"
  tls_key_file  = "/etc/cellar/key.pem"
  http_read_timeout = "5s"
  max_request_size = 1024
}
api_addr          = "https://cellar.example:8201"
log_level         = "debug"
default_lease_ttl = "1h"
max_lease_ttl     = 7200
disable_mlock     = true
ui                = true
)",
                                  "cellar.hcl");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->storage_type, "sqlite");
  EXPECT_EQ(config->storage_path, "/var/lib/cellar/cellar.db");
  EXPECT_EQ(config->listener.address, "0.0.0.0:8201");
  EXPECT_EQ(config->listener.tls_cert_file, "/etc/cellar/cert.pem");
  EXPECT_EQ(config->listener.read_timeout, std::chrono::seconds(5));
  EXPECT_EQ(config->listener.max_body_bytes, 1024u);
  EXPECT_EQ(config->api_addr, "https://cellar.example:8201");
  EXPECT_EQ(config->log_level, "debug");
  EXPECT_EQ(config->default_lease_ttl, std::chrono::hours(1));
  EXPECT_EQ(config->max_lease_ttl, std::chrono::seconds(7200));
}

TEST(ServerConfigTest, InmemAndTlsDisable) {
  auto config = ParseServerConfig(R"(
storage "inmem" {}
listener "tcp" {
  address = "127.0.0.1:0"
  tls_disable = "true"
  tls_cert_file = "ignored.pem"
}
)",
                                  "c.hcl");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->storage_type, "inmem");
  EXPECT_TRUE(config->listener.tls_cert_file.empty());
}

TEST(ServerConfigTest, JsonSyntax) {
  auto config = ParseServerConfig(
      R"({"storage": {"sqlite": {"path": "/tmp/x.db"}},
          "listener": {"tcp": {"address": "127.0.0.1:9999", "tls_disable": true}}})",
      "c.json");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->storage_path, "/tmp/x.db");
  EXPECT_EQ(config->listener.address, "127.0.0.1:9999");
}

TEST(ServerConfigTest, PostgresqlWithVaultsSettingNames) {
  auto config = ParseServerConfig(R"(
storage "postgresql" {
  connection_url       = "postgres://cellar:secret@db.example:5432/cellar"
  table                = "cellar_prod"
  max_idle_connections = "4"
  ha_enabled           = "true"
}
listener "tcp" { address = "127.0.0.1:8200" }
api_addr = "http://10.0.0.1:8200/"
)",
                                  "c.hcl");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->storage_type, "postgresql");
  EXPECT_EQ(config->postgres.connection_url, "postgres://cellar:secret@db.example:5432/cellar");
  EXPECT_EQ(config->postgres.table, "cellar_prod");
  EXPECT_EQ(config->postgres.max_idle_connections, 4);
  EXPECT_TRUE(config->postgres.ha_enabled);
  EXPECT_EQ(config->api_addr, "http://10.0.0.1:8200");
}

TEST(ServerConfigTest, PostgresqlConnectionUrlFromTheEnvironmentAsInVault) {
  setenv("VAULT_PG_CONNECTION_URL", "host=/run/postgresql dbname=cellar", 1);
  auto config = ParseServerConfig(
      "storage \"postgresql\" {}\nlistener \"tcp\" { address = \"a:1\" }", "c.hcl");
  unsetenv("VAULT_PG_CONNECTION_URL");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->postgres.connection_url, "host=/run/postgresql dbname=cellar");
  EXPECT_EQ(config->postgres.table, "cellar_kv");

  auto without = ParseServerConfig(
      "storage \"postgresql\" {}\nlistener \"tcp\" { address = \"a:1\" }", "c.hcl");
  ASSERT_FALSE(without.ok());
  EXPECT_NE(
      without.status().message().find("c.hcl:1:1: storage \"postgresql\": needs a connection_url"),
      std::string::npos)
      << without.status().message();
}

struct BadCase {
  std::string name;
  std::string text;
  std::string message_part;
};

class BadConfigTest : public testing::TestWithParam<BadCase> {};

TEST_P(BadConfigTest, IsRejectedWithPosition) {
  auto config = ParseServerConfig(GetParam().text, "bad.hcl");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find("bad.hcl:"), std::string::npos)
      << config.status().message();
  EXPECT_NE(config.status().message().find(GetParam().message_part), std::string::npos)
      << config.status().message();
}

INSTANTIATE_TEST_SUITE_P(
    All, BadConfigTest,
    testing::Values(
        BadCase{"NoStorage", "listener \"tcp\" { address = \"a:1\" }", "storage"},
        BadCase{"SqliteWithoutPath",
                "storage \"sqlite\" {}\nlistener \"tcp\" { address = \"a:1\" }", "path"},
        BadCase{"UnknownStorage", "storage \"consul\" {}\nlistener \"tcp\" { address = \"a:1\" }",
                "consul"},
        BadCase{"Misspelt", "storage \"inmem\" {}\nlistener \"tcp\" { adress = \"a:1\" }",
                "adress"},
        BadCase{"HalfTls", "storage \"inmem\" {}\nlistener \"tcp\" { tls_cert_file = \"c\" }",
                "tls_key_file"},
        BadCase{"PostgresHaWithoutApiAddr",
                "storage \"postgresql\" {\n connection_url = \"x\"\n ha_enabled = \"true\"\n}\n"
                "listener \"tcp\" {}",
                "bad.hcl:1:1: storage \"postgresql\": ha_enabled needs api_addr"},
        BadCase{
            "PostgresIdleConnections",
            "storage \"postgresql\" {\n connection_url = \"x\"\n max_idle_connections = \"-1\"\n}\n"
            "listener \"tcp\" {}",
            "max_idle_connections must be"},
        BadCase{"BadTtl", "storage \"inmem\" {}\nlistener \"tcp\" {}\nmax_lease_ttl = \"soon\"",
                "max_lease_ttl"}),
    [](const testing::TestParamInfo<BadCase>& info) { return info.param.name; });

}  // namespace
}  // namespace cellar::cli
