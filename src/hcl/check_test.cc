// src/hcl/check_test.cc: CheckFiles prints positioned errors and returns the exit status.
#include "hcl/check.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cellar::hcl {
namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  std::string path = (std::filesystem::temp_directory_path() / name).string();
  std::ofstream(path) << text;
  return path;
}

TEST(CheckFilesTest, CleanFileReturnsZero) {
  std::string path = WriteTemp("hcl_check_ok.hcl", "a = 1\n");
  std::ostringstream out;
  EXPECT_EQ(CheckFiles({path}, out), 0);
  EXPECT_EQ(out.str(), path + ": ok\n");
}

TEST(CheckFilesTest, PrintsErrorsWithCaretAndReturnsOne) {
  std::string path = WriteTemp("hcl_check_bad.hcl", "a = 1\nb = ]\n");
  std::ostringstream out;
  EXPECT_EQ(CheckFiles({path}, out), 1);
  EXPECT_EQ(out.str(), path + ":2:5: expected an expression, found ']'\n  b = ]\n      ^\n");
}

TEST(CheckFilesTest, MissingFileIsAnError) {
  std::ostringstream out;
  EXPECT_EQ(CheckFiles({"/nonexistent/x.hcl"}, out), 1);
  EXPECT_EQ(out.str(), "/nonexistent/x.hcl: cannot read file\n");
}

}  // namespace
}  // namespace cellar::hcl
