// src/cel/checker_types.h: the type algebra of the checker: assignability with type-parameter
// substitutions (unification), the most general of two unifiable types, substitution, and the
// mapping of protobuf well-known message names to CEL types.
#pragma once

#include <string>
#include <unordered_map>

#include "cel/types.h"

namespace cellar::cel {

// Type parameter name -> the type it stands for.
class TypeSubstitution {
 public:
  const Type* Find(const Type& param) const;
  void Add(const Type& param, Type t) { subs_[param.name] = std::move(t); }

 private:
  std::unordered_map<std::string, Type> subs_;
};

// google.protobuf.Int64Value -> wrapper(int), google.protobuf.Struct -> map(string, dyn),
// google.protobuf.Value -> dyn, ... applied throughout `t`.
Type NormalizeWellKnown(const Type& t);

// dyn and google.protobuf.Any accept anything.
bool IsDynType(const Type& t);

// Whether a value of type t1 may be used where t2 is expected (the relation is symmetric for
// everything but type parameters). Binds or widens type parameters in `subs`; on failure
// `subs` may hold partial bindings, so callers work on a copy (see IsAssignableCommit).
bool IsAssignable(TypeSubstitution& subs, const Type& t1, const Type& t2);

// IsAssignable that keeps the new bindings only when it succeeds.
bool IsAssignableCommit(TypeSubstitution& subs, const Type& t1, const Type& t2);

// The more general of two types known to unify: dyn and type parameters over anything, a
// wrapper over its primitive, a nullable type over null.
Type MostGeneral(const Type& t1, const Type& t2);

// Replaces bound type parameters (transitively); unbound ones become dyn if `free_to_dyn`.
Type Substitute(const TypeSubstitution& subs, const Type& t, bool free_to_dyn);

}  // namespace cellar::cel
