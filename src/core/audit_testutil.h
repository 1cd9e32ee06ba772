// src/core/audit_testutil.h: files for audit tests: a fresh path per test file, lines read back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cellar::core::testing_util {

// A path under the test temp directory (per process), with no file there yet.
std::string AuditTempPath(std::string_view name);

// The file's lines, without their newlines (none when it does not exist).
std::vector<std::string> FileLines(const std::string& path);

}  // namespace cellar::core::testing_util
