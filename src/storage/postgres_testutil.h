// src/storage/postgres_testutil.h: the PostgreSQL server tests use: $CELLAR_TEST_POSTGRES, else
// the connection string ctest's private server (scripts/test_postgres.sh) writes to the file
// named by $CELLAR_TEST_POSTGRES_FILE; null with neither (the tests then skip, as when a test
// binary is run by hand).
#pragma once

#include <cstdlib>
#include <fstream>
#include <string>

namespace cellar::storage {

inline const char* TestPostgresConninfo() {
  static const std::string conninfo = [] {
    if (const char* given = std::getenv("CELLAR_TEST_POSTGRES")) {
      return std::string(given);
    }
    const char* file = std::getenv("CELLAR_TEST_POSTGRES_FILE");
    std::string line;
    if (file != nullptr) {
      std::ifstream in(file);
      std::getline(in, line);
    }
    return line;
  }();
  return conninfo.empty() ? nullptr : conninfo.c_str();
}

}  // namespace cellar::storage
