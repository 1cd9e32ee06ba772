// src/cel/planner.cc: name resolution (containers, qualified names, comprehension scopes),
// overload selection by name/style/arity, constant folding and the in-place accumulator
// rewrites for map/filter.
#include "cel/planner.h"

#include <unordered_map>

namespace cellar::cel {
namespace {

bool IsBuiltinTypeName(std::string_view name) {
  static constexpr std::string_view kNames[] = {"int",
                                                "uint",
                                                "double",
                                                "bool",
                                                "string",
                                                "bytes",
                                                "list",
                                                "map",
                                                "null_type",
                                                "type",
                                                "optional_type",
                                                "google.protobuf.Timestamp",
                                                "google.protobuf.Duration"};
  for (std::string_view n : kNames) {
    if (n == name) {
      return true;
    }
  }
  return false;
}

class Planner {
 public:
  Planner(const Source& source, const Env& env) : source_(source), env_(env) {}

  StatusOr<Plan> Run(const Expr& root) {
    NodePtr node = PlanExpr(root);
    if (!error_.ok()) {
      return error_;
    }
    Plan plan;
    plan.root = std::move(node);
    plan.var_names = std::move(var_names_);
    plan.num_slots = num_slots_;
    return plan;
  }

 private:
  struct Scope {
    std::string name;
    int slot;
    bool accumulator;
  };

  void Fail(const Expr& e, const std::string& message) {
    if (error_.ok()) {
      error_ = InvalidArgumentError(source_.FormatError(e.offset, message));
    }
  }

  const Scope* FindScope(const std::string& name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (it->name == name) {
        return &*it;
      }
    }
    return nullptr;
  }

  int VarIndex(const std::string& name) {
    auto [it, inserted] = var_index_.emplace(name, static_cast<int>(var_names_.size()));
    if (inserted) {
      var_names_.push_back(name);
    }
    return it->second;
  }

  // "a.b" in container "x.y" -> x.y.a.b, x.a.b, a.b; a leading dot means only "a.b".
  std::vector<std::string> ContainerCandidates(const std::string& name) const {
    if (!name.empty() && name[0] == '.') {
      return {name.substr(1)};
    }
    std::vector<std::string> out;
    std::string container = env_.container();
    while (!container.empty()) {
      out.push_back(container + "." + name);
      size_t dot = container.rfind('.');
      container = dot == std::string::npos ? "" : container.substr(0, dot);
    }
    out.push_back(name);
    return out;
  }

  std::optional<Value> TypeOrEnumConstant(const std::string& name) const {
    if (IsBuiltinTypeName(name)) {
      return Value::Type(name);
    }
    const TypeProvider* provider = env_.type_provider();
    if (provider != nullptr) {
      if (provider->HasMessageType(name)) {
        return Value::Type(name);
      }
      if (auto e = provider->FindEnumConstant(name)) {
        return Value::Int(*e);
      }
    }
    return std::nullopt;
  }

  // Collects `a.b.c` into parts when the select chain ends in a plain identifier that is not a
  // comprehension variable.
  static bool NameParts(const Expr& e, std::vector<std::string>* parts) {
    if (e.kind == ExprKind::kIdent) {
      parts->push_back(e.name);
      return true;
    }
    if (e.kind == ExprKind::kSelect && !e.test_only && NameParts(*e.target, parts)) {
      parts->push_back(e.name);
      return true;
    }
    return false;
  }

  NodePtr PlanName(const Expr& e, const std::vector<std::string>& parts) {
    std::string full = parts[0];
    for (size_t i = 1; i < parts.size(); ++i) {
      full += "." + parts[i];
    }
    std::string error =
        "undeclared reference to '" + full + "' (in container '" + env_.container() + "')";
    std::vector<NameCandidate> runtime;
    std::optional<Value> fallback;
    // Longest qualified name first, most specific container first.
    for (size_t k = parts.size(); k >= 1; --k) {
      std::string qualified = parts[0];
      for (size_t i = 1; i < k; ++i) {
        qualified += "." + parts[i];
      }
      std::vector<std::string> rest(parts.begin() + k, parts.end());
      for (const std::string& name : ContainerCandidates(qualified)) {
        NameCandidate c{VarIndex(name), name, rest};
        if (env_.variables().count(name) != 0) {
          return MakeName({std::move(c)}, std::nullopt, error);
        }
        if (rest.empty() && !fallback) {
          fallback = TypeOrEnumConstant(name);
        }
        runtime.push_back(std::move(c));
      }
    }
    if (env_.strict_declarations()) {
      if (fallback) {
        return MakeConst(*fallback);
      }
      Fail(e, error);
      return nullptr;
    }
    if (fallback && parts.size() == 1 && IsBuiltinTypeName(parts[0])) {
      return MakeConst(*fallback);
    }
    return MakeName(std::move(runtime), std::move(fallback), error);
  }

  NodePtr PlanExpr(const Expr& e) {
    if (!error_.ok()) {
      return nullptr;
    }
    switch (e.kind) {
      case ExprKind::kConst:
        return MakeConst(e.constant);
      case ExprKind::kIdent: {
        if (const Scope* s = FindScope(e.name)) {
          return s->accumulator ? MakeSlot(s->slot) : MakeIterVar(s->slot);
        }
        if (e.name.rfind("@index", 0) == 0) {
          auto it = block_slots_.find(e.name);
          if (it != block_slots_.end()) {
            return MakeSlot(it->second);
          }
        }
        return PlanName(e, {e.name});
      }
      case ExprKind::kSelect:
        return PlanSelect(e);
      case ExprKind::kCall:
        return PlanCall(e);
      case ExprKind::kList: {
        std::vector<NodePtr> elems;
        std::vector<bool> optional(e.args.size(), false);
        for (int32_t i : e.optional_indices) {
          optional[i] = true;
        }
        bool all_const = e.optional_indices.empty();
        for (const auto& a : e.args) {
          elems.push_back(PlanExpr(*a));
          if (!error_.ok()) {
            return nullptr;
          }
          all_const = all_const && elems.back()->constant() != nullptr &&
                      !elems.back()->constant()->is_error_or_unknown();
        }
        NodePtr node = MakeList(std::move(elems), std::move(optional));
        return all_const ? Fold(std::move(node)) : std::move(node);
      }
      case ExprKind::kMap: {
        std::vector<NodePtr> keys;
        std::vector<NodePtr> values;
        std::vector<bool> optional;
        for (const auto& en : e.entries) {
          keys.push_back(PlanExpr(*en.key));
          values.push_back(PlanExpr(*en.value));
          optional.push_back(en.optional);
          if (!error_.ok()) {
            return nullptr;
          }
        }
        return MakeMap(std::move(keys), std::move(values), std::move(optional));
      }
      case ExprKind::kStruct:
        return PlanStruct(e);
      case ExprKind::kComprehension:
        return PlanComprehension(e);
    }
    return nullptr;
  }

  NodePtr PlanSelect(const Expr& e) {
    std::vector<std::string> parts;
    if (!e.test_only && NameParts(e, &parts) && FindScope(parts[0]) == nullptr &&
        block_slots_.count(parts[0]) == 0) {
      return PlanName(e, parts);
    }
    NodePtr operand = PlanExpr(*e.target);
    if (!error_.ok()) {
      return nullptr;
    }
    return MakeSelect(std::move(operand), e.name, e.test_only);
  }

  NodePtr PlanStruct(const Expr& e) {
    std::string type_name;
    const TypeProvider* provider = env_.type_provider();
    for (const std::string& candidate : ContainerCandidates(e.name)) {
      if (provider != nullptr && provider->HasMessageType(candidate)) {
        type_name = candidate;
        break;
      }
    }
    if (type_name.empty()) {
      if (env_.strict_declarations() || provider != nullptr) {
        Fail(e,
             "undeclared reference to '" + e.name + "' (in container '" + env_.container() + "')");
        return nullptr;
      }
      type_name = e.name;
    }
    std::vector<std::string> fields;
    std::vector<NodePtr> values;
    std::vector<bool> optional;
    for (const auto& en : e.entries) {
      fields.push_back(en.field);
      values.push_back(PlanExpr(*en.value));
      optional.push_back(en.optional);
      if (!error_.ok()) {
        return nullptr;
      }
    }
    return MakeStruct(type_name, provider, std::move(fields), std::move(values),
                      std::move(optional));
  }

  NodePtr PlanComprehension(const Expr& e) {
    NodePtr range = PlanExpr(*e.iter_range);
    NodePtr init = PlanExpr(*e.accu_init);
    if (!error_.ok()) {
      return nullptr;
    }
    int accu_slot = num_slots_++;
    int iter_slot = num_slots_++;
    int iter2_slot = e.iter_var2.empty() ? -1 : num_slots_++;
    size_t depth = scopes_.size();
    scopes_.push_back({e.accu_var, accu_slot, true});
    scopes_.push_back({e.iter_var, iter_slot, false});
    if (iter2_slot >= 0) {
      scopes_.push_back({e.iter_var2, iter2_slot, false});
    }
    NodePtr cond = PlanExpr(*e.loop_condition);
    NodePtr step = PlanExpr(*e.loop_step);
    scopes_.resize(depth);
    scopes_.push_back({e.accu_var, accu_slot, true});
    NodePtr result = PlanExpr(*e.result);
    scopes_.resize(depth);
    if (!error_.ok()) {
      return nullptr;
    }
    return MakeComprehension(iter_slot, iter2_slot, accu_slot, std::move(range), std::move(init),
                             std::move(cond), std::move(step), std::move(result));
  }

  // Evaluates a node whose inputs are all constants, once, at plan time.
  NodePtr Fold(NodePtr node) {
    Frame frame;
    Limits limits;
    limits.timeout = std::chrono::nanoseconds(0);
    frame.Reset(nullptr, 0, 0, limits);
    Value v = node->Eval(frame);
    if (frame.aborted() || v.is_unknown()) {
      return node;
    }
    return MakeConst(std::move(v));
  }

  std::vector<NodePtr> PlanArgs(const Expr& e) {
    std::vector<NodePtr> args;
    if (e.target != nullptr) {
      args.push_back(PlanExpr(*e.target));
    }
    for (const auto& a : e.args) {
      args.push_back(PlanExpr(*a));
    }
    return args;
  }

  NodePtr PlanCall(const Expr& e) {
    const std::string& fn = e.name;
    size_t n = e.args.size();
    if (e.target == nullptr) {
      if (fn == "_&&_" && n == 2) {
        auto args = PlanArgs(e);
        return error_.ok() ? MakeAnd(std::move(args[0]), std::move(args[1])) : nullptr;
      }
      if (fn == "_||_" && n == 2) {
        auto args = PlanArgs(e);
        return error_.ok() ? MakeOr(std::move(args[0]), std::move(args[1])) : nullptr;
      }
      if (fn == "!_" && n == 1) {
        auto args = PlanArgs(e);
        return error_.ok() ? MakeNot(std::move(args[0])) : nullptr;
      }
      if (fn == "_?_:_" && n == 3) {
        auto args = PlanArgs(e);
        return error_.ok() ? MakeTernary(std::move(args[0]), std::move(args[1]), std::move(args[2]))
                           : nullptr;
      }
      if (fn == "@not_strictly_false" && n == 1) {
        auto args = PlanArgs(e);
        return error_.ok() ? MakeNotStrictlyFalse(std::move(args[0])) : nullptr;
      }
      if ((fn == "_[_]" || fn == "_[?_]") && n == 2) {
        auto args = PlanArgs(e);
        return error_.ok() ? MakeIndex(std::move(args[0]), std::move(args[1]), fn == "_[?_]")
                           : nullptr;
      }
      if (fn == "_?._" && n == 2 && e.args[1]->kind == ExprKind::kConst &&
          e.args[1]->constant.kind() == Kind::kString) {
        NodePtr operand = PlanExpr(*e.args[0]);
        return error_.ok() ? MakeOptSelect(std::move(operand), e.args[1]->constant.string_value())
                           : nullptr;
      }
      if (fn == "_+_" && n == 2 && IsAccumulator(*e.args[0]) &&
          e.args[1]->kind == ExprKind::kList && e.args[1]->args.size() == 1 &&
          e.args[1]->optional_indices.empty()) {
        NodePtr elem = PlanExpr(*e.args[1]->args[0]);
        return error_.ok() ? MakeAppend(FindScope(e.args[0]->name)->slot, std::move(elem))
                           : nullptr;
      }
      if (fn == "cel.@mapInsert" && (n == 2 || n == 3) && IsAccumulator(*e.args[0])) {
        NodePtr key = PlanExpr(*e.args[1]);
        NodePtr value = n == 3 ? PlanExpr(*e.args[2]) : nullptr;
        return error_.ok() ? MakeMapInsert(FindScope(e.args[0]->name)->slot, std::move(key),
                                           std::move(value))
                           : nullptr;
      }
    }
    // Namespaced global functions: math.greatest(...), optional.of(...), cel.block(...).
    std::vector<std::string> parts;
    if (e.target != nullptr && NameParts(*e.target, &parts) && FindScope(parts[0]) == nullptr) {
      std::string qualified = parts[0];
      for (size_t i = 1; i < parts.size(); ++i) {
        qualified += "." + parts[i];
      }
      std::string full = qualified + "." + fn;
      if (full == "cel.block" && n == 2) {
        return PlanBlock(e);
      }
      if (env_.functions().HasName(full) && env_.variables().count(parts[0]) == 0) {
        return PlanFunction(e, full, false, /*skip_target=*/true);
      }
    }
    std::string name = fn;
    if (!name.empty() && name[0] == '.') {
      name = name.substr(1);
    }
    return PlanFunction(e, name, e.target != nullptr, false);
  }

  bool IsAccumulator(const Expr& e) const {
    if (e.kind != ExprKind::kIdent) {
      return false;
    }
    const Scope* s = FindScope(e.name);
    return s != nullptr && s->accumulator;
  }

  NodePtr PlanBlock(const Expr& e) {
    const Expr& list = *e.args[0];
    if (list.kind != ExprKind::kList) {
      Fail(e, "cel.block requires a list literal of bindings");
      return nullptr;
    }
    int first = num_slots_;
    num_slots_ += static_cast<int>(list.args.size());
    std::vector<NodePtr> bindings;
    for (size_t i = 0; i < list.args.size(); ++i) {
      bindings.push_back(PlanExpr(*list.args[i]));
      block_slots_["@index" + std::to_string(i)] = first + static_cast<int>(i);
    }
    NodePtr result = PlanExpr(*e.args[1]);
    for (size_t i = 0; i < list.args.size(); ++i) {
      block_slots_.erase("@index" + std::to_string(i));
    }
    if (!error_.ok()) {
      return nullptr;
    }
    return MakeBlock(first, std::move(bindings), std::move(result));
  }

  NodePtr PlanFunction(const Expr& e, const std::string& name, bool receiver, bool skip_target) {
    std::vector<NodePtr> args;
    if (e.target != nullptr && !skip_target) {
      args.push_back(PlanExpr(*e.target));
    }
    bool all_const = true;
    for (const auto& a : e.args) {
      args.push_back(PlanExpr(*a));
    }
    if (!error_.ok()) {
      return nullptr;
    }
    for (const auto& a : args) {
      all_const = all_const && a->constant() != nullptr;
    }
    std::vector<const Overload*> overloads = env_.functions().Find(name, receiver, args.size());
    if (overloads.empty() && env_.strict_declarations()) {
      Fail(e, "undeclared reference to '" + name + "' (in container '" + env_.container() + "')");
      return nullptr;
    }
    NodePtr node = MakeCall(name, std::move(overloads), std::move(args));
    return all_const ? Fold(std::move(node)) : std::move(node);
  }

  const Source& source_;
  const Env& env_;
  Status error_;
  std::vector<Scope> scopes_;
  std::unordered_map<std::string, int> var_index_;
  std::unordered_map<std::string, int> block_slots_;
  std::vector<std::string> var_names_;
  int num_slots_ = 0;
};

}  // namespace

StatusOr<Plan> BuildPlan(const Expr& root, const Source& source, const Env& env) {
  return Planner(source, env).Run(root);
}

}  // namespace cellar::cel
