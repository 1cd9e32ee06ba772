// src/cel/checker.h: the CEL type checker. Types every node of a parsed expression against the
// environment's declarations (variables, functions with overloads and type parameters, message
// types of the TypeProvider, the container), records the resolved name or the matching
// overload ids per node, and reports type errors with their source positions.
//
//   auto checked = cel::Check("a.size() + 1", env);   // StatusOr<CheckedExpr>
//   checked->result_type.ToString()                   // "int"
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/status_or.h"
#include "cel/ast.h"
#include "cel/cel.h"
#include "cel/parser.h"
#include "cel/source.h"
#include "cel/types.h"

namespace cellar::cel {

// What a node resolved to: a variable, type or enum constant (name), or a call's overloads.
struct Reference {
  std::string name;                       // fully qualified identifier or function name
  std::vector<std::string> overload_ids;  // calls: every overload whose signature matched
  std::optional<int64_t> enum_value;      // enum constants
};

struct CheckedExpr {
  Type result_type;
  std::vector<Type> types;  // indexed by expression id (no type parameters left)
  std::unordered_map<int64_t, Reference> references;
  // Calls of an enum type's conversion (GlobalEnum(2), Msg.Nested('BAR')): the function name
  // as the call spells it, and the enum's full name.
  std::vector<std::pair<std::string, std::string>> enum_conversions;
  // "ERROR: <input>:1:5: message\n | source\n | ....^" per type error.
  std::vector<std::string> errors;

  // OK, or InvalidArgument with every error, one after another.
  Status status() const;
};

// Checks a parsed expression. Undeclared names are errors only with strict declarations
// (otherwise they are dyn, as the planner resolves them at run time).
CheckedExpr CheckParsed(const Expr& root, const Source& source, const Env& env);

// The parser settings (size and depth limits, macros) of `env`.
ParseOptions ParseOptionsFor(const Env& env);

// Parses and checks `source`: syntax and type errors as InvalidArgument.
StatusOr<CheckedExpr> Check(std::string_view source, const Env& env);

}  // namespace cellar::cel
