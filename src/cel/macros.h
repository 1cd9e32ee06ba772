// src/cel/macros.h: expansion of CEL's macros (has, all, exists, exists_one, map, filter,
// two-variable comprehensions, cel.bind, optMap/optFlatMap) into comprehension trees.
#pragma once

#include <string>
#include <vector>

#include "cel/ast.h"

namespace cellar::cel {

// What the expander needs from the parser: fresh ids and error reporting.
class ExprFactory {
 public:
  virtual ~ExprFactory() = default;
  virtual ExprPtr NewExpr(ExprKind kind, int32_t offset) = 0;
  virtual void ReportError(int32_t offset, std::string message) = 0;
  // True once the factory has made more nodes than allowed (an error is reported already).
  virtual bool Exhausted() const { return false; }
};

// If `fn` (with `target`, null for a global call, and `args`) is a macro, sets *matched and
// returns the expansion (null after reporting an error). Otherwise leaves target/args intact.
ExprPtr ExpandMacro(ExprFactory& factory, int32_t offset, const std::string& fn, ExprPtr& target,
                    std::vector<ExprPtr>& args, bool* matched);

// Deep copy with fresh ids.
ExprPtr CloneExpr(ExprFactory& factory, const Expr& e);

}  // namespace cellar::cel
