// src/cel/type_inference.cc: best-effort result types for `cellar cel check`.
#include "cel/type_inference.h"

#include <map>
#include <string>
#include <vector>

namespace cellar::cel {
namespace {

Type FromKind(Kind k) {
  switch (k) {
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
    default:
      return Type::Dyn();
  }
}

class Inference {
 public:
  explicit Inference(const Env& env) : env_(env) {}

  Type Infer(const Expr& e) {
    switch (e.kind) {
      case ExprKind::kConst:
        return FromKind(e.constant.kind());
      case ExprKind::kIdent: {
        for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
          if (it->first == e.name) {
            return it->second;
          }
        }
        auto it = env_.variables().find(e.name);
        if (it != env_.variables().end()) {
          return it->second;
        }
        return Type::Dyn();
      }
      case ExprKind::kSelect: {
        if (e.test_only) {
          return Type::Of(TypeKind::kBool);
        }
        Type operand = Infer(*e.target);
        if (operand.kind == TypeKind::kMap) {
          return operand.params[1];
        }
        return Type::Dyn();
      }
      case ExprKind::kList: {
        Type elem;
        bool first = true;
        for (const auto& a : e.args) {
          Type t = Infer(*a);
          if (first) {
            elem = t;
            first = false;
          } else if (!(t == elem)) {
            elem = Type::Dyn();
          }
        }
        return Type::List(first ? Type::Dyn() : elem);
      }
      case ExprKind::kMap: {
        Type key;
        Type value;
        bool first = true;
        for (const auto& en : e.entries) {
          Type k = Infer(*en.key);
          Type v = Infer(*en.value);
          if (first) {
            key = k;
            value = v;
            first = false;
          } else {
            key = k == key ? key : Type::Dyn();
            value = v == value ? value : Type::Dyn();
          }
        }
        return Type::Map(first ? Type::Dyn() : key, first ? Type::Dyn() : value);
      }
      case ExprKind::kStruct: {
        Type t = Type::Of(TypeKind::kMessage);
        t.name = e.name;
        return t;
      }
      case ExprKind::kComprehension: {
        Type range = Infer(*e.iter_range);
        Type iter = Type::Dyn();
        if (range.kind == TypeKind::kList) {
          iter = range.params[0];
        } else if (range.kind == TypeKind::kMap) {
          iter = range.params[0];
        }
        Type accu = Infer(*e.accu_init);
        scopes_.emplace_back(e.iter_var, iter);
        scopes_.emplace_back(e.accu_var, accu);
        Type step = Infer(*e.loop_step);
        if (accu.kind == TypeKind::kList && !step.params.empty() && step.kind == TypeKind::kList) {
          scopes_.back().second = step;
        }
        Type result = Infer(*e.result);
        scopes_.resize(scopes_.size() - 2);
        return result;
      }
      case ExprKind::kCall:
        return InferCall(e);
    }
    return Type::Dyn();
  }

 private:
  Type InferCall(const Expr& e) {
    static const std::map<std::string, TypeKind> kFixed = {
        {"_==_", TypeKind::kBool},     {"_!=_", TypeKind::kBool},
        {"_<_", TypeKind::kBool},      {"_<=_", TypeKind::kBool},
        {"_>_", TypeKind::kBool},      {"_>=_", TypeKind::kBool},
        {"_&&_", TypeKind::kBool},     {"_||_", TypeKind::kBool},
        {"!_", TypeKind::kBool},       {"@in", TypeKind::kBool},
        {"@not_strictly_false", TypeKind::kBool},
        {"contains", TypeKind::kBool}, {"startsWith", TypeKind::kBool},
        {"endsWith", TypeKind::kBool}, {"matches", TypeKind::kBool},
        {"size", TypeKind::kInt},      {"int", TypeKind::kInt},
        {"uint", TypeKind::kUint},     {"double", TypeKind::kDouble},
        {"string", TypeKind::kString}, {"bytes", TypeKind::kBytes},
        {"bool", TypeKind::kBool},     {"timestamp", TypeKind::kTimestamp},
        {"duration", TypeKind::kDuration}, {"type", TypeKind::kType},
        {"lowerAscii", TypeKind::kString}, {"upperAscii", TypeKind::kString},
        {"replace", TypeKind::kString}, {"substring", TypeKind::kString},
        {"trim", TypeKind::kString},   {"join", TypeKind::kString},
        {"format", TypeKind::kString}, {"indexOf", TypeKind::kInt},
        {"lastIndexOf", TypeKind::kInt}, {"charAt", TypeKind::kString},
        {"getFullYear", TypeKind::kInt}, {"getMonth", TypeKind::kInt},
        {"getDate", TypeKind::kInt},   {"getDayOfMonth", TypeKind::kInt},
        {"getDayOfWeek", TypeKind::kInt}, {"getDayOfYear", TypeKind::kInt},
        {"getHours", TypeKind::kInt},  {"getMinutes", TypeKind::kInt},
        {"getSeconds", TypeKind::kInt}, {"getMilliseconds", TypeKind::kInt},
        {"hasValue", TypeKind::kBool},
    };
    auto it = kFixed.find(e.name);
    if (it != kFixed.end()) {
      return Type::Of(it->second);
    }
    if (e.name == "_?_:_" && e.args.size() == 3) {
      Type a = Infer(*e.args[1]);
      Type b = Infer(*e.args[2]);
      return a == b ? a : Type::Dyn();
    }
    if ((e.name == "_+_" || e.name == "_-_" || e.name == "_*_" || e.name == "_/_" ||
         e.name == "_%_") &&
        e.args.size() == 2) {
      Type a = Infer(*e.args[0]);
      Type b = Infer(*e.args[1]);
      if (a.kind == TypeKind::kTimestamp && b.kind == TypeKind::kTimestamp) {
        return Type::Of(TypeKind::kDuration);
      }
      if (a.kind == TypeKind::kDuration && b.kind == TypeKind::kTimestamp) {
        return b;
      }
      return a == b ? a : (b.kind == TypeKind::kDyn ? a : Type::Dyn());
    }
    if (e.name == "-_" && e.args.size() == 1) {
      return Infer(*e.args[0]);
    }
    if (e.name == "_[_]" && e.args.size() == 2) {
      Type c = Infer(*e.args[0]);
      if (c.kind == TypeKind::kList) {
        return c.params[0];
      }
      if (c.kind == TypeKind::kMap) {
        return c.params[1];
      }
      return Type::Dyn();
    }
    if (e.name == "split") {
      return Type::List(Type::Of(TypeKind::kString));
    }
    return Type::Dyn();
  }

  const Env& env_;
  std::vector<std::pair<std::string, Type>> scopes_;
};

}  // namespace

Type InferType(const Expr& expr, const Env& env) { return Inference(env).Infer(expr); }

}  // namespace cellar::cel
