// src/core/audit_testutil.cc: temp paths and line reading for the audit tests.
#include "core/audit_testutil.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cellar::core::testing_util {

std::string AuditTempPath(std::string_view name) {
  std::string dir = testing::TempDir() + "cellar_audit_test_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  std::string path = dir + "/" + std::string(name);
  std::filesystem::remove(path);
  return path;
}

std::vector<std::string> FileLines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

}  // namespace cellar::core::testing_util
