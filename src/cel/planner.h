// src/cel/planner.h: turns a parsed expression into an evaluation plan, resolving names,
// overloads and type constants once so evaluation does no string lookups of functions.
#pragma once

#include <string>
#include <vector>

#include "base/status_or.h"
#include "cel/ast.h"
#include "cel/cel.h"
#include "cel/eval_nodes.h"
#include "cel/source.h"

namespace cellar::cel {

struct Plan {
  NodePtr root;
  std::vector<std::string> var_names;  // index = NameCandidate::var_index
  int num_slots = 0;
};

StatusOr<Plan> BuildPlan(const Expr& root, const Source& source, const Env& env);

}  // namespace cellar::cel
