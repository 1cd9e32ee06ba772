// src/cli/vault_flags.h: accepts Vault's one-dash long flags (-dev, -format=json) for CLI11.
#pragma once

#include <string>
#include <vector>

namespace cellar::cli {

// Returns argv with every one-dash flag longer than one letter rewritten to two dashes
// ("-format=json" → "--format=json"). argv[0], "-", "-x", "--long" and everything after a bare
// "--" are kept as they are, so positional values such as "key=-v" or "-" survive.
std::vector<std::string> NormalizeFlags(int argc, const char* const* argv);

}  // namespace cellar::cli
