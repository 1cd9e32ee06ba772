// src/cel/function_registry.h: the explicit table of functions a CEL environment may call.
// Built once (no static initialisers), then shared read-only by every program compiled from it.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "cel/value.h"

namespace cellar::cel {

// Matches any argument kind in an overload's signature.
inline constexpr Kind kAnyKind = static_cast<Kind>(255);

// Per-evaluation state a function may use: charging the cost budget for work it does.
class EvalContext {
 public:
  virtual ~EvalContext() = default;
  // Adds `units` to the evaluation's cost; returns false (and marks the evaluation as aborted)
  // when the budget is spent. Functions that build big values charge before building them.
  virtual bool Charge(int64_t units) = 0;
};

using FunctionImpl = std::function<Value(std::span<const Value> args, EvalContext& ctx)>;
// Direct entry points for hot built-ins: called with borrowed arguments, so evaluation neither
// copies the arguments into an array nor goes through std::function.
using UnaryFn = Value (*)(const Value& a, EvalContext& ctx);
using BinaryFn = Value (*)(const Value& a, const Value& b, EvalContext& ctx);

struct Overload {
  std::string name;             // "startsWith", "_+_", "math.greatest"
  bool receiver_style = false;  // target.name(args): args[0] is the target
  std::vector<Kind> arg_kinds;  // kAnyKind for dyn / type parameters
  FunctionImpl impl;
  // Non-strict functions see error and unknown arguments instead of having them propagate.
  bool non_strict = false;
  // Any-arity overloads (math.greatest(a, b, c, ...)): arg_kinds is ignored.
  bool variadic = false;
  // Optional: same behaviour as `impl`, for one- and two-argument overloads.
  UnaryFn unary = nullptr;
  BinaryFn binary = nullptr;
};

class FunctionRegistry {
 public:
  void Add(Overload overload);
  // Convenience for the common case.
  void Add(std::string name, bool receiver_style, std::vector<Kind> arg_kinds, FunctionImpl impl);
  // Overloads with a direct entry point (`impl` is derived from it).
  void Add(std::string name, bool receiver_style, Kind arg, UnaryFn fn);
  void Add(std::string name, bool receiver_style, Kind arg0, Kind arg1, BinaryFn fn);

  // All overloads named `name` with this call style and argument count (target included).
  std::vector<const Overload*> Find(std::string_view name, bool receiver_style,
                                    size_t arg_count) const;
  bool HasName(std::string_view name) const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // Shared so a copied registry (copy-on-write in Env) keeps the pointers plans hold valid.
  std::unordered_map<std::string, std::vector<std::shared_ptr<const Overload>>, Hash,
                     std::equal_to<>>
      by_name_;
};

}  // namespace cellar::cel
