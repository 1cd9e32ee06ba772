// src/hcl/check.h: `cellar hcl check FILE...`: syntax-checks files and prints positioned errors.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace cellar::hcl {

// Parses each file (native or JSON) and prints every diagnostic as "file:line:col: message"
// followed by the source line and a caret; an unreadable file is reported too. Prints
// "file: ok" for a clean file. Returns 0 when every file is clean, 1 otherwise.
int CheckFiles(const std::vector<std::string>& paths, std::ostream& out);

}  // namespace cellar::hcl
