// src/cli/vault_flags.cc: one-dash to two-dash flag rewriting for CLI11.
#include "cli/vault_flags.h"

namespace cellar::cli {

std::vector<std::string> NormalizeFlags(int argc, const char* const* argv) {
  std::vector<std::string> out;
  bool literal = false;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (i > 0 && !literal) {
      if (arg == "--") {
        literal = true;
      } else if (arg.size() > 2 && arg[0] == '-' && arg[1] != '-') {
        arg = "-" + arg;
      }
    }
    out.push_back(std::move(arg));
  }
  return out;
}

}  // namespace cellar::cli
