// src/cel/names.cc: container candidates and dotted names.
#include "cel/names.h"

namespace cellar::cel {

std::vector<std::string> ContainerCandidates(const std::string& container,
                                             const std::string& name) {
  if (!name.empty() && name[0] == '.') {
    return {name.substr(1)};
  }
  std::vector<std::string> out;
  std::string prefix = container;
  while (!prefix.empty()) {
    out.push_back(prefix + "." + name);
    size_t dot = prefix.rfind('.');
    prefix = dot == std::string::npos ? "" : prefix.substr(0, dot);
  }
  out.push_back(name);
  return out;
}

bool QualifiedNameParts(const Expr& e, std::vector<std::string>* parts) {
  if (e.kind == ExprKind::kIdent) {
    parts->push_back(e.name);
    return true;
  }
  if (e.kind == ExprKind::kSelect && !e.test_only && QualifiedNameParts(*e.target, parts)) {
    parts->push_back(e.name);
    return true;
  }
  return false;
}

}  // namespace cellar::cel
