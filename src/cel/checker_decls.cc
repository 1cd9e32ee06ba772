// src/cel/checker_decls.cc: the signature mini-language of the declaration tables and the
// lookup of built-in declarations by function name.
#include "cel/checker_decls.h"

#include <algorithm>
#include <unordered_map>

#include "base/status_macros.h"

namespace cellar::cel {
namespace {

void CollectTypeParams(const Type& t, std::vector<std::string>& out) {
  if (t.kind == TypeKind::kTypeParam) {
    if (std::find(out.begin(), out.end(), t.name) == out.end()) {
      out.push_back(t.name);
    }
    return;
  }
  for (const Type& p : t.params) {
    CollectTypeParams(p, out);
  }
}

// Splits "list(A), map(K, V)" at the top-level commas.
std::vector<std::string_view> SplitTopLevel(std::string_view s) {
  std::vector<std::string_view> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '(') {
      ++depth;
    } else if (s[i] == ')') {
      --depth;
    } else if (s[i] == ',' && depth == 0) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c == ' '; });
}

struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};
using DeclMap = std::unordered_map<std::string, FunctionDecl, NameHash, std::equal_to<>>;

DeclMap BuildBuiltins() {
  std::vector<DeclRow> rows;
  AppendStandardDeclRows(rows);
  AppendExtensionDeclRows(rows);
  DeclMap out;
  for (DeclRow& row : rows) {
    // The tables are part of the source: a row that does not parse is a programming error
    // that checker_test catches, so it is skipped rather than aborting the server.
    auto overload = ParseOverloadDecl(row.id, row.member, row.signature);
    if (!overload.ok()) {
      continue;
    }
    overload->variadic = row.variadic;
    FunctionDecl& decl = out[row.name];
    decl.name = row.name;
    decl.overloads.push_back(std::move(*overload));
  }
  return out;
}

}  // namespace

void FillTypeParams(OverloadDecl& o) {
  o.type_params.clear();
  for (const Type& p : o.params) {
    CollectTypeParams(p, o.type_params);
  }
  CollectTypeParams(o.result, o.type_params);
}

StatusOr<OverloadDecl> ParseOverloadDecl(std::string id, bool member,
                                         std::string_view signature) {
  size_t arrow = signature.find("->");
  if (arrow == std::string_view::npos) {
    return InvalidArgumentError("signature without '->': " + std::string(signature));
  }
  OverloadDecl out;
  out.id = std::move(id);
  out.member = member;
  std::string_view args = signature.substr(0, arrow);
  if (!IsBlank(args)) {
    for (std::string_view a : SplitTopLevel(args)) {
      CELLAR_ASSIGN_OR_RETURN(Type t, ParseType(a));
      out.params.push_back(std::move(t));
    }
  }
  CELLAR_ASSIGN_OR_RETURN(out.result, ParseType(signature.substr(arrow + 2)));
  if (member && out.params.empty()) {
    return InvalidArgumentError("member overload without a receiver: " + out.id);
  }
  FillTypeParams(out);
  return out;
}

const FunctionDecl* FindBuiltinFunctionDecl(std::string_view name) {
  static const DeclMap* builtins = new DeclMap(BuildBuiltins());
  auto it = builtins->find(name);
  return it == builtins->end() ? nullptr : &it->second;
}

bool IsCoreFunction(std::string_view name) {
  static constexpr std::string_view kCore[] = {
      "_&&_", "_||_", "!_", "_?_:_", "@not_strictly_false", "_[_]", "_[?_]", "cel.@mapInsert",
  };
  return std::find(std::begin(kCore), std::end(kCore), name) != std::end(kCore);
}

}  // namespace cellar::cel
