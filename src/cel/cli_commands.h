// src/cel/cli_commands.h: `cellar cel eval` and `cellar cel check`, as plain functions the CLI
// wires up (src/cli/main.cc). They print to the given streams and return the exit status.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace cellar::cel {

// cellar cel eval [--var NAME=JSON]... [--decl NAME=TYPE]... 'EXPR'
// `vars` are "NAME=JSON" (JSON with tagged singletons such as {"$uint": "5"}); `decls` are
// "NAME=TYPE" (e.g. "claims=map(string, dyn)"). Names must be declared or bound. Prints the
// result as one line of JSON on `out` (int/uint as numbers, bytes base64, timestamps RFC 3339,
// durations "3600s") and returns 0; on a compile or evaluation error prints it with its
// position on `err` and returns 1.
int EvalCommand(const std::vector<std::string>& vars, const std::vector<std::string>& decls,
                const std::string& expr, std::ostream& out, std::ostream& err);

// cellar cel check [--decl NAME=TYPE]... 'EXPR'
// Compiles `expr` against the declarations and prints its result type on `out` (0), or the
// positioned error on `err` (1).
int CheckCommand(const std::vector<std::string>& decls, const std::string& expr,
                 std::ostream& out, std::ostream& err);

}  // namespace cellar::cel
