// src/hcl/check.cc: reads files, parses them and prints their diagnostics with carets.
#include "hcl/check.h"

#include <fstream>
#include <sstream>

#include "hcl/parser.h"

namespace cellar::hcl {

int CheckFiles(const std::vector<std::string>& paths, std::ostream& out) {
  int status = 0;
  for (const std::string& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      out << path << ": cannot read file\n";
      status = 1;
      continue;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    ParseResult result = ParseConfig(text, path);
    if (result.diagnostics.empty()) {
      out << path << ": ok\n";
      continue;
    }
    out << FormatDiagnostics(result.diagnostics, text);
    if (!result.ok()) {
      status = 1;
    }
  }
  return status;
}

}  // namespace cellar::hcl
