// src/cel/checker_types.h: the type algebra of the checker: assignability with type-parameter
// substitutions (unification), the most general of two unifiable types, substitution, and the
// mapping of protobuf well-known message names to CEL types.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cel/types.h"

namespace cellar::cel {

// Type parameter -> the type it stands for. The checker's own type variables ("_var<N>") are
// indexed by number, so binding and lookup stay constant-time however long the expression;
// other parameter names (from declarations) go in a short list. Trial unifications are undone
// with Mark/Rollback instead of copying.
class TypeSubstitution {
 public:
  const Type* Find(const Type& param) const;
  void Add(const Type& param, Type t);

  size_t Mark() const { return undo_.size(); }
  // Undoes every Add since `mark`.
  void Rollback(size_t mark);

 private:
  struct Undo {
    bool numbered;
    size_t index;
    std::optional<Type> previous;  // nullopt: there was no binding
  };
  // The slot for `param`, or null if it has none yet (and `create` is false).
  std::optional<Type>* Slot(const Type& param, bool create, bool* numbered, size_t* index);

  std::vector<std::optional<Type>> numbered_;
  std::vector<std::pair<std::string, std::optional<Type>>> named_;
  std::vector<Undo> undo_;
};

// True if `arg` can never be assigned to `param`, judged from their outer kinds alone (cheap:
// lets overload resolution skip a candidate without instantiating it).
bool QuickReject(const Type& arg, const Type& param);

// google.protobuf.Int64Value -> wrapper(int), google.protobuf.Struct -> map(string, dyn),
// google.protobuf.Value -> dyn, ... applied throughout `t`; list, map, optional and wrapper
// types missing their parameters get dyn ones.
Type NormalizeWellKnown(const Type& t);

// dyn and google.protobuf.Any accept anything.
bool IsDynType(const Type& t);

// Whether a value of type t1 may be used where t2 is expected (the relation is symmetric for
// everything but type parameters). Binds or widens type parameters in `subs`; on failure
// `subs` may hold partial bindings, so callers roll back (see IsAssignableCommit).
bool IsAssignable(TypeSubstitution& subs, const Type& t1, const Type& t2);

// IsAssignable that keeps the new bindings only when it succeeds.
bool IsAssignableCommit(TypeSubstitution& subs, const Type& t1, const Type& t2);

// The more general of two types known to unify: dyn and type parameters over anything, a
// wrapper over its primitive, a nullable type over null.
Type MostGeneral(const Type& t1, const Type& t2);

// True if a type parameter occurs in `t`.
bool HasTypeParams(const Type& t);

// Replaces bound type parameters (transitively); unbound ones become dyn if `free_to_dyn`.
Type Substitute(const TypeSubstitution& subs, const Type& t, bool free_to_dyn);

}  // namespace cellar::cel
