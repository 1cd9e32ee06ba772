// src/core/audit_broker_test.cc: the audit table (persisted, reloaded) and the fan-out rule.
#include "core/audit_broker.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <fstream>

#include "core/audit_testutil.h"
#include "storage/memory_storage.h"

namespace cellar::core {
namespace {

using testing_util::AuditTempPath;
using testing_util::FileLines;

AuditEnableRequest FileDevice(std::string path, std::string file) {
  return {.path = std::move(path), .type = "file", .options = {{"file_path", std::move(file)}}};
}

class AuditBrokerTest : public testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(broker_.Load(&storage_).ok()); }

  Status LogOne() {
    AuditRecord record;
    record.path = "secret/app";
    return broker_.Log(AuditEntryType::kRequest, record, nullptr, OkStatus());
  }

  FakeClock clock_;
  storage::MemoryStorage storage_;
  AuditBroker broker_{clock_};
};

TEST_F(AuditBrokerTest, InactiveUntilADeviceIsEnabled) {
  EXPECT_FALSE(broker_.Active());
  EXPECT_TRUE(LogOne().ok());  // nothing to record, nothing lost
  ASSERT_TRUE(broker_.Enable(FileDevice("file", "discard")).ok());
  EXPECT_TRUE(broker_.Active());
  ASSERT_TRUE(broker_.Disable("file/").ok());
  EXPECT_FALSE(broker_.Active());
}

TEST_F(AuditBrokerTest, PathsAreNormalisedAndUnique) {
  ASSERT_TRUE(broker_.Enable(FileDevice("/file", "discard")).ok());
  EXPECT_EQ(broker_.Enable(FileDevice("file/", "discard")).code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(broker_.List().size(), 1u);
  EXPECT_EQ(broker_.List()[0].path, "file/");
  EXPECT_EQ(broker_.Enable(FileDevice("", "discard")).code(), StatusCode::kInvalidArgument);
}

TEST_F(AuditBrokerTest, BadOptionsPersistNothing) {
  EXPECT_EQ(broker_.Enable(FileDevice("file", "")).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(storage_.Get(kAuditTableKey).value().has_value());
  EXPECT_FALSE(broker_.Active());
}

TEST_F(AuditBrokerTest, TableSurvivesReloadWithTheSameKey) {
  std::string file = AuditTempPath("reload.log");
  AuditEnableRequest request = FileDevice("mine", file);
  request.description = "team log";
  request.options["log_raw"] = "false";
  ASSERT_TRUE(broker_.Enable(request).ok());
  std::string hash = broker_.Hash("mine", "hunter2").value();
  EXPECT_TRUE(hash.starts_with("hmac-sha256:"));

  broker_.Clear();
  EXPECT_FALSE(broker_.Active());
  EXPECT_EQ(broker_.Hash("mine", "hunter2").status().code(), StatusCode::kInvalidArgument);

  AuditBroker reloaded(clock_);
  ASSERT_TRUE(reloaded.Load(&storage_).ok());
  EXPECT_TRUE(reloaded.Active());
  ASSERT_EQ(reloaded.List().size(), 1u);
  AuditDeviceEntry entry = reloaded.List()[0];
  EXPECT_EQ(entry.description, "team log");
  EXPECT_EQ(entry.options.at("file_path"), file);
  EXPECT_EQ(reloaded.Hash("mine/", "hunter2").value(), hash);
}

TEST_F(AuditBrokerTest, EachDeviceHasItsOwnKey) {
  ASSERT_TRUE(broker_.Enable(FileDevice("a", "discard")).ok());
  ASSERT_TRUE(broker_.Enable(FileDevice("b", "discard")).ok());
  EXPECT_NE(broker_.Hash("a", "x").value(), broker_.Hash("b", "x").value());
}

TEST_F(AuditBrokerTest, OneWorkingDeviceIsEnough) {
  std::string good = AuditTempPath("good.log");
  ASSERT_TRUE(broker_.Enable(FileDevice("full", "/dev/full")).ok());
  ASSERT_TRUE(broker_.Enable(FileDevice("good", good)).ok());
  EXPECT_TRUE(LogOne().ok());
  EXPECT_EQ(FileLines(good).size(), 1u);
}

TEST_F(AuditBrokerTest, NoWorkingDeviceFailsTheEntry) {
  ASSERT_TRUE(broker_.Enable(FileDevice("full", "/dev/full")).ok());
  EXPECT_EQ(LogOne().code(), StatusCode::kInternal);
}

TEST_F(AuditBrokerTest, EveryDeviceGetsTheEntryHashedWithItsKey) {
  std::string a = AuditTempPath("a.log");
  std::string b = AuditTempPath("b.log");
  ASSERT_TRUE(broker_.Enable(FileDevice("a", a)).ok());
  ASSERT_TRUE(broker_.Enable(FileDevice("b", b)).ok());
  AuditRecord record;
  record.data = {{"password", "hunter2"}};
  ASSERT_TRUE(broker_.Log(AuditEntryType::kRequest, record, nullptr, OkStatus()).ok());
  for (auto [path, file] : {std::pair{"a", a}, std::pair{"b", b}}) {
    std::ifstream in(file);
    std::string line;
    ASSERT_TRUE(std::getline(in, line));
    EXPECT_EQ(boost::json::parse(line).at("request").at("data").at("password").as_string(),
              broker_.Hash(path, "hunter2").value());
  }
}

TEST_F(AuditBrokerTest, UnreadableTableFailsTheLoad) {
  ASSERT_TRUE(storage_.Put(kAuditTableKey, "not json").ok());
  AuditBroker other(clock_);
  EXPECT_EQ(other.Load(&storage_).code(), StatusCode::kInternal);
  EXPECT_FALSE(other.Active());
}

}  // namespace
}  // namespace cellar::core
