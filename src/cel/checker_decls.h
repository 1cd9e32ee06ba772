// src/cel/checker_decls.h: function declarations for the type checker: full signatures (with
// type parameters) of the standard library, every extension the engine registers, and
// functions an embedder declares with Env::DeclareFunction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"
#include "cel/types.h"

namespace cellar::cel {

struct OverloadDecl {
  std::string id;       // "add_int64": what the checker records per call expression
  bool member = false;  // receiver style: params[0] is the receiver
  std::vector<Type> params;
  Type result;
  // A one-list-argument overload that also types calls with three or more arguments, as a
  // list of their joined type (math.greatest(a, b, c) is math.greatest([a, b, c])).
  bool variadic = false;

  // The names of the type parameters in params and result (see FillTypeParams).
  std::vector<std::string> type_params;
};

// Sets `o.type_params` from its params and result.
void FillTypeParams(OverloadDecl& o);

struct FunctionDecl {
  std::string name;  // "_+_", "startsWith", "math.greatest"
  std::vector<OverloadDecl> overloads;
};

// Parses "int, list(A) -> bool" (argument types, arrow, result type; the receiver first for a
// member overload). Single capital letters are type parameters.
StatusOr<OverloadDecl> ParseOverloadDecl(std::string id, bool member, std::string_view signature);

// The declaration of a built-in function (standard library or extension), or null.
const FunctionDecl* FindBuiltinFunctionDecl(std::string_view name);

// True for the operators and internal helpers the planner implements itself (logic, ternary,
// indexing, accumulator inserts): they are always available, whatever libraries were added.
bool IsCoreFunction(std::string_view name);

// One row of a declarations table: a signature in the text form ParseOverloadDecl reads.
struct DeclRow {
  std::string id;
  std::string name;
  bool member = false;
  std::string signature;
  bool variadic = false;  // see OverloadDecl::variadic
};

// The tables (checker_decls_std.cc, checker_decls_ext.cc), appended to `out`.
void AppendStandardDeclRows(std::vector<DeclRow>& out);
void AppendExtensionDeclRows(std::vector<DeclRow>& out);

}  // namespace cellar::cel
