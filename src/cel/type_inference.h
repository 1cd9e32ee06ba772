// src/cel/type_inference.h: a light result-type inference over the parsed tree (the full
// checker with overload resolution is still to come): literals, declared variables, operators,
// conversions and the standard macros; anything else is dyn.
#pragma once

#include "cel/ast.h"
#include "cel/cel.h"
#include "cel/types.h"

namespace cellar::cel {

Type InferType(const Expr& expr, const Env& env);

}  // namespace cellar::cel
