// src/cel/cel.h: the CEL engine's public API. Build an Env once, Compile programs from it, and
// Evaluate a Program from any number of threads at once: a Program is immutable and evaluation
// takes no locks (all per-call state lives in the Activation and an optional Arena).
//
//   cel::Env env = cel::Env::Standard();
//   env.DeclareVariable("claims", "map(string, dyn)");
//   CELLAR_ASSIGN_OR_RETURN(auto program, cel::Compile("claims.email.endsWith('@x.org')", env));
//   cel::Activation vars;
//   vars.Bind("claims", claims_value);
//   CELLAR_ASSIGN_OR_RETURN(cel::Value result, program->Evaluate(vars));
//   if (result.is_error()) { ... result.error().message ... }
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/status_or.h"
#include "cel/checker_decls.h"
#include "cel/function_registry.h"
#include "cel/types.h"
#include "cel/value.h"

namespace cellar::cel {

// Resource limits. Compile-time limits reject a source; run-time limits stop an evaluation
// with ResourceExhausted / DeadlineExceeded. Defaults keep a hostile expression under roughly
// 100 ms and 64 MiB.
struct Limits {
  size_t max_source_bytes = 100 * 1024;
  int max_recursion_depth = 250;
  // One unit per comprehension iteration, per 64 bytes of new strings and bytes, and per
  // element of lists built by functions (2 M units is roughly 100 ms and 64 MiB at worst).
  int64_t cost_budget = 2'000'000;
  // Wall-clock limit per evaluation; zero disables it.
  std::chrono::nanoseconds timeout = std::chrono::milliseconds(100);
};

// Messages, enums and type names beyond the built-in ones (protobuf through reflection lives
// in an implementation of this interface, so libprotobuf stays out of this header).
class TypeProvider {
 public:
  virtual ~TypeProvider() = default;
  // True if `full_name` names a message type this provider can build.
  virtual bool HasMessageType(std::string_view full_name) const = 0;
  // The numeric value of an enum constant "pkg.Enum.VALUE", if it exists.
  virtual std::optional<int64_t> FindEnumConstant(std::string_view full_name) const = 0;
  // The value of `number` in enum `enum_type`: a plain int (cel-go's legacy enums) unless the
  // provider gives enums their own type (Value::Enum).
  virtual Value EnumValue(std::string_view enum_type, int64_t number) const {
    (void)enum_type;
    return Value::Int(number);
  }
  // True if `full_name` names an enum type (its name converts ints and names: Enum(2)).
  virtual bool HasEnumType(std::string_view full_name) const {
    (void)full_name;
    return false;
  }
  // Builds a message from field initialisers; an error value on a bad field or value.
  virtual Value NewMessage(std::string_view full_name,
                           std::span<const std::pair<std::string, Value>> fields) const = 0;
  // For the checker: the type of field `field` (or extension, by full name) of `message`, or
  // nullopt if it has no such field. Message-typed fields use the message's full name. A
  // provider without schema information keeps this default (every field is dyn).
  virtual std::optional<Type> FindFieldType(std::string_view message,
                                            std::string_view field) const {
    (void)message;
    (void)field;
    return Type::Dyn();
  }
};

class Env {
 public:
  // No functions at all: add what the place needs.
  Env();
  // The standard library plus the strings, math, encoders, lists, sets, optionals and
  // bindings extensions.
  static Env Standard();

  void AddStandardLibrary();
  void AddStringsExtension();
  void AddMathExtension();
  void AddEncodersExtension();
  void AddListsExtension();
  void AddSetsExtension();
  void AddOptionalsExtension();

  // Declares a variable; compiling a program that names an undeclared variable still works
  // (the name resolves at run time) unless `strict_declarations` is set.
  Status DeclareVariable(std::string name, std::string_view type_text);
  void DeclareVariable(std::string name, Type type);
  const std::unordered_map<std::string, Type>& variables() const { return variables_; }

  // Namespace for name resolution: with "a.b", `x` is looked up as a.b.x, a.x, then x.
  void set_container(std::string container) { container_ = std::move(container); }
  const std::string& container() const { return container_; }

  void set_strict_declarations(bool strict) { strict_declarations_ = strict; }
  bool strict_declarations() const { return strict_declarations_; }

  // Declares a function's signatures for the type checker (the implementation is added with
  // AddFunction). Built-in functions are declared already; a function added with AddFunction
  // but never declared is checked from its argument kinds, with a dyn result.
  void DeclareFunction(FunctionDecl decl);
  const std::vector<FunctionDecl>& function_decls() const { return function_decls_; }

  // When Compile type-checks (and so rejects type errors before anything runs):
  // kWhenDeclared checks as soon as a variable or function is declared.
  enum class TypeCheck : uint8_t { kWhenDeclared, kAlways, kNever };
  void set_type_check(TypeCheck mode) { type_check_ = mode; }
  TypeCheck type_check() const { return type_check_; }
  bool ShouldTypeCheck() const;

  // Adds a function overload (the registry is copied on write, so Envs copied earlier are not
  // affected).
  void AddFunction(Overload overload);
  const FunctionRegistry& functions() const { return *functions_; }
  std::shared_ptr<const FunctionRegistry> shared_functions() const { return functions_; }

  void set_type_provider(std::shared_ptr<const TypeProvider> provider) {
    type_provider_ = std::move(provider);
  }
  const TypeProvider* type_provider() const { return type_provider_.get(); }
  std::shared_ptr<const TypeProvider> shared_type_provider() const { return type_provider_; }

  Limits& limits() { return limits_; }
  const Limits& limits() const { return limits_; }

  bool enable_macros = true;

 private:
  FunctionRegistry& MutableFunctions();

  std::shared_ptr<FunctionRegistry> functions_;
  std::unordered_map<std::string, Type> variables_;
  std::vector<FunctionDecl> function_decls_;
  TypeCheck type_check_ = TypeCheck::kWhenDeclared;
  std::string container_;
  bool strict_declarations_ = false;
  std::shared_ptr<const TypeProvider> type_provider_;
  Limits limits_;
};

// Variables for one evaluation. Not shared between threads while being filled; read-only
// during Evaluate.
class Activation {
 public:
  void Bind(std::string name, Value value);
  const Value* Find(std::string_view name) const;
  // Same, with `hash` = MapRep::HashText(name) (programs compute it once, at compile time).
  const Value* Find(std::string_view name, uint64_t hash) const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  // A handful of variables is the common case: a linear scan beats hashing the name. Larger
  // activations also get an index (name -> position in vars_).
  static constexpr size_t kIndexThreshold = 8;
  struct Var {
    std::string name;
    uint64_t hash;
    Value value;
  };
  std::vector<Var> vars_;
  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> index_;
};

// Scratch memory reused across evaluations on one thread (optional; Evaluate makes its own).
class Arena {
 public:
  Arena();
  ~Arena();
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

 private:
  friend class Program;
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

class Program {
 public:
  ~Program();

  // The result value; it may be an error value (a CEL run-time error such as division by zero
  // or a missing key: check value.is_error()). The Status is not OK only when a limit stopped
  // the evaluation (ResourceExhausted for the cost budget, DeadlineExceeded for the timeout).
  // Thread-safe: many threads may evaluate one Program at once.
  StatusOr<Value> Evaluate(const Activation& vars) const;
  StatusOr<Value> Evaluate(Arena& arena, const Activation& vars) const;

  const std::string& source() const;
  // The checked result type when Compile type-checked, else as far as the checker can tell
  // without rejecting anything ("dyn" where it cannot).
  const Type& result_type() const;

  struct Impl;
  explicit Program(std::unique_ptr<Impl> impl);

 private:
  std::unique_ptr<Impl> impl_;
};

// Parses, type-checks (see Env::TypeCheck), resolves and plans `source`. InvalidArgument with
// "ERROR: <input>:LINE:COL: ..." and a caret line for syntax and type errors and (with strict
// declarations) unknown names.
StatusOr<std::shared_ptr<const Program>> Compile(std::string_view source, const Env& env);

}  // namespace cellar::cel
