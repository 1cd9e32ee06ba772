// src/cel/planner.cc: name resolution (containers, qualified names, comprehension scopes),
// overload selection by name/style/arity, constant folding and the in-place accumulator
// rewrites for map/filter.
#include "cel/planner.h"

#include <unordered_map>

#include "cel/eval_fused.h"
#include "cel/library.h"
#include "cel/names.h"

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

bool IsIdent(const Expr& e, const std::string& name) {
  return e.kind == ExprKind::kIdent && e.name == name;
}

bool IsGlobalCall(const Expr& e, const char* fn, size_t n) {
  return e.kind == ExprKind::kCall && e.target == nullptr && e.name == fn && e.args.size() == n;
}

// The shape the exists (1) and all (0) macros expand to, else -1.
int QuantifierShape(const Expr& e) {
  const std::string& accu = e.accu_var;
  if (e.accu_init->kind != ExprKind::kConst || e.accu_init->constant.kind() != Kind::kBool ||
      !IsIdent(*e.result, accu) || !IsGlobalCall(*e.loop_condition, "@not_strictly_false", 1)) {
    return -1;
  }
  const Expr& cond = *e.loop_condition->args[0];
  const Expr& step = *e.loop_step;
  if (!e.accu_init->constant.bool_value() && IsGlobalCall(cond, "!_", 1) &&
      IsIdent(*cond.args[0], accu) && IsGlobalCall(step, "_||_", 2) &&
      IsIdent(*step.args[0], accu)) {
    return 1;
  }
  if (e.accu_init->constant.bool_value() && IsIdent(cond, accu) && IsGlobalCall(step, "_&&_", 2) &&
      IsIdent(*step.args[0], accu)) {
    return 0;
  }
  return -1;
}

// The shape map, filter and transformList expand to (accumulator [], condition true, result
// the accumulator, step `@result + [t]` or `f ? @result + [t] : @result`): sets *filter (null
// when there is none) and *transform. Users cannot name the accumulator, so f and t never read it.
bool CollectShape(const Expr& e, const Expr** filter, const Expr** transform) {
  const std::string& accu = e.accu_var;
  const Expr& cond = *e.loop_condition;
  if (e.accu_init->kind != ExprKind::kList || !e.accu_init->args.empty() ||
      !IsIdent(*e.result, accu) || cond.kind != ExprKind::kConst ||
      cond.constant.kind() != Kind::kBool || !cond.constant.bool_value()) {
    return false;
  }
  const Expr* step = e.loop_step.get();
  *filter = nullptr;
  if (IsGlobalCall(*step, "_?_:_", 3) && IsIdent(*step->args[2], accu)) {
    *filter = step->args[0].get();
    step = step->args[1].get();
  }
  if (!IsGlobalCall(*step, "_+_", 2) || !IsIdent(*step->args[0], accu)) {
    return false;
  }
  const Expr& list = *step->args[1];
  if (list.kind != ExprKind::kList || list.args.size() != 1 || !list.optional_indices.empty()) {
    return false;
  }
  *transform = list.args[0].get();
  return true;
}

// The pieces of a left-deep chain a + b + c ...
void ConcatPieces(const Expr& e, std::vector<const Expr*>* out) {
  if (IsGlobalCall(e, "_+_", 2)) {
    ConcatPieces(*e.args[0], out);
    out->push_back(e.args[1].get());
  } else {
    out->push_back(&e);
  }
}

// True when two strings passed to `overloads` reach the standard implementation `fn` (and not
// one an Env put in its place).
// 0..3 for _<_, _<=_, _>_, _>=_; -1 for any other name.
int OrderingIndex(std::string_view name) {
  static constexpr std::string_view kNames[] = {"_<_", "_<=_", "_>_", "_>=_"};
  for (int i = 0; i < 4; ++i) {
    if (name == kNames[i]) {
      return i;
    }
  }
  return -1;
}

bool StringsReach(const std::vector<const Overload*>& overloads, BinaryFn fn) {
  for (const Overload* o : overloads) {
    if (o->variadic || o->arg_kinds.size() != 2) {
      return false;
    }
    bool match = (o->arg_kinds[0] == kAnyKind || o->arg_kinds[0] == Kind::kString) &&
                 (o->arg_kinds[1] == kAnyKind || o->arg_kinds[1] == Kind::kString);
    if (match) {
      return o->binary == fn;
    }
  }
  return false;
}

class Planner {
 public:
  Planner(const Source& source, const Env& env) : source_(source), env_(env) {}

  StatusOr<Plan> Run(const Expr& root) {
    budget_ = 16 * CountNodes(root) + 256;
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
    return cel::ContainerCandidates(env_.container(), name);
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
        return provider->EnumValue(name.substr(0, name.rfind('.')), *e);
      }
    }
    return std::nullopt;
  }

  // Collects `a.b.c` into parts when the select chain ends in a plain identifier that is not a
  // comprehension variable.
  static bool NameParts(const Expr& e, std::vector<std::string>* parts) {
    return QualifiedNameParts(e, parts);
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
    ++planned_;
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
    int quantifier = QuantifierShape(e);
    if (quantifier == 1 && iter2_slot < 0 && Specialising()) {
      if (const Value* c = ComparedWithConstant(*e.loop_step->args[1], e.iter_var)) {
        scopes_.resize(depth);
        return MakeExistsEqual(std::move(range), *c);
      }
    }
    if (quantifier >= 0) {
      NodePtr pred = PlanExpr(*e.loop_step->args[1]);
      scopes_.resize(depth);
      if (!error_.ok()) {
        return nullptr;
      }
      return MakeQuantifier(quantifier == 1, iter_slot, iter2_slot, std::move(range),
                            std::move(pred));
    }
    const Expr* filter_expr = nullptr;
    const Expr* transform_expr = nullptr;
    if (Specialising() && CollectShape(e, &filter_expr, &transform_expr)) {
      NodePtr filter = filter_expr != nullptr ? PlanExpr(*filter_expr) : nullptr;
      NodePtr transform = PlanExpr(*transform_expr);
      scopes_.resize(depth);
      if (!error_.ok()) {
        return nullptr;
      }
      if (filter == nullptr && iter2_slot < 0 && IsFilter(*e.iter_range)) {
        return MakeFilterThenMap(std::move(range), iter_slot, std::move(transform));
      }
      return MakeCollectList(iter_slot, iter2_slot, std::move(range), std::move(filter),
                             std::move(transform));
    }
    // map/filter/transformList start from []: the loop starts with a list of the range's
    // capacity instead, so appends neither copy the shared constant nor regrow.
    bool presize = e.accu_init->kind == ExprKind::kList && e.accu_init->args.empty();
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
                             std::move(cond), std::move(step), std::move(result), presize);
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
      if (fn == "_[_]" && n == 2 && Specialising()) {
        if (NodePtr special = PlanSplitIndex(e)) {
          return special;
        }
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
    if (NodePtr special = PlanSpecialised(e, name)) {
      return special;
    }
    return PlanFunction(e, name, e.target != nullptr, false);
  }

  // True for the expansion of range.filter(x, p): a collecting loop (one variable) whose
  // transform is x itself.
  static bool IsFilter(const Expr& e) {
    const Expr* filter = nullptr;
    const Expr* transform = nullptr;
    return e.kind == ExprKind::kComprehension && e.iter_var2.empty() &&
           CollectShape(e, &filter, &transform) && filter != nullptr &&
           IsIdent(*transform, e.iter_var);
  }

  // For `var == c` or `c == var` with a constant c (not an error) and the standard equality: c.
  const Value* ComparedWithConstant(const Expr& pred, const std::string& var) const {
    if (!IsGlobalCall(pred, "_==_", 2)) {
      return nullptr;
    }
    std::vector<const Overload*> overloads = env_.functions().Find("_==_", false, 2);
    if (overloads.size() != 1 || overloads[0]->variadic || overloads[0]->binary != StdEquals) {
      return nullptr;
    }
    for (int i = 0; i < 2; ++i) {
      const Expr& c = *pred.args[1 - i];
      if (IsIdent(*pred.args[i], var) && c.kind == ExprKind::kConst &&
          !c.constant.is_error_or_unknown()) {
        return &c.constant;
      }
    }
    return nullptr;
  }

  bool Specialising() const { return !generic_only_ && planned_ <= budget_; }

  static size_t CountNodes(const Expr& e) {
    size_t n = 1;
    for (const Expr* child : {e.target.get(), e.iter_range.get(), e.accu_init.get(),
                              e.loop_condition.get(), e.loop_step.get(), e.result.get()}) {
      n += child != nullptr ? CountNodes(*child) : 0;
    }
    for (const ExprPtr& a : e.args) {
      n += CountNodes(*a);
    }
    for (const Entry& entry : e.entries) {
      n += (entry.key ? CountNodes(*entry.key) : 0) + (entry.value ? CountNodes(*entry.value) : 0);
    }
    return n;
  }

  // The nodes of eval_fused.h for the shapes they cover, else null.
  NodePtr PlanSpecialised(const Expr& e, const std::string& name) {
    if (!Specialising()) {
      return nullptr;
    }
    const FunctionRegistry& fns = env_.functions();
    bool receiver = e.target != nullptr;
    std::vector<const Expr*> pieces;
    // x == c, x != c, and x OP c for an ordering operator and an int c (either side).
    int op = OrderingIndex(name);
    BinaryFn std_fn = name == "_==_"   ? StdEquals
                      : name == "_!=_" ? StdNotEquals
                      : op >= 0        ? StdOrdering(op)
                                       : nullptr;
    if (!receiver && std_fn != nullptr && e.args.size() == 2) {
      std::vector<const Overload*> overloads = fns.Find(name, false, 2);
      if (overloads.size() != 1 || overloads[0]->variadic || overloads[0]->binary != std_fn) {
        return nullptr;
      }
      std::vector<NodePtr> args;
      args.push_back(PlanExpr(*e.args[0]));
      args.push_back(PlanExpr(*e.args[1]));
      if (!error_.ok()) {
        return nullptr;
      }
      const Value* ca = args[0]->constant();
      const Value* cb = args[1]->constant();
      const Value* c = ca != nullptr ? ca : cb;
      if ((ca == nullptr) == (cb == nullptr) ||
          (op >= 0 ? c->kind() != Kind::kInt : c->is_error_or_unknown())) {
        // Declined: finish the call from the operands already planned, not by planning them
        // again (which nested declines would make exponential).
        return FinishCall(e, name, /*receiver=*/false, std::move(args));
      }
      bool constant_first = ca != nullptr;
      NodePtr operand = std::move(args[constant_first ? 1 : 0]);
      if (op < 0) {
        return MakeEqualsConst(std::move(operand), *c, name == "_!=_");  // symmetric
      }
      return MakeOrderConst(std::move(operand), c->int_value(), op, constant_first, std_fn);
    }
    if (!receiver && name == "_+_" && e.args.size() == 2) {
      ConcatPieces(e, &pieces);
      if (pieces.size() < 3 || !StringsReach(fns.Find(name, false, 2), StdStringConcat)) {
        return nullptr;
      }
      std::vector<NodePtr> nodes = PlanPieces(pieces);
      if (nodes.empty()) {
        return nullptr;  // all constant (folded by the generic path) or an error
      }
      return MakeConcat(std::move(nodes), PlanGeneric(e, name));
    }
    if (receiver && name == "startsWith" && e.args.size() == 1) {
      ConcatPieces(*e.args[0], &pieces);
      if (pieces.size() < 2 || !StringsReach(fns.Find(name, true, 2), StdStartsWith) ||
          !StringsReach(fns.Find("_+_", false, 2), StdStringConcat)) {
        return nullptr;
      }
      NodePtr text = PlanExpr(*e.target);
      std::vector<NodePtr> nodes = PlanPieces(pieces);
      if (nodes.empty() || text == nullptr) {
        return nullptr;
      }
      return MakeStartsWithConcat(std::move(text), std::move(nodes), PlanGeneric(e, name));
    }
    if (!receiver && name == "@in" && e.args.size() == 2) {
      std::vector<const Overload*> overloads = fns.Find(name, false, 2);
      bool standard = overloads.size() == 2;
      for (const Overload* o : overloads) {
        standard = standard && !o->variadic && (o->binary == StdInList || o->binary == StdInMap);
      }
      if (!standard) {
        return nullptr;
      }
      NodePtr element = PlanExpr(*e.args[0]);
      NodePtr range = PlanExpr(*e.args[1]);
      if (!error_.ok() || (element->constant() != nullptr && range->constant() != nullptr)) {
        return nullptr;  // an error, or folded by the generic path
      }
      return MakeIn(std::move(element), std::move(range), PlanGeneric(e, name));
    }
    if (name == "matches" && e.args.size() == (receiver ? 1 : 2)) {
      const Expr& pattern = *e.args.back();
      if (pattern.kind != ExprKind::kConst || pattern.constant.kind() != Kind::kString ||
          !StringsReach(fns.Find(name, receiver, 2), StdMatches)) {
        return nullptr;
      }
      NodePtr text = PlanExpr(receiver ? *e.target : *e.args[0]);
      if (text == nullptr || text->constant() != nullptr) {
        return nullptr;
      }
      return MakeConstMatches(std::move(text), pattern.constant.string_value(),
                              PlanGeneric(e, name));
    }
    return nullptr;
  }

  // text.split('sep')[k] with the standard split.
  NodePtr PlanSplitIndex(const Expr& e) {
    const Expr& call = *e.args[0];
    const Expr& index = *e.args[1];
    if (call.kind != ExprKind::kCall || call.target == nullptr || call.name != "split" ||
        call.args.size() != 1 || call.args[0]->kind != ExprKind::kConst ||
        call.args[0]->constant.kind() != Kind::kString ||
        call.args[0]->constant.string_value().empty() || index.kind != ExprKind::kConst ||
        index.constant.kind() != Kind::kInt || index.constant.int_value() < 0 ||
        !StringsReach(env_.functions().Find("split", true, 2), StdSplit)) {
      return nullptr;
    }
    std::vector<std::string> parts;
    if (NameParts(*call.target, &parts) && FindScope(parts[0]) == nullptr) {
      // `a.b.split(...)` might name a namespaced function a.b.split: leave it to PlanCall.
      std::string qualified = parts[0];
      for (size_t i = 1; i < parts.size(); ++i) {
        qualified += "." + parts[i];
      }
      if (env_.functions().HasName(qualified + ".split")) {
        return nullptr;
      }
    }
    NodePtr text = PlanExpr(*call.target);
    if (!error_.ok() || text->constant() != nullptr) {
      return nullptr;
    }
    bool saved = generic_only_;
    generic_only_ = true;
    NodePtr generic = PlanExpr(e);
    generic_only_ = saved;
    if (!error_.ok()) {
      return nullptr;
    }
    return MakeSplitIndex(std::move(text), call.args[0]->constant.string_value(),
                          index.constant.int_value(), std::move(generic));
  }

  // Plans each piece; empty when all are constants or planning failed.
  std::vector<NodePtr> PlanPieces(const std::vector<const Expr*>& pieces) {
    std::vector<NodePtr> nodes;
    bool all_const = true;
    for (const Expr* p : pieces) {
      nodes.push_back(PlanExpr(*p));
      if (!error_.ok()) {
        return {};
      }
      all_const = all_const && nodes.back()->constant() != nullptr;
    }
    if (all_const) {
      return {};
    }
    return nodes;
  }

  // The call planned without specialisation: the fallback a specialised node runs when its
  // fast path does not apply.
  NodePtr PlanGeneric(const Expr& e, const std::string& name) {
    bool saved = generic_only_;
    generic_only_ = true;
    NodePtr node = PlanFunction(e, name, e.target != nullptr, false);
    generic_only_ = saved;
    return node;
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
    for (const auto& a : e.args) {
      args.push_back(PlanExpr(*a));
    }
    if (!error_.ok()) {
      return nullptr;
    }
    return FinishCall(e, name, receiver, std::move(args));
  }

  // The call node over planned `args`, folded when they are all constants.
  NodePtr FinishCall(const Expr& e, const std::string& name, bool receiver,
                     std::vector<NodePtr> args) {
    bool all_const = true;
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
  bool generic_only_ = false;  // planning a specialised node's fallback
  // Equality reuses its planned operands when it declines, but the other specialisations still
  // re-plan theirs, and one that applies plans a generic fallback beside its fast path; nested,
  // either could make planning exponential in the nesting depth. Past this many planned nodes
  // only the (linear) generic path is used.
  size_t planned_ = 0;
  size_t budget_ = 0;
};

}  // namespace

StatusOr<Plan> BuildPlan(const Expr& root, const Source& source, const Env& env) {
  return Planner(source, env).Run(root);
}

}  // namespace cellar::cel
