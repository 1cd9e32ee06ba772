// src/profiles/lower.h: lowers HCL native expressions to CEL source, collecting the references.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cel/cel.h"
#include "hcl/ast.h"
#include "hcl/diagnostic.h"

namespace cellar::profiles {

// A root reference found in an expression: input.data.<field>, request.<name>, each.<key|value>.
struct Reference {
  enum class Kind { kInput, kRequest, kEach };
  Kind kind = Kind::kInput;
  std::string name;  // the input field, request name, or "key"/"value"; "" for input.data itself
  hcl::Range range;
  // kRequest: the attributes selected after request.<name>, as far as the chain is only
  // attributes (request.a.data.x → {"data", "x"}); empty when request.<name> is used as a whole.
  std::vector<std::string> fields;
};

struct LoweredExpr {
  std::string cel;  // CEL source; evaluate with variables `input`, `request`, `each`
  std::vector<Reference> refs;
};

// Translates `expr` into CEL. Attribute and index accesses become calls to helpers that fail
// with the reference's spelling ("missing field \"x\" in request.a.data.x") instead of a bare
// "no such key". Appends a positioned diagnostic for each construct that has no CEL meaning
// (unknown variable or function, `%{for}` templates) and then returns nullopt.
std::optional<LoweredExpr> Lower(const hcl::Expr& expr, hcl::Diagnostics& diags);

// The CEL environment profile expressions compile against: the standard library, every
// extension, and the profile helpers. Built once; thread-safe.
const cel::Env& ProfileEnv();

}  // namespace cellar::profiles
