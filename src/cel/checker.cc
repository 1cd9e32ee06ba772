// src/cel/checker.cc: the type checker's walk over the expression tree (after cel-go's
// checker/checker.go): identifiers and qualified names through the container, field selection,
// overload resolution with fresh type variables per overload, aggregate literals, message
// construction and comprehensions.
#include "cel/checker.h"

#include <algorithm>
#include <deque>

#include "base/status_macros.h"
#include "cel/checker_decls.h"
#include "cel/checker_types.h"
#include "cel/names.h"
#include "cel/parser.h"

namespace cellar::cel {
namespace {

bool IsBuiltinTypeIdent(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "bool", "bytes", "double", "dyn", "int", "list", "map", "null_type", "string", "type",
      "uint", "optional_type", "google.protobuf.Any", "google.protobuf.Duration",
      "google.protobuf.Timestamp",
  };
  for (std::string_view n : kNames) {
    if (n == name) {
      return true;
    }
  }
  return false;
}

// The checker's type for a value kind in a registry signature (functions added without a
// declaration).
Type KindToType(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return Type::Of(TypeKind::kNull);
    case Kind::kBool:
      return Type::Of(TypeKind::kBool);
    case Kind::kInt:
      return Type::Of(TypeKind::kInt);
    case Kind::kUint:
      return Type::Of(TypeKind::kUint);
    case Kind::kDouble:
      return Type::Of(TypeKind::kDouble);
    case Kind::kString:
      return Type::Of(TypeKind::kString);
    case Kind::kBytes:
      return Type::Of(TypeKind::kBytes);
    case Kind::kList:
      return Type::List(Type::Dyn());
    case Kind::kMap:
      return Type::Map(Type::Dyn(), Type::Dyn());
    case Kind::kType:
      return Type::Of(TypeKind::kType);
    case Kind::kTimestamp:
      return Type::Of(TypeKind::kTimestamp);
    case Kind::kDuration:
      return Type::Of(TypeKind::kDuration);
    case Kind::kOptional:
      return Type::Optional(Type::Dyn());
    default:
      return Type::Dyn();
  }
}

std::optional<Type> LiteralType(const Value& v) {
  switch (v.kind()) {
    case Kind::kNull:
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kUint:
    case Kind::kDouble:
    case Kind::kString:
    case Kind::kBytes:
      return KindToType(v.kind());
    default:
      return std::nullopt;
  }
}

std::string FormatType(const Type& t) { return t.ToString(); }

// "(int, string)" or, for a member call, "string.(int)".
std::string FormatArgs(const std::vector<Type>& args, bool member) {
  std::string out;
  size_t first = 0;
  if (member && !args.empty()) {
    out = FormatType(args[0]) + ".";
    first = 1;
  }
  out += "(";
  for (size_t i = first; i < args.size(); ++i) {
    out += (i > first ? ", " : "") + FormatType(args[i]);
  }
  return out + ")";
}

std::string JoinParts(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) {
    out += (out.empty() ? "" : ".") + p;
  }
  return out;
}

class Checker {
 public:
  Checker(const Source& source, const Env& env) : source_(source), env_(env) {}

  CheckedExpr Run(const Expr& root) {
    Check(root);
    for (Type& t : out_.types) {
      if (HasTypeParams(t)) {
        t = Substitute(subs_, t, /*free_to_dyn=*/true);
      }
    }
    out_.result_type = GetType(root);
    return std::move(out_);
  }

 private:
  struct Ident {
    std::string name;
    Type type;
    std::optional<int64_t> enum_value;
  };

  struct Candidates {
    std::string name;
    std::vector<const OverloadDecl*> overloads;
    bool enum_conversion = false;  // `name` is an enum type, called to convert
  };

  void Error(const Expr& e, const std::string& message) {
    // The first few errors are what a reader can act on; a cascade adds nothing.
    if (out_.errors.size() < 16) {
      out_.errors.push_back(source_.FormatError(e.offset, message));
    }
  }

  // Ids are small and dense (1..n), so types live in a vector indexed by id. A reference from
  // GetType lasts until the next SetType.
  void SetType(const Expr& e, Type t) {
    size_t id = static_cast<size_t>(e.id);
    if (id >= out_.types.size()) {
      out_.types.resize(std::max<size_t>(id + 1, out_.types.size() * 2));
    }
    out_.types[id] = std::move(t);
  }
  const Type& GetType(const Expr& e) {
    static const Type kDyn;
    size_t id = static_cast<size_t>(e.id);
    return id < out_.types.size() ? out_.types[id] : kDyn;
  }

  bool Strict() const { return env_.strict_declarations(); }

  std::string UndeclaredMessage(const std::string& name) const {
    return "undeclared reference to '" + name + "' (in container '" + env_.container() + "')";
  }

  std::vector<std::string> ContainerCandidates(const std::string& name) const {
    return cel::ContainerCandidates(env_.container(), name);
  }

  const Type* FindLocal(const std::string& name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->first == name) {
        return &it->second;
      }
    }
    return nullptr;
  }

  std::optional<Ident> LookupIdent(const std::string& name) const {
    const TypeProvider* provider = env_.type_provider();
    for (const std::string& c : ContainerCandidates(name)) {
      auto var = env_.variables().find(c);
      if (var != env_.variables().end()) {
        return Ident{c, NormalizeWellKnown(var->second), std::nullopt};
      }
      if (IsBuiltinTypeIdent(c)) {
        auto parsed = ParseType(c == "list" ? "list(dyn)" : c == "map" ? "map(dyn, dyn)" : c);
        return Ident{c, Type::TypeOf(parsed.ok() ? *parsed : Type::Dyn()), std::nullopt};
      }
      if (provider == nullptr) {
        continue;
      }
      if (provider->HasMessageType(c)) {
        return Ident{c, Type::TypeOf(NormalizeWellKnown(Type::Message(c))), std::nullopt};
      }
      if (auto value = provider->FindEnumConstant(c)) {
        return Ident{c, Type::Of(TypeKind::kInt), *value};
      }
    }
    return std::nullopt;
  }

  // Every overload of `name` callable in this environment: declared ones, the built-in
  // declarations of registered functions, and registered functions without a declaration
  // (typed from their argument kinds, for this call's shape).
  std::optional<Candidates> LookupFunction(const std::string& name, bool member,
                                           size_t argc) {
    std::vector<std::string> names;
    if (!member && (!env_.container().empty() || (!name.empty() && name[0] == '.'))) {
      names = ContainerCandidates(name);
    } else {
      names.push_back(name);
    }
    for (const std::string& n : names) {
      Candidates out{n, {}};
      for (const FunctionDecl& d : env_.function_decls()) {
        if (d.name == n) {
          for (const OverloadDecl& o : d.overloads) {
            out.overloads.push_back(&o);
          }
        }
      }
      bool registered = env_.functions().HasName(n);
      const FunctionDecl* builtin = FindBuiltinFunctionDecl(n);
      if (builtin != nullptr && (registered || IsCoreFunction(n))) {
        for (const OverloadDecl& o : builtin->overloads) {
          out.overloads.push_back(&o);
        }
      } else if (registered && out.overloads.empty()) {
        // Registered but never declared.
        for (const Overload* o : env_.functions().Find(n, member, argc)) {
          OverloadDecl d;
          d.id = n;
          d.member = member;
          for (size_t i = 0; i < argc; ++i) {
            d.params.push_back(o->variadic || i >= o->arg_kinds.size()
                                   ? Type::Dyn()
                                   : KindToType(o->arg_kinds[i]));
          }
          synthesized_.push_back(std::move(d));
          out.overloads.push_back(&synthesized_.back());
        }
        if (out.overloads.empty()) {
          // Registered with another arity or style: report no matching overload.
          return out;
        }
      }
      if (!out.overloads.empty()) {
        return out;
      }
      const TypeProvider* provider = env_.type_provider();
      if (!member && provider != nullptr && provider->HasEnumType(n)) {
        // Enums are ints (cel-go's legacy mode): Enum(int) checks the range, Enum(string)
        // looks the name up.
        static const auto* kConversions = new std::vector<OverloadDecl>{
            *ParseOverloadDecl("int_to_enum", false, "int -> int"),
            *ParseOverloadDecl("string_to_enum", false, "string -> int"),
        };
        for (const OverloadDecl& o : *kConversions) {
          out.overloads.push_back(&o);
        }
        out.enum_conversion = true;
        return out;
      }
    }
    return std::nullopt;
  }

  void Check(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kConst: {
        auto t = LiteralType(e.constant);
        if (!t) {
          Error(e, "unexpected literal type");
        }
        SetType(e, t ? *t : Type::Of(TypeKind::kError));
        return;
      }
      case ExprKind::kIdent:
        return CheckIdent(e);
      case ExprKind::kSelect:
        return CheckSelect(e);
      case ExprKind::kCall:
        return CheckCall(e);
      case ExprKind::kList:
        return CheckList(e);
      case ExprKind::kMap:
        return CheckMap(e);
      case ExprKind::kStruct:
        return CheckStruct(e);
      case ExprKind::kComprehension:
        return CheckComprehension(e);
    }
  }

  void CheckIdent(const Expr& e) {
    if (const Type* local = FindLocal(e.name)) {
      SetType(e, *local);
      return;
    }
    if (auto ident = LookupIdent(e.name)) {
      SetType(e, ident->type);
      out_.references[e.id] = Reference{ident->name, {}, ident->enum_value};
      return;
    }
    if (Strict()) {
      Error(e, UndeclaredMessage(e.name));
      SetType(e, Type::Of(TypeKind::kError));
    } else {
      SetType(e, Type::Dyn());
    }
  }

  void CheckSelect(const Expr& e) {
    std::vector<std::string> parts;
    if (!e.test_only && QualifiedNameParts(e, &parts) && FindLocal(parts[0]) == nullptr) {
      if (auto ident = LookupIdent(JoinParts(parts))) {
        SetType(e, ident->type);
        out_.references[e.id] = Reference{ident->name, {}, ident->enum_value};
        return;
      }
    }
    Type result = CheckSelectField(e, *e.target, e.name, false);
    if (e.test_only) {
      result = Type::Of(TypeKind::kBool);
    }
    SetType(e, Substitute(subs_, result, false));
  }

  Type CheckSelectField(const Expr& e, const Expr& operand, const std::string& field,
                        bool optional) {
    Check(operand);
    Type operand_type = Substitute(subs_, GetType(operand), false);
    bool was_optional = operand_type.kind == TypeKind::kOptional;
    Type target = was_optional ? operand_type.params[0] : operand_type;
    Type result = Type::Of(TypeKind::kError);
    switch (target.kind) {
      case TypeKind::kMap:
        result = target.params[1];
        break;
      case TypeKind::kMessage:
        if (auto ft = FieldType(e, target.name, field)) {
          result = *ft;
        }
        break;
      case TypeKind::kTypeParam:
        // Pin the parameter to dyn so nothing later assigns it a conflicting type.
        IsAssignableCommit(subs_, Type::Dyn(), target);
        result = Type::Dyn();
        break;
      default:
        if (!IsDynType(target) && target.kind != TypeKind::kError) {
          Error(e, "type '" + FormatType(target) + "' does not support field selection");
        }
        result = Type::Dyn();
        break;
    }
    if (was_optional || optional) {
      return Type::Optional(std::move(result));
    }
    return result;
  }

  std::optional<Type> FieldType(const Expr& e, const std::string& message,
                                const std::string& field) {
    const TypeProvider* provider = env_.type_provider();
    if (provider == nullptr) {
      return Type::Dyn();
    }
    auto t = provider->FindFieldType(message, field);
    if (!t) {
      Error(e, "undefined field '" + field + "'");
      return std::nullopt;
    }
    return NormalizeWellKnown(*t);
  }

  void CheckOptSelect(const Expr& e) {
    const Expr& field = *e.args[1];
    if (field.kind != ExprKind::kConst || field.constant.kind() != Kind::kString) {
      Error(field, "unsupported optional field selection");
      SetType(e, Type::Of(TypeKind::kError));
      return;
    }
    Type result = CheckSelectField(e, *e.args[0], field.constant.string_value(), true);
    SetType(e, Substitute(subs_, result, false));
    out_.references[e.id] = Reference{"_?._", {"select_optional_field"}, std::nullopt};
  }

  void CheckCall(const Expr& e) {
    const std::string& fn = e.name;
    if (e.target == nullptr && fn == "_?._" && e.args.size() == 2) {
      return CheckOptSelect(e);
    }
    std::vector<std::string> parts;
    if (e.target != nullptr && fn == "block" && e.args.size() == 2 &&
        e.target->kind == ExprKind::kIdent && e.target->name == "cel") {
      return CheckBlock(e);
    }
    for (const auto& a : e.args) {
      Check(*a);
    }
    if (e.target == nullptr) {
      std::string name = fn;
      auto candidates = LookupFunction(name, false, e.args.size());
      if (!candidates) {
        return Undeclared(e, name);
      }
      return ResolveOverload(e, *candidates, nullptr, name);
    }
    // a.b.f(): either the namespaced function a.b.f or f with receiver a.b (always the latter
    // when `a` is a variable, as the planner decides).
    if (QualifiedNameParts(*e.target, &parts) && FindLocal(parts[0]) == nullptr &&
        env_.variables().count(parts[0]) == 0) {
      std::string qualified = JoinParts(parts) + "." + fn;
      if (auto candidates = LookupFunction(qualified, false, e.args.size())) {
        return ResolveOverload(e, *candidates, nullptr, qualified);
      }
    }
    Check(*e.target);
    auto candidates = LookupFunction(fn, true, e.args.size() + 1);
    if (!candidates) {
      return Undeclared(e, fn);
    }
    ResolveOverload(e, *candidates, e.target.get(), fn);
  }

  void Undeclared(const Expr& e, const std::string& name) {
    if (Strict()) {
      Error(e, UndeclaredMessage(name));
      SetType(e, Type::Of(TypeKind::kError));
    } else {
      SetType(e, Type::Dyn());
    }
  }

  // cel.block([b0, b1, ...], result): cel.index(i) (the identifier @index<i>) is b<i>.
  void CheckBlock(const Expr& e) {
    const Expr& list = *e.args[0];
    if (list.kind != ExprKind::kList) {
      Error(e, "cel.block requires a list literal of bindings");
      SetType(e, Type::Of(TypeKind::kError));
      return;
    }
    size_t depth = scopes_.size();
    for (size_t i = 0; i < list.args.size(); ++i) {
      Check(*list.args[i]);
      scopes_.emplace_back("@index" + std::to_string(i), GetType(*list.args[i]));
    }
    SetType(list, Type::List(Type::Dyn()));
    Check(*e.args[1]);
    scopes_.resize(depth);
    SetType(e, GetType(*e.args[1]));
  }

  // A fresh copy of the overload's signature (params then result) with its type parameters
  // renamed to new type variables, so two calls of one function do not share bindings.
  std::vector<Type> Instantiate(const OverloadDecl& o) {
    int base = next_type_var_;
    next_type_var_ += static_cast<int>(o.type_params.size());
    std::vector<Type> sig;
    sig.reserve(o.params.size() + 1);
    for (const Type& p : o.params) {
      sig.push_back(Rename(p, o.type_params, base));
    }
    sig.push_back(Rename(o.result, o.type_params, base));
    return sig;
  }

  // `t` with type parameter names[k] renamed to the type variable number base + k.
  static Type Rename(const Type& t, const std::vector<std::string>& names, int base) {
    if (t.kind == TypeKind::kTypeParam) {
      for (size_t k = 0; k < names.size(); ++k) {
        if (names[k] == t.name) {
          return Type::Param("_var" + std::to_string(base + static_cast<int>(k)));
        }
      }
      return t;
    }
    if (t.params.empty()) {
      return t;
    }
    Type out;
    out.kind = t.kind;
    out.name = t.name;
    out.params.reserve(t.params.size());
    for (const Type& p : t.params) {
      out.params.push_back(Rename(p, names, base));
    }
    return out;
  }

  Type NewTypeVar() { return Type::Param("_var" + std::to_string(next_type_var_++)); }

  // `spelled` is the function name as the call writes it (before container resolution).
  void ResolveOverload(const Expr& e, const Candidates& fn, const Expr* target,
                       const std::string& spelled) {
    if (fn.enum_conversion) {
      out_.enum_conversions.emplace_back(spelled, fn.name);
    }
    std::vector<Type> arg_types;
    if (target != nullptr) {
      arg_types.push_back(GetType(*target));
    }
    for (const auto& a : e.args) {
      arg_types.push_back(GetType(*a));
    }
    bool variadic_call = false;
    if (target == nullptr && arg_types.size() >= 3) {
      for (const OverloadDecl* o : fn.overloads) {
        variadic_call = variadic_call || o->variadic;
      }
    }
    if (variadic_call) {
      // math.greatest(a, b, c) is typed as math.greatest([a, b, c]).
      std::optional<Type> joined;
      for (const Type& t : arg_types) {
        joined = JoinTypes(joined, t);
      }
      arg_types = {Type::List(*joined)};
    }
    std::optional<Type> result;
    Reference ref{fn.name, {}, std::nullopt};
    for (const OverloadDecl* o : fn.overloads) {
      if (o->member != (target != nullptr) || (variadic_call && !o->variadic) ||
          o->params.size() != arg_types.size()) {
        continue;
      }
      bool rejected = false;
      for (size_t i = 0; i < arg_types.size() && !rejected; ++i) {
        rejected = QuickReject(arg_types[i], o->params[i]);
      }
      if (rejected) {
        continue;
      }
      // Generic overloads get fresh type variables; the others are matched as declared.
      bool generic = !o->type_params.empty();
      std::vector<Type> fresh = generic ? Instantiate(*o) : std::vector<Type>{};
      const std::vector<Type>& params = generic ? fresh : o->params;
      size_t mark = subs_.Mark();
      bool ok = true;
      for (size_t i = 0; i < arg_types.size() && ok; ++i) {
        ok = IsAssignable(subs_, arg_types[i], params[i]);
      }
      if (!ok) {
        subs_.Rollback(mark);
        continue;
      }
      ref.overload_ids.push_back(o->id);
      Type fn_result = generic ? Substitute(subs_, fresh.back(), false) : o->result;
      if (!result) {
        result = std::move(fn_result);
      } else if (!IsDynType(*result) && !(fn_result == *result)) {
        result = Type::Dyn();
      }
    }
    if (!result) {
      for (Type& t : arg_types) {
        t = Substitute(subs_, t, true);
      }
      Error(e, "found no matching overload for '" + fn.name + "' applied to '" +
                   FormatArgs(arg_types, target != nullptr) + "'");
      SetType(e, Type::Of(TypeKind::kError));
      return;
    }
    SetType(e, std::move(*result));
    out_.references[e.id] = std::move(ref);
  }

  // The element type of an aggregate literal so far: the most general of the two if they
  // unify, else dyn (aggregate literals may mix types).
  Type JoinTypes(const std::optional<Type>& previous, const Type& current) {
    if (!previous) {
      return current;
    }
    if (IsAssignableCommit(subs_, *previous, current)) {
      return MostGeneral(*previous, current);
    }
    return Type::Dyn();
  }

  // `?e` entries hold an optional whose value is the element.
  Type UnwrapOptionalEntry(const Expr& value) {
    const Type& t = GetType(value);
    if (t.kind == TypeKind::kOptional) {
      return t.params[0];
    }
    if (!IsDynType(t)) {
      Error(value, "expected type '" + FormatType(Type::Optional(t)) + "' but found '" +
                       FormatType(t) + "'");
    }
    return t;
  }

  void CheckList(const Expr& e) {
    std::vector<bool> optional(e.args.size(), false);
    for (int32_t i : e.optional_indices) {
      optional[i] = true;
    }
    std::optional<Type> elem;
    for (size_t i = 0; i < e.args.size(); ++i) {
      Check(*e.args[i]);
      Type t = optional[i] ? UnwrapOptionalEntry(*e.args[i]) : GetType(*e.args[i]);
      elem = JoinTypes(elem, t);
    }
    SetType(e, Type::List(elem ? *elem : NewTypeVar()));
  }

  void CheckMap(const Expr& e) {
    std::optional<Type> key;
    std::optional<Type> value;
    for (const Entry& en : e.entries) {
      Check(*en.key);
      key = JoinTypes(key, GetType(*en.key));
      Check(*en.value);
      Type v = en.optional ? UnwrapOptionalEntry(*en.value) : GetType(*en.value);
      value = JoinTypes(value, v);
    }
    if (!key) {
      key = NewTypeVar();
      value = NewTypeVar();
    }
    SetType(e, Type::Map(*key, *value));
  }

  void CheckStruct(const Expr& e) {
    auto ident = LookupIdent(e.name);
    Type result = Type::Of(TypeKind::kError);
    std::string message;
    if (!ident) {
      Error(e, UndeclaredMessage(e.name));
    } else if (ident->type.kind != TypeKind::kType || ident->type.params.empty()) {
      Error(e, "'" + ident->name + "' is not a type");
    } else {
      message = ident->name;
      result = ident->type.params[0];
      if (result.kind == TypeKind::kMessage) {
        message = result.name;
      } else if (!env_.type_provider() || !env_.type_provider()->HasMessageType(message)) {
        // int{}, list{}: a type, but not a message type.
        Error(e, "'" + ident->name + "' is not a message type");
        result = Type::Of(TypeKind::kError);
        message.clear();
      }
      out_.references[e.id] = Reference{ident->name, {}, std::nullopt};
    }
    SetType(e, result);
    for (const Entry& en : e.entries) {
      Check(*en.value);
      if (message.empty()) {
        continue;
      }
      std::optional<Type> field = FieldType(*en.value, message, en.field);
      if (!field) {
        continue;
      }
      Type value = en.optional ? UnwrapOptionalEntry(*en.value) : GetType(*en.value);
      if (!IsAssignableCommit(subs_, *field, value)) {
        Error(*en.value, "expected type of field '" + en.field + "' is '" + FormatType(*field) +
                             "' but provided type is '" + FormatType(value) + "'");
      }
    }
  }

  void CheckComprehension(const Expr& e) {
    Check(*e.iter_range);
    Check(*e.accu_init);
    Type range = Substitute(subs_, GetType(*e.iter_range), false);
    Type accu = GetType(*e.accu_init);
    size_t depth = scopes_.size();
    scopes_.emplace_back(e.accu_var, accu);
    bool two = !e.iter_var2.empty();
    Type var = Type::Dyn();
    Type var2 = Type::Dyn();
    switch (range.kind) {
      case TypeKind::kList:
        var = two ? Type::Of(TypeKind::kInt) : range.params[0];
        var2 = range.params[0];
        break;
      case TypeKind::kMap:
        var = range.params[0];
        var2 = range.params[1];
        break;
      case TypeKind::kDyn:
      case TypeKind::kAny:
      case TypeKind::kError:
      case TypeKind::kTypeParam:
        IsAssignableCommit(subs_, Type::Dyn(), range);
        break;
      default:
        Error(*e.iter_range, "expression of type '" + FormatType(range) +
                                 "' cannot be range of a comprehension (must be list, map, or "
                                 "dynamic)");
        var = var2 = Type::Of(TypeKind::kError);
        break;
    }
    scopes_.emplace_back(e.iter_var, var);
    if (two) {
      scopes_.emplace_back(e.iter_var2, var2);
    }
    Check(*e.loop_condition);
    AssertType(*e.loop_condition, Type::Of(TypeKind::kBool));
    Check(*e.loop_step);
    AssertType(*e.loop_step, accu);
    scopes_.resize(depth + 1);
    Check(*e.result);
    scopes_.resize(depth);
    SetType(e, Substitute(subs_, GetType(*e.result), false));
  }

  void AssertType(const Expr& e, const Type& want) {
    Type got = GetType(e);
    if (!IsAssignableCommit(subs_, want, got)) {
      Error(e, "expected type '" + FormatType(Substitute(subs_, want, true)) + "' but found '" +
                   FormatType(Substitute(subs_, got, true)) + "'");
    }
  }

  const Source& source_;
  const Env& env_;
  CheckedExpr out_;
  TypeSubstitution subs_;
  std::vector<std::pair<std::string, Type>> scopes_;
  std::deque<OverloadDecl> synthesized_;
  int next_type_var_ = 0;
};

}  // namespace

Status CheckedExpr::status() const {
  if (errors.empty()) {
    return OkStatus();
  }
  std::string message;
  for (const std::string& e : errors) {
    message += (message.empty() ? "" : "\n") + e;
  }
  return InvalidArgumentError(message);
}

CheckedExpr CheckParsed(const Expr& root, const Source& source, const Env& env) {
  return Checker(source, env).Run(root);
}

ParseOptions ParseOptionsFor(const Env& env) {
  ParseOptions options;
  options.max_source_bytes = env.limits().max_source_bytes;
  options.max_recursion_depth = env.limits().max_recursion_depth;
  options.enable_macros = env.enable_macros;
  return options;
}

StatusOr<CheckedExpr> Check(std::string_view source, const Env& env) {
  CELLAR_ASSIGN_OR_RETURN(ParsedExpr parsed, Parse(source, ParseOptionsFor(env)));
  CheckedExpr checked = CheckParsed(*parsed.root, *parsed.source, env);
  CELLAR_RETURN_IF_ERROR(checked.status());
  return checked;
}

// Env's declaration methods live beside the checker that reads them.
void Env::DeclareFunction(FunctionDecl decl) {
  for (OverloadDecl& o : decl.overloads) {
    for (Type& p : o.params) {
      p = NormalizeWellKnown(p);
    }
    o.result = NormalizeWellKnown(o.result);
    FillTypeParams(o);
  }
  function_decls_.push_back(std::move(decl));
}

bool Env::ShouldTypeCheck() const {
  switch (type_check_) {
    case TypeCheck::kAlways:
      return true;
    case TypeCheck::kNever:
      return false;
    case TypeCheck::kWhenDeclared:
      return !variables_.empty() || !function_decls_.empty();
  }
  return false;
}

}  // namespace cellar::cel
