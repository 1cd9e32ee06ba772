// src/cel/names.h: name resolution shared by the checker and the planner: the candidate full
// names of a name in a container, and dotted names written as select chains.
#pragma once

#include <string>
#include <vector>

#include "cel/ast.h"

namespace cellar::cel {

// "a.b" in container "x.y" -> x.y.a.b, x.a.b, a.b; a leading dot means only "a.b".
std::vector<std::string> ContainerCandidates(const std::string& container,
                                             const std::string& name);

// Collects `a.b.c` into parts when the select chain (no has()) ends in an identifier.
bool QualifiedNameParts(const Expr& e, std::vector<std::string>* parts);

}  // namespace cellar::cel
