// src/cel/macros.cc: macro expansion, following cel-go's parser/macro.go so that programs and
// conformance expectations written against cel-go behave the same here.
#include "cel/macros.h"

#include <utility>

namespace cellar::cel {
namespace {

class Builder {
 public:
  Builder(ExprFactory& f, int32_t offset) : f_(f), offset_(offset) {}

  ExprPtr Ident(const std::string& name) {
    ExprPtr e = f_.NewExpr(ExprKind::kIdent, offset_);
    e->name = name;
    return e;
  }
  ExprPtr Const(Value v) {
    ExprPtr e = f_.NewExpr(ExprKind::kConst, offset_);
    e->constant = std::move(v);
    return e;
  }
  ExprPtr List(std::vector<ExprPtr> elems = {}) {
    ExprPtr e = f_.NewExpr(ExprKind::kList, offset_);
    e->args = std::move(elems);
    return e;
  }
  ExprPtr Map() { return f_.NewExpr(ExprKind::kMap, offset_); }
  ExprPtr Call(const std::string& fn, std::vector<ExprPtr> args, ExprPtr target = nullptr) {
    ExprPtr e = f_.NewExpr(ExprKind::kCall, offset_);
    e->name = fn;
    e->args = std::move(args);
    e->target = std::move(target);
    return e;
  }
  ExprPtr Call1(const std::string& fn, ExprPtr a) {
    std::vector<ExprPtr> v;
    v.push_back(std::move(a));
    return Call(fn, std::move(v));
  }
  ExprPtr Call2(const std::string& fn, ExprPtr a, ExprPtr b) {
    std::vector<ExprPtr> v;
    v.push_back(std::move(a));
    v.push_back(std::move(b));
    return Call(fn, std::move(v));
  }
  ExprPtr Call3(const std::string& fn, ExprPtr a, ExprPtr b, ExprPtr c) {
    std::vector<ExprPtr> v;
    v.push_back(std::move(a));
    v.push_back(std::move(b));
    v.push_back(std::move(c));
    return Call(fn, std::move(v));
  }
  ExprPtr Comprehension(std::string iter_var, std::string iter_var2, ExprPtr range,
                        std::string accu_var, ExprPtr init, ExprPtr cond, ExprPtr step,
                        ExprPtr result) {
    ExprPtr e = f_.NewExpr(ExprKind::kComprehension, offset_);
    e->iter_var = std::move(iter_var);
    e->iter_var2 = std::move(iter_var2);
    e->iter_range = std::move(range);
    e->accu_var = std::move(accu_var);
    e->accu_init = std::move(init);
    e->loop_condition = std::move(cond);
    e->loop_step = std::move(step);
    e->result = std::move(result);
    return e;
  }

 private:
  ExprFactory& f_;
  int32_t offset_;
};

// The name of a macro's bound variable: must be a plain identifier.
bool VarName(ExprFactory& f, const ExprPtr& arg, std::string* out) {
  if (arg->kind != ExprKind::kIdent || arg->name.empty() || arg->name[0] == '.') {
    f.ReportError(arg->offset, "argument must be a simple name");
    return false;
  }
  *out = arg->name;
  return true;
}

enum class Quant { kAll, kExists, kExistsOne };

ExprPtr Quantifier(ExprFactory& f, int32_t offset, Quant q, ExprPtr target,
                   std::vector<ExprPtr>& args) {
  Builder b(f, offset);
  std::string v1;
  std::string v2;
  if (!VarName(f, args[0], &v1)) {
    return nullptr;
  }
  if (args.size() == 3 && !VarName(f, args[1], &v2)) {
    return nullptr;
  }
  if (v1 == kAccuVar || v2 == kAccuVar) {
    f.ReportError(args[0]->offset, "iteration variable overwrites accumulator variable");
    return nullptr;
  }
  ExprPtr pred = std::move(args.back());
  ExprPtr init;
  ExprPtr cond;
  ExprPtr step;
  ExprPtr result;
  switch (q) {
    case Quant::kAll:
      init = b.Const(Value::Bool(true));
      cond = b.Call1("@not_strictly_false", b.Ident(kAccuVar));
      step = b.Call2("_&&_", b.Ident(kAccuVar), std::move(pred));
      result = b.Ident(kAccuVar);
      break;
    case Quant::kExists:
      init = b.Const(Value::Bool(false));
      cond = b.Call1("@not_strictly_false", b.Call1("!_", b.Ident(kAccuVar)));
      step = b.Call2("_||_", b.Ident(kAccuVar), std::move(pred));
      result = b.Ident(kAccuVar);
      break;
    case Quant::kExistsOne:
      init = b.Const(Value::Int(0));
      cond = b.Const(Value::Bool(true));
      step = b.Call3("_?_:_", std::move(pred),
                     b.Call2("_+_", b.Ident(kAccuVar), b.Const(Value::Int(1))),
                     b.Ident(kAccuVar));
      result = b.Call2("_==_", b.Ident(kAccuVar), b.Const(Value::Int(1)));
      break;
  }
  return b.Comprehension(v1, v2, std::move(target), kAccuVar, std::move(init), std::move(cond),
                         std::move(step), std::move(result));
}

// map/filter/transformList/transformMap/transformMapEntry: accumulate into a list or map.
enum class Collect { kMap, kFilter, kTransformList, kTransformMap, kTransformMapEntry };

ExprPtr Collector(ExprFactory& f, int32_t offset, Collect kind, ExprPtr target,
                  std::vector<ExprPtr>& args) {
  Builder b(f, offset);
  bool two_vars = kind == Collect::kTransformList || kind == Collect::kTransformMap ||
                  kind == Collect::kTransformMapEntry;
  std::string v1;
  std::string v2;
  if (!VarName(f, args[0], &v1)) {
    return nullptr;
  }
  if (two_vars && !VarName(f, args[1], &v2)) {
    return nullptr;
  }
  if (v1 == kAccuVar || v2 == kAccuVar) {
    f.ReportError(args[0]->offset, "iteration variable overwrites accumulator variable");
    return nullptr;
  }
  size_t first = two_vars ? 2 : 1;
  ExprPtr filter;
  ExprPtr transform;
  if (kind == Collect::kFilter) {
    filter = std::move(args[1]);
    transform = b.Ident(v1);
  } else if (args.size() == first + 2) {
    filter = std::move(args[first]);
    transform = std::move(args[first + 1]);
  } else {
    transform = std::move(args[first]);
  }
  ExprPtr init;
  ExprPtr step;
  if (kind == Collect::kTransformMap) {
    init = b.Map();
    step = b.Call3("cel.@mapInsert", b.Ident(kAccuVar), b.Ident(v1), std::move(transform));
  } else if (kind == Collect::kTransformMapEntry) {
    init = b.Map();
    step = b.Call2("cel.@mapInsert", b.Ident(kAccuVar), std::move(transform));
  } else {
    init = b.List();
    std::vector<ExprPtr> elem;
    elem.push_back(std::move(transform));
    step = b.Call2("_+_", b.Ident(kAccuVar), b.List(std::move(elem)));
  }
  if (filter != nullptr) {
    step = b.Call3("_?_:_", std::move(filter), std::move(step), b.Ident(kAccuVar));
  }
  return b.Comprehension(v1, v2, std::move(target), kAccuVar, std::move(init),
                         b.Const(Value::Bool(true)), std::move(step), b.Ident(kAccuVar));
}

ExprPtr Bind(ExprFactory& f, int32_t offset, std::vector<ExprPtr>& args) {
  Builder b(f, offset);
  std::string var;
  if (!VarName(f, args[0], &var)) {
    return nullptr;
  }
  return b.Comprehension("#unused", "", b.List(), var, std::move(args[1]),
                         b.Const(Value::Bool(false)), b.Ident(var), std::move(args[2]));
}

// opt.optMap(v, e) -> opt.hasValue() ? optional.of(cel.bind(v, opt.value(), e)) : optional.none()
ExprPtr OptMap(ExprFactory& f, int32_t offset, bool flat, ExprPtr target,
               std::vector<ExprPtr>& args) {
  Builder b(f, offset);
  std::string var;
  if (!VarName(f, args[0], &var)) {
    return nullptr;
  }
  ExprPtr copy = CloneExpr(f, *target);
  ExprPtr has = b.Call("hasValue", {}, std::move(target));
  ExprPtr value = b.Call("value", {}, std::move(copy));
  ExprPtr bound = b.Comprehension("#unused", "", b.List(), var, std::move(value),
                                  b.Const(Value::Bool(false)), b.Ident(var), std::move(args[1]));
  if (!flat) {
    bound = b.Call1("optional.of", std::move(bound));
  }
  return b.Call3("_?_:_", std::move(has), std::move(bound), b.Call("optional.none", {}));
}

}  // namespace

ExprPtr CloneExpr(ExprFactory& factory, const Expr& e) {
  ExprPtr out = factory.NewExpr(e.kind, e.offset);
  if (factory.Exhausted()) {
    return out;  // the parse has failed; stop copying so a doubling chain stays linear
  }
  out->constant = e.constant;
  out->name = e.name;
  out->test_only = e.test_only;
  out->optional_indices = e.optional_indices;
  out->iter_var = e.iter_var;
  out->iter_var2 = e.iter_var2;
  out->accu_var = e.accu_var;
  auto clone = [&](const ExprPtr& p) { return p ? CloneExpr(factory, *p) : nullptr; };
  out->target = clone(e.target);
  for (const auto& a : e.args) {
    out->args.push_back(clone(a));
  }
  for (const auto& en : e.entries) {
    Entry c;
    c.id = en.id;
    c.field = en.field;
    c.key = clone(en.key);
    c.value = clone(en.value);
    c.optional = en.optional;
    out->entries.push_back(std::move(c));
  }
  out->iter_range = clone(e.iter_range);
  out->accu_init = clone(e.accu_init);
  out->loop_condition = clone(e.loop_condition);
  out->loop_step = clone(e.loop_step);
  out->result = clone(e.result);
  return out;
}

ExprPtr ExpandMacro(ExprFactory& f, int32_t offset, const std::string& fn, ExprPtr& target,
                    std::vector<ExprPtr>& args, bool* matched) {
  *matched = false;
  size_t n = args.size();
  if (target == nullptr) {
    if (fn == "has" && n == 1) {
      *matched = true;
      if (args[0]->kind != ExprKind::kSelect || args[0]->test_only) {
        f.ReportError(args[0]->offset, "invalid argument to has() macro");
        return nullptr;
      }
      args[0]->test_only = true;
      return std::move(args[0]);
    }
    return nullptr;
  }
  if (target->kind == ExprKind::kIdent && target->name == "proto" &&
      (fn == "getExt" || fn == "hasExt") && n == 2) {
    // proto.getExt(msg, pkg.ext) -> msg.`pkg.ext`; hasExt -> has(msg.`pkg.ext`).
    std::string name;
    const Expr* e = args[1].get();
    while (e->kind == ExprKind::kSelect && !e->test_only) {
      name = "." + e->name + name;
      e = e->target.get();
    }
    if (e->kind != ExprKind::kIdent) {
      *matched = true;
      f.ReportError(args[1]->offset, "invalid extension field");
      return nullptr;
    }
    *matched = true;
    ExprPtr sel = f.NewExpr(ExprKind::kSelect, offset);
    sel->name = e->name + name;
    sel->target = std::move(args[0]);
    sel->test_only = fn == "hasExt";
    return sel;
  }
  if (target->kind == ExprKind::kIdent && target->name == "cel") {
    if (fn == "bind" && n == 3) {
      *matched = true;
      return Bind(f, offset, args);
    }
    // cel.block's references: cel.index(N) -> @indexN, cel.iterVar(N, M) -> @it:N:M,
    // cel.accuVar(N, M) -> @ac:N:M (names no source text can spell).
    auto int_arg = [&](size_t i, int64_t* out) {
      if (args[i]->kind != ExprKind::kConst || args[i]->constant.kind() != Kind::kInt ||
          args[i]->constant.int_value() < 0) {
        return false;
      }
      *out = args[i]->constant.int_value();
      return true;
    };
    int64_t a = 0;
    int64_t b = 0;
    if (fn == "index" && n == 1 && int_arg(0, &a)) {
      *matched = true;
      ExprPtr e = f.NewExpr(ExprKind::kIdent, offset);
      e->name = "@index" + std::to_string(a);
      return e;
    }
    if ((fn == "iterVar" || fn == "accuVar") && n == 2 && int_arg(0, &a) && int_arg(1, &b)) {
      *matched = true;
      ExprPtr e = f.NewExpr(ExprKind::kIdent, offset);
      e->name = (fn == "iterVar" ? "@it:" : "@ac:") + std::to_string(a) + ":" + std::to_string(b);
      return e;
    }
    return nullptr;
  }
  if ((fn == "all" || fn == "exists") && (n == 2 || n == 3)) {
    *matched = true;
    return Quantifier(f, offset, fn == "all" ? Quant::kAll : Quant::kExists, std::move(target),
                      args);
  }
  if ((fn == "exists_one" && (n == 2 || n == 3)) || (fn == "existsOne" && n == 3)) {
    *matched = true;
    return Quantifier(f, offset, Quant::kExistsOne, std::move(target), args);
  }
  if (fn == "map" && (n == 2 || n == 3)) {
    *matched = true;
    return Collector(f, offset, Collect::kMap, std::move(target), args);
  }
  if (fn == "filter" && n == 2) {
    *matched = true;
    return Collector(f, offset, Collect::kFilter, std::move(target), args);
  }
  if (fn == "transformList" && (n == 3 || n == 4)) {
    *matched = true;
    return Collector(f, offset, Collect::kTransformList, std::move(target), args);
  }
  if (fn == "transformMap" && (n == 3 || n == 4)) {
    *matched = true;
    return Collector(f, offset, Collect::kTransformMap, std::move(target), args);
  }
  if (fn == "transformMapEntry" && (n == 3 || n == 4)) {
    *matched = true;
    return Collector(f, offset, Collect::kTransformMapEntry, std::move(target), args);
  }
  if (fn == "sortBy" && n == 2) {
    // list.sortBy(v, key) -> lists.@sortByAssociatedKeys(list, list.map(v, key))
    *matched = true;
    std::vector<ExprPtr> map_args;
    map_args.push_back(std::move(args[0]));
    map_args.push_back(std::move(args[1]));
    ExprPtr keys = Collector(f, offset, Collect::kMap, CloneExpr(f, *target), map_args);
    if (keys == nullptr) {
      return nullptr;
    }
    Builder b(f, offset);
    return b.Call2("lists.@sortByAssociatedKeys", std::move(target), std::move(keys));
  }
  if ((fn == "optMap" || fn == "optFlatMap") && n == 2) {
    *matched = true;
    return OptMap(f, offset, fn == "optFlatMap", std::move(target), args);
  }
  return nullptr;
}

}  // namespace cellar::cel
