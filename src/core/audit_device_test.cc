// src/core/audit_device_test.cc: file device options, appends, write failures, concurrency.
#include "core/audit_device.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <thread>
#include <vector>

#include "core/audit_testutil.h"

namespace cellar::core {
namespace {

using testing_util::AuditTempPath;
using testing_util::FileLines;

AuditDeviceEntry Entry(std::map<std::string, std::string> options) {
  AuditDeviceEntry e;
  e.path = "file/";
  e.options = std::move(options);
  e.hmac_key = std::string(32, 'k');
  return e;
}

struct OpenCase {
  std::string name;
  std::string type;
  std::map<std::string, std::string> options;  // "FILE" is replaced by a temp path
  StatusCode code;
};

class AuditDeviceOpenTest : public testing::TestWithParam<OpenCase> {};

TEST_P(AuditDeviceOpenTest, ValidatesOptions) {
  AuditDeviceEntry e = Entry(GetParam().options);
  e.type = GetParam().type;
  for (auto& [k, v] : e.options) {
    if (v == "FILE") {
      v = AuditTempPath(GetParam().name + ".log");
    }
  }
  EXPECT_EQ(AuditDevice::Open(e).status().code(), GetParam().code);
}

INSTANTIATE_TEST_SUITE_P(
    All, AuditDeviceOpenTest,
    testing::Values(
        OpenCase{"Plain", "file", {{"file_path", "FILE"}}, StatusCode::kOk},
        OpenCase{"LegacyPathOption", "file", {{"path", "FILE"}}, StatusCode::kOk},
        OpenCase{"Stdout", "file", {{"file_path", "stdout"}}, StatusCode::kOk},
        OpenCase{"Discard", "file", {{"file_path", "discard"}}, StatusCode::kOk},
        OpenCase{"AllOptions",
                 "file",
                 {{"file_path", "FILE"},
                  {"mode", "0640"},
                  {"hmac_accessor", "false"},
                  {"log_raw", "true"}},
                 StatusCode::kOk},
        OpenCase{"ModeZeroKeepsFile",
                 "file",
                 {{"file_path", "FILE"}, {"mode", "0000"}},
                 StatusCode::kOk},
        OpenCase{"NoFilePath", "file", {}, StatusCode::kInvalidArgument},
        OpenCase{"SocketType", "socket", {{"file_path", "FILE"}}, StatusCode::kInvalidArgument},
        OpenCase{"ExecutableMode",
                 "file",
                 {{"file_path", "FILE"}, {"mode", "0755"}},
                 StatusCode::kInvalidArgument},
        OpenCase{"NonOctalMode",
                 "file",
                 {{"file_path", "FILE"}, {"mode", "0689"}},
                 StatusCode::kInvalidArgument},
        OpenCase{"BadBool",
                 "file",
                 {{"file_path", "FILE"}, {"log_raw", "maybe"}},
                 StatusCode::kInvalidArgument},
        OpenCase{"MissingDirectory",
                 "file",
                 {{"file_path", "/nonexistent-dir/audit.log"}},
                 StatusCode::kInvalidArgument}),
    [](const testing::TestParamInfo<OpenCase>& info) { return info.param.name; });

TEST(AuditDeviceTest, OptionsSetTheFormat) {
  auto device = AuditDevice::Open(
      Entry({{"file_path", "discard"}, {"hmac_accessor", "false"}, {"log_raw", "1"}}));
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  EXPECT_FALSE((*device)->format().hmac_accessor);
  EXPECT_TRUE((*device)->format().log_raw);
  EXPECT_EQ((*device)->format().hmac_key, std::string(32, 'k'));
}

TEST(AuditDeviceTest, AppendsOneLinePerWriteAndKeepsEarlierContent) {
  std::string path = AuditTempPath("append.log");
  { std::ofstream(path) << "earlier\n"; }
  auto device = AuditDevice::Open(Entry({{"file_path", path}}));
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  ASSERT_TRUE((*device)->Write(R"({"a":1})").ok());
  ASSERT_TRUE((*device)->Write(R"({"b":2})").ok());
  EXPECT_EQ(FileLines(path), (std::vector<std::string>{"earlier", R"({"a":1})", R"({"b":2})"}));
}

TEST(AuditDeviceTest, CreatesTheFileWithItsMode) {
  std::string path = AuditTempPath("mode.log");
  ASSERT_TRUE(AuditDevice::Open(Entry({{"file_path", path}, {"mode", "0640"}})).ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST(AuditDeviceTest, FullDiskIsAnInternalError) {
  auto device = AuditDevice::Open(Entry({{"file_path", "/dev/full"}}));
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  EXPECT_EQ((*device)->Write("{}").code(), StatusCode::kInternal);
}

TEST(AuditDeviceTest, ConcurrentWritesNeverInterleave) {
  std::string path = AuditTempPath("concurrent.log");
  auto device = AuditDevice::Open(Entry({{"file_path", path}}));
  ASSERT_TRUE(device.ok());
  constexpr int kThreads = 8;
  constexpr int kLines = 300;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Long lines: a torn write would show up as a line that does not parse.
      std::string line = R"({"thread":)" + std::to_string(t) + R"(,"pad":")" +
                         std::string(4000, 'a' + t) + R"("})";
      for (int i = 0; i < kLines; ++i) {
        EXPECT_TRUE((*device)->Write(line).ok());
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  std::vector<std::string> lines = FileLines(path);
  ASSERT_EQ(lines.size(), static_cast<size_t>(kThreads * kLines));
  std::vector<int> per_thread(kThreads);
  for (const std::string& line : lines) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(line, ec);
    ASSERT_FALSE(ec) << line.substr(0, 80);
    ++per_thread.at(v.at("thread").as_int64());
  }
  EXPECT_EQ(per_thread, std::vector<int>(kThreads, kLines));
}

TEST(AuditBoolOptionTest, FollowsGoParseBool) {
  std::map<std::string, std::string> options = {{"a", "T"}, {"b", "0"}, {"c", "yes"}};
  EXPECT_TRUE(AuditBoolOption(options, "a", false).value());
  EXPECT_FALSE(AuditBoolOption(options, "b", true).value());
  EXPECT_EQ(AuditBoolOption(options, "c", true).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(AuditBoolOption(options, "absent", true).value());
}

}  // namespace
}  // namespace cellar::core
