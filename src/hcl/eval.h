// src/hcl/eval.h: constant evaluation of expressions, for config files and ACL policies.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "hcl/ast.h"
#include "hcl/diagnostic.h"
#include "hcl/value.h"

namespace cellar::hcl {

// Variables visible to an expression. Config files and policies evaluate with none.
struct EvalContext {
  std::map<std::string, Value, std::less<>> variables;
};

// Evaluates `expr` with literals, templates, operators, conditionals, for expressions, indexing,
// splats and a few pure functions (length, upper, lower, join, concat, keys, values, contains,
// tostring, tonumber, min, max, abs). A reference to an unknown variable or function is an error.
// Work is bounded (a million steps, 64 MB of copied values), so hostile input fails rather than
// hangs. Returns nullopt after appending at least one diagnostic to `diags`. Thread-safe: the
// expression is only read.
std::optional<Value> Evaluate(const Expr& expr, Diagnostics& diags,
                              const EvalContext* context = nullptr);

}  // namespace cellar::hcl
