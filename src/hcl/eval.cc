// src/hcl/eval.cc: a tree-walking evaluator for constant HCL expressions.
#include "hcl/eval.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

namespace cellar::hcl {
namespace {

// Bounds work on hostile input: nested for expressions multiply.
constexpr long kMaxSteps = 1'000'000;
constexpr size_t kMaxStringBytes = 16u << 20;
// Bounds memory: every copy of a value (a literal, a variable read, an element bound by for)
// is charged by its approximate size.
constexpr size_t kMaxCopiedBytes = 64u << 20;

size_t ApproxSize(const Value& v) {
  size_t n = sizeof(Value) + v.as_string().size();
  for (const Value& item : v.as_list()) {
    n += ApproxSize(item);
  }
  for (const auto& [k, item] : v.as_map()) {
    n += k.size() + ApproxSize(item);
  }
  return n;
}

class Evaluator {
 public:
  Evaluator(Diagnostics& diags, const EvalContext* ctx) : diags_(diags), ctx_(ctx) {}

  std::optional<Value> Eval(const Expr& e) {
    if (++steps_ > kMaxSteps) {
      return Fail(e, "expression too costly to evaluate (more than " + std::to_string(kMaxSteps) +
                         " steps)");
    }
    switch (e.kind) {
      case ExprKind::kInvalid:
        return Fail(e, "cannot evaluate an expression that failed to parse");
      case ExprKind::kNull:
        return Value::Null(e.range);
      case ExprKind::kBool:
        return Value::Bool(e.boolean, e.range);
      case ExprKind::kNumber:
        return Value::Number(e.number, e.range);
      case ExprKind::kString:
        if (!Charge(sizeof(Value) + e.text.size(), e)) {
          return std::nullopt;
        }
        return Value::String(std::string(e.text), e.range);
      case ExprKind::kTemplate:
        return EvalTemplate(e);
      case ExprKind::kTemplateIf:
      case ExprKind::kTemplateFor: {
        std::string out;
        if (!RenderPart(e, out)) {
          return std::nullopt;
        }
        return Value::String(std::move(out), e.range);
      }
      case ExprKind::kVariable:
        return Lookup(e);
      case ExprKind::kGetAttr:
        return EvalGetAttr(e);
      case ExprKind::kIndex:
        return EvalIndex(e);
      case ExprKind::kSplat:
        return EvalSplat(e);
      case ExprKind::kSplatItem:
        if (splat_items_.empty()) {
          return Fail(e, "splat item outside a splat");
        }
        return splat_items_.back();
      case ExprKind::kCall:
        return EvalCall(e);
      case ExprKind::kTuple: {
        Value::List items;
        items.reserve(e.children.size());
        for (const Expr* c : e.children) {
          std::optional<Value> v = Eval(*c);
          if (!v) {
            return std::nullopt;
          }
          items.push_back(std::move(*v));
        }
        return Value::MakeList(std::move(items), e.range);
      }
      case ExprKind::kObject:
        return EvalObject(e);
      case ExprKind::kConditional: {
        std::optional<Value> cond = Eval(*e.children[0]);
        if (!cond) {
          return std::nullopt;
        }
        std::optional<bool> b = ToBool(*cond, *e.children[0], "the condition");
        if (!b) {
          return std::nullopt;
        }
        return Eval(*e.children[*b ? 1 : 2]);
      }
      case ExprKind::kUnary:
        return EvalUnary(e);
      case ExprKind::kBinary:
        return EvalBinary(e);
      case ExprKind::kFor:
        return EvalFor(e);
      case ExprKind::kParens:
        return Eval(*e.children[0]);
    }
    return Fail(e, "unsupported expression");
  }

 private:
  // Returns `v` after charging its size; nullopt (with an error) when the budget is spent.
  std::optional<Value> Charged(const Value& v, const Expr& at) {
    if (!Charge(ApproxSize(v), at)) {
      return std::nullopt;
    }
    return v;
  }
  bool Charge(size_t bytes, const Expr& at) {
    copied_ += bytes;
    if (copied_ > kMaxCopiedBytes) {
      Fail(at, "expression result too large (more than " + std::to_string(kMaxCopiedBytes >> 20) +
                   " MB)");
      return false;
    }
    return true;
  }

  std::optional<Value> Fail(const Expr& e, std::string message) {
    diags_.push_back(Diagnostic{Severity::kError, e.range, std::move(message)});
    return std::nullopt;
  }

  std::optional<bool> ToBool(const Value& v, const Expr& at, const char* what) {
    if (v.is_bool()) {
      return v.as_bool();
    }
    if (v.is_string() && (v.as_string() == "true" || v.as_string() == "false")) {
      return v.as_string() == "true";
    }
    Fail(at, std::string(what) + " must be a bool, not " + std::string(KindName(v.kind())));
    return std::nullopt;
  }

  std::optional<double> ToNumber(const Value& v, const Expr& at) {
    if (v.is_number()) {
      return v.as_number();
    }
    if (v.is_string()) {
      const std::string& s = v.as_string();
      double d;
      auto r = std::from_chars(s.data(), s.data() + s.size(), d);
      if (r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty()) {
        return d;
      }
    }
    Fail(at, "a number is required, not " + std::string(KindName(v.kind())) +
                 (v.is_string() ? " \"" + v.as_string() + "\"" : ""));
    return std::nullopt;
  }

  bool ToText(const Value& v, const Expr& at, std::string& out) {
    switch (v.kind()) {
      case Value::Kind::kString:
        out += v.as_string();
        break;
      case Value::Kind::kNumber:
        out += FormatNumber(v.as_number());
        break;
      case Value::Kind::kBool:
        out += v.as_bool() ? "true" : "false";
        break;
      case Value::Kind::kNull:
        Fail(at, "cannot include a null value in a string template");
        return false;
      default:
        Fail(at, "cannot include a " + std::string(KindName(v.kind())) +
                     " in a string template; only strings, numbers and bools");
        return false;
    }
    if (out.size() > kMaxStringBytes) {
      Fail(at, "string result too large");
      return false;
    }
    return true;
  }

  std::optional<Value> EvalTemplate(const Expr& e) {
    // "${x}" alone yields x's value unconverted, as HCL does.
    if (e.children.size() == 1) {
      ExprKind k = e.children[0]->kind;
      if (k != ExprKind::kString && k != ExprKind::kTemplateIf && k != ExprKind::kTemplateFor) {
        return Eval(*e.children[0]);
      }
    }
    std::string out;
    for (const Expr* part : e.children) {
      if (!RenderPart(*part, out)) {
        return std::nullopt;
      }
    }
    return Value::String(std::move(out), e.range);
  }

  bool RenderTemplate(const Expr* t, std::string& out) {
    if (t == nullptr) {
      return true;
    }
    if (t->kind != ExprKind::kTemplate) {
      return RenderPart(*t, out);
    }
    for (const Expr* part : t->children) {
      if (!RenderPart(*part, out)) {
        return false;
      }
    }
    return true;
  }

  bool RenderPart(const Expr& part, std::string& out) {
    if (part.kind == ExprKind::kString) {
      out += part.text;
      return out.size() <= kMaxStringBytes || !Fail(part, "string result too large");
    }
    if (part.kind == ExprKind::kTemplateIf) {
      std::optional<Value> cond = Eval(*part.children[0]);
      if (!cond) {
        return false;
      }
      std::optional<bool> b = ToBool(*cond, *part.children[0], "the %{ if } condition");
      if (!b) {
        return false;
      }
      return RenderTemplate(*b ? part.children[1] : part.children[2], out);
    }
    if (part.kind == ExprKind::kTemplateFor) {
      std::optional<Value> coll = Eval(*part.children[0]);
      if (!coll) {
        return false;
      }
      return ForEach(*coll, part, [&]() { return RenderTemplate(part.children[1], out); });
    }
    std::optional<Value> v = Eval(part);
    return v && ToText(*v, part, out);
  }

  // Runs `body` once per element of a list or map with the for variables bound.
  template <typename F>
  bool ForEach(const Value& coll, const Expr& e, F body) {
    if (!coll.is_list() && !coll.is_map()) {
      Fail(*e.children[0],
           "a for expression needs a list or map, not " + std::string(KindName(coll.kind())));
      return false;
    }
    size_t mark = scopes_.size();
    scopes_.push_back({e.key_var, Value()});
    scopes_.push_back({e.value_var, Value()});
    bool ok = true;
    if (coll.is_list()) {
      for (size_t i = 0; ok && i < coll.as_list().size(); ++i) {
        scopes_[mark].second = Value::Number(static_cast<double>(i));
        if (!Charge(ApproxSize(coll.as_list()[i]), e)) {
          ok = false;
          break;
        }
        scopes_[mark + 1].second = coll.as_list()[i];
        ok = body();
      }
    } else {
      for (size_t i = 0; ok && i < coll.as_map().size(); ++i) {
        scopes_[mark].second = Value::String(coll.as_map()[i].first);
        if (!Charge(ApproxSize(coll.as_map()[i].second), e)) {
          ok = false;
          break;
        }
        scopes_[mark + 1].second = coll.as_map()[i].second;
        ok = body();
      }
    }
    scopes_.resize(mark);
    return ok;
  }

  std::optional<Value> Lookup(const Expr& e) {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
      if (!it->first.empty() && it->first == e.text) {
        return Charged(it->second, e);
      }
    }
    if (ctx_ != nullptr) {
      auto it = ctx_->variables.find(e.text);
      if (it != ctx_->variables.end()) {
        return Charged(it->second, e);
      }
    }
    return Fail(e, "unknown variable \"" + std::string(e.text) +
                       "\"; only constant expressions are allowed here");
  }

  std::optional<Value> EvalGetAttr(const Expr& e) {
    std::optional<Value> obj = Eval(*e.children[0]);
    if (!obj) {
      return std::nullopt;
    }
    if (!obj->is_map()) {
      return Fail(e, "cannot get attribute \"" + std::string(e.text) + "\" of a " +
                         std::string(KindName(obj->kind())));
    }
    const Value* v = obj->Find(e.text);
    if (v == nullptr) {
      return Fail(e, "map has no attribute \"" + std::string(e.text) + "\"");
    }
    return Charged(*v, e);
  }

  std::optional<Value> EvalIndex(const Expr& e) {
    std::optional<Value> coll = Eval(*e.children[0]);
    if (!coll) {
      return std::nullopt;
    }
    std::optional<Value> key = Eval(*e.children[1]);
    if (!key) {
      return std::nullopt;
    }
    if (coll->is_list()) {
      std::optional<double> n = ToNumber(*key, *e.children[1]);
      if (!n) {
        return std::nullopt;
      }
      if (*n != std::floor(*n) || *n < 0 || *n >= static_cast<double>(coll->as_list().size())) {
        return Fail(e, "index " + FormatNumber(*n) + " out of range for a list of " +
                           std::to_string(coll->as_list().size()));
      }
      return Charged(coll->as_list()[static_cast<size_t>(*n)], e);
    }
    if (coll->is_map()) {
      std::string k;
      if (!ToText(*key, *e.children[1], k)) {
        return std::nullopt;
      }
      const Value* v = coll->Find(k);
      if (v == nullptr) {
        return Fail(e, "map has no key \"" + k + "\"");
      }
      return Charged(*v, e);
    }
    return Fail(e, "cannot index a " + std::string(KindName(coll->kind())));
  }

  std::optional<Value> EvalSplat(const Expr& e) {
    std::optional<Value> src = Eval(*e.children[0]);
    if (!src) {
      return std::nullopt;
    }
    if (src->is_null()) {
      return Value::MakeList({}, e.range);
    }
    Value::List in;
    if (src->is_list()) {
      in = src->as_list();
    } else {
      in.push_back(*src);  // a single value splats as a one-element list
    }
    Value::List out;
    for (Value& item : in) {
      if (!Charge(ApproxSize(item), e)) {
        return std::nullopt;
      }
      splat_items_.push_back(std::move(item));
      std::optional<Value> v = Eval(*e.children[1]);
      splat_items_.pop_back();
      if (!v) {
        return std::nullopt;
      }
      out.push_back(std::move(*v));
    }
    return Value::MakeList(std::move(out), e.range);
  }

  std::optional<Value> EvalObject(const Expr& e) {
    Value::Map entries;
    std::unordered_map<std::string, size_t> index;  // key -> position, so big objects stay linear
    for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
      std::optional<Value> k = Eval(*e.children[i]);
      if (!k) {
        return std::nullopt;
      }
      std::string key;
      if (!ToText(*k, *e.children[i], key)) {
        return std::nullopt;
      }
      if (!index.emplace(key, entries.size()).second) {
        return Fail(*e.children[i], "duplicate object key \"" + key + "\"");
      }
      std::optional<Value> v = Eval(*e.children[i + 1]);
      if (!v) {
        return std::nullopt;
      }
      entries.emplace_back(std::move(key), std::move(*v));
    }
    return Value::MakeMap(std::move(entries), e.range);
  }

  std::optional<Value> EvalUnary(const Expr& e) {
    std::optional<Value> v = Eval(*e.children[0]);
    if (!v) {
      return std::nullopt;
    }
    if (e.op == Op::kNot) {
      std::optional<bool> b = ToBool(*v, *e.children[0], "the operand of !");
      if (!b) {
        return std::nullopt;
      }
      return Value::Bool(!*b, e.range);
    }
    std::optional<double> n = ToNumber(*v, *e.children[0]);
    if (!n) {
      return std::nullopt;
    }
    return Value::Number(-*n, e.range);
  }

  std::optional<Value> EvalBinary(const Expr& e) {
    const Expr& l = *e.children[0];
    const Expr& r = *e.children[1];
    std::optional<Value> lv = Eval(l);
    if (!lv) {
      return std::nullopt;
    }
    if (e.op == Op::kAnd || e.op == Op::kOr) {
      std::optional<bool> a = ToBool(*lv, l, "an operand of && and ||");
      if (!a) {
        return std::nullopt;
      }
      if ((e.op == Op::kAnd && !*a) || (e.op == Op::kOr && *a)) {
        return Value::Bool(*a, e.range);
      }
      std::optional<Value> rv = Eval(r);
      if (!rv) {
        return std::nullopt;
      }
      std::optional<bool> b = ToBool(*rv, r, "an operand of && and ||");
      if (!b) {
        return std::nullopt;
      }
      return Value::Bool(*b, e.range);
    }
    std::optional<Value> rv = Eval(r);
    if (!rv) {
      return std::nullopt;
    }
    if (e.op == Op::kEq || e.op == Op::kNe) {
      bool eq = *lv == *rv;
      return Value::Bool(e.op == Op::kEq ? eq : !eq, e.range);
    }
    std::optional<double> a = ToNumber(*lv, l);
    if (!a) {
      return std::nullopt;
    }
    std::optional<double> b = ToNumber(*rv, r);
    if (!b) {
      return std::nullopt;
    }
    switch (e.op) {
      case Op::kAdd:
        return Value::Number(*a + *b, e.range);
      case Op::kSub:
        return Value::Number(*a - *b, e.range);
      case Op::kMul:
        return Value::Number(*a * *b, e.range);
      case Op::kDiv:
        if (*b == 0) {
          return Fail(e, "division by zero");
        }
        return Value::Number(*a / *b, e.range);
      case Op::kMod:
        if (*b == 0) {
          return Fail(e, "modulo by zero");
        }
        return Value::Number(std::fmod(*a, *b), e.range);
      case Op::kLt:
        return Value::Bool(*a < *b, e.range);
      case Op::kLe:
        return Value::Bool(*a <= *b, e.range);
      case Op::kGt:
        return Value::Bool(*a > *b, e.range);
      case Op::kGe:
        return Value::Bool(*a >= *b, e.range);
      default:
        return Fail(e, "unsupported operator");
    }
  }

  std::optional<Value> EvalFor(const Expr& e) {
    std::optional<Value> coll = Eval(*e.children[0]);
    if (!coll) {
      return std::nullopt;
    }
    const Expr* key_expr = e.children[1];
    const Expr* value_expr = e.children[2];
    const Expr* cond_expr = e.children[3];
    bool object = e.has(kFlagObjectFor);
    bool grouping = e.has(kFlagGrouping);
    Value::List list;
    Value::Map map;
    std::unordered_map<std::string, size_t> index;  // key -> position in map
    bool ok = ForEach(*coll, e, [&]() -> bool {
      if (cond_expr != nullptr) {
        std::optional<Value> c = Eval(*cond_expr);
        if (!c) {
          return false;
        }
        std::optional<bool> keep = ToBool(*c, *cond_expr, "the for condition");
        if (!keep) {
          return false;
        }
        if (!*keep) {
          return true;
        }
      }
      std::optional<Value> v = Eval(*value_expr);
      if (!v) {
        return false;
      }
      if (!object) {
        list.push_back(std::move(*v));
        return true;
      }
      std::optional<Value> k = Eval(*key_expr);
      if (!k) {
        return false;
      }
      std::string key;
      if (!ToText(*k, *key_expr, key)) {
        return false;
      }
      if (auto it = index.find(key); it != index.end()) {
        if (!grouping) {
          Fail(*key_expr, "duplicate key \"" + key +
                              "\" in for expression; add \"...\" after the value to group");
          return false;
        }
        map[it->second].second.mutable_list().push_back(std::move(*v));
        return true;
      }
      index.emplace(key, map.size());
      if (grouping) {
        Value::List group;
        group.push_back(std::move(*v));
        map.emplace_back(std::move(key), Value::MakeList(std::move(group), e.range));
      } else {
        map.emplace_back(std::move(key), std::move(*v));
      }
      return true;
    });
    if (!ok) {
      return std::nullopt;
    }
    if (object) {
      return Value::MakeMap(std::move(map), e.range);
    }
    return Value::MakeList(std::move(list), e.range);
  }

  std::optional<Value> EvalCall(const Expr& e) {
    std::vector<Value> args;
    for (size_t i = 0; i < e.children.size(); ++i) {
      std::optional<Value> v = Eval(*e.children[i]);
      if (!v) {
        return std::nullopt;
      }
      if (i + 1 == e.children.size() && e.has(kFlagExpandFinal)) {
        if (!v->is_list()) {
          return Fail(*e.children[i], "the argument before \"...\" must be a list");
        }
        for (const Value& item : v->as_list()) {
          args.push_back(item);
        }
      } else {
        args.push_back(std::move(*v));
      }
    }
    return CallFunction(e, args);
  }

  std::optional<Value> ArgCount(const Expr& e, const std::vector<Value>& args, size_t n) {
    return Fail(e, "function \"" + std::string(e.text) + "\" takes " + std::to_string(n) +
                       " argument" + (n == 1 ? "" : "s") + ", got " + std::to_string(args.size()));
  }

  std::optional<Value> CallFunction(const Expr& e, std::vector<Value>& args) {
    std::string_view name = e.text;
    const Range& r = e.range;
    if (name == "length") {
      if (args.size() != 1) {
        return ArgCount(e, args, 1);
      }
      const Value& v = args[0];
      if (v.is_list()) {
        return Value::Number(static_cast<double>(v.as_list().size()), r);
      }
      if (v.is_map()) {
        return Value::Number(static_cast<double>(v.as_map().size()), r);
      }
      if (v.is_string()) {
        size_t n = 0;
        for (unsigned char c : v.as_string()) {
          n += (c & 0xC0) != 0x80;
        }
        return Value::Number(static_cast<double>(n), r);
      }
      return Fail(e, "length() needs a list, map or string");
    }
    if (name == "upper" || name == "lower") {
      if (args.size() != 1) {
        return ArgCount(e, args, 1);
      }
      if (!args[0].is_string()) {
        return Fail(e, std::string(name) + "() needs a string");
      }
      std::string s = args[0].as_string();
      for (char& c : s) {
        if (name == "upper" && c >= 'a' && c <= 'z') {
          c = static_cast<char>(c - 32);
        } else if (name == "lower" && c >= 'A' && c <= 'Z') {
          c = static_cast<char>(c + 32);
        }
      }
      return Value::String(std::move(s), r);
    }
    if (name == "join") {
      if (args.size() != 2) {
        return ArgCount(e, args, 2);
      }
      if (!args[0].is_string() || !args[1].is_list()) {
        return Fail(e, "join() needs a separator string and a list");
      }
      std::string out;
      for (size_t i = 0; i < args[1].as_list().size(); ++i) {
        if (i > 0) {
          out += args[0].as_string();
        }
        if (!ToText(args[1].as_list()[i], e, out)) {
          return std::nullopt;
        }
      }
      return Value::String(std::move(out), r);
    }
    if (name == "concat") {
      Value::List out;
      for (const Value& a : args) {
        if (!a.is_list()) {
          return Fail(e, "concat() needs lists");
        }
        out.insert(out.end(), a.as_list().begin(), a.as_list().end());
      }
      return Value::MakeList(std::move(out), r);
    }
    if (name == "keys" || name == "values") {
      if (args.size() != 1) {
        return ArgCount(e, args, 1);
      }
      if (!args[0].is_map()) {
        return Fail(e, std::string(name) + "() needs a map");
      }
      Value::List out;
      for (const auto& [k, v] : args[0].as_map()) {
        out.push_back(name == "keys" ? Value::String(k) : v);
      }
      return Value::MakeList(std::move(out), r);
    }
    if (name == "contains") {
      if (args.size() != 2) {
        return ArgCount(e, args, 2);
      }
      if (!args[0].is_list()) {
        return Fail(e, "contains() needs a list first");
      }
      const auto& l = args[0].as_list();
      return Value::Bool(std::find(l.begin(), l.end(), args[1]) != l.end(), r);
    }
    if (name == "tostring") {
      if (args.size() != 1) {
        return ArgCount(e, args, 1);
      }
      std::string out;
      if (!ToText(args[0], e, out)) {
        return std::nullopt;
      }
      return Value::String(std::move(out), r);
    }
    if (name == "tonumber") {
      if (args.size() != 1) {
        return ArgCount(e, args, 1);
      }
      std::optional<double> n = ToNumber(args[0], e);
      if (!n) {
        return std::nullopt;
      }
      return Value::Number(*n, r);
    }
    if (name == "min" || name == "max") {
      if (args.empty()) {
        return Fail(e, std::string(name) + "() needs at least one number");
      }
      double best = 0;
      for (size_t i = 0; i < args.size(); ++i) {
        std::optional<double> n = ToNumber(args[i], e);
        if (!n) {
          return std::nullopt;
        }
        if (i == 0 || (name == "min" ? *n < best : *n > best)) {
          best = *n;
        }
      }
      return Value::Number(best, r);
    }
    if (name == "abs") {
      if (args.size() != 1) {
        return ArgCount(e, args, 1);
      }
      std::optional<double> n = ToNumber(args[0], e);
      if (!n) {
        return std::nullopt;
      }
      return Value::Number(std::fabs(*n), r);
    }
    return Fail(e, "unknown function \"" + std::string(name) + "\"");
  }

  Diagnostics& diags_;
  const EvalContext* ctx_;
  std::vector<std::pair<std::string_view, Value>> scopes_;
  std::vector<Value> splat_items_;
  long steps_ = 0;
  size_t copied_ = 0;
};

}  // namespace

std::optional<Value> Evaluate(const Expr& expr, Diagnostics& diags, const EvalContext* context) {
  Evaluator ev(diags, context);
  return ev.Eval(expr);
}

}  // namespace cellar::hcl
