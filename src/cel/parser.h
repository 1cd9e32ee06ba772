// src/cel/parser.h: CEL source text to a macro-expanded Expr tree, or a positioned syntax error.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "base/status_or.h"
#include "cel/ast.h"
#include "cel/source.h"

namespace cellar::cel {

struct ParseOptions {
  // Longer sources are rejected before lexing (code points are at most this many bytes).
  size_t max_source_bytes = 100 * 1024;
  // Parser recursion (parentheses, calls, ternaries, unary chains); beyond it is an error.
  int max_recursion_depth = 250;
  // AST nodes after macro expansion. optMap/optFlatMap copy their target, so a chain of them
  // doubles the tree at each link; past this the parse is an error instead of exponential work.
  size_t max_nodes = 32'768;
  bool enable_macros = true;
  bool enable_optional_syntax = true;
};

struct ParsedExpr {
  ExprPtr root;
  std::shared_ptr<const Source> source;
  int64_t max_id = 0;  // ids are 1..max_id
};

// InvalidArgument with "ERROR: <input>:LINE:COL: message" and a caret line on a syntax error.
StatusOr<ParsedExpr> Parse(std::string_view text, const ParseOptions& options = {});

}  // namespace cellar::cel
