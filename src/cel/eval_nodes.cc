// src/cel/eval_nodes.cc: the node types of an evaluation plan and the per-call Frame.
#include "cel/eval_nodes.h"

#include <algorithm>
#include <cmath>

namespace cellar::cel {

void Frame::Reshape(size_t num_vars, size_t num_slots) {
  if (vars_.size() < num_vars) {
    vars_.resize(num_vars);
  }
  if (slots.size() != num_slots) {
    slots.assign(num_slots, Value());
    iter_vars.assign(num_slots, nullptr);
  }
  abort_ = OkStatus();
}

void Frame::SetFastLimit() {
  fast_limit_ = !abort_.ok()    ? INT64_MIN
                : has_deadline_ ? std::min(budget_, next_deadline_check_ - 1)
                                : budget_;
}

bool Frame::ChargeSlow() {
  if (cost_ > budget_) {
    Abort(ResourceExhaustedError("CEL evaluation exceeded its cost budget of " +
                                 std::to_string(budget_)));
    return false;
  }
  if (has_deadline_ && cost_ >= next_deadline_check_) {
    next_deadline_check_ = cost_ + 1024;
    auto now = std::chrono::steady_clock::now();
    if (!deadline_set_) {
      deadline_set_ = true;
      deadline_ = now + timeout_;
    } else if (now > deadline_) {
      Abort(DeadlineExceededError("CEL evaluation exceeded its time limit"));
      return false;
    }
  }
  SetFastLimit();
  return abort_.ok();
}

namespace {
const Value kNotLookedUpMarker;
}  // namespace
const Value* const Frame::kNotLookedUp = &kNotLookedUpMarker;

Value MergeUnknowns(const Value& a, const Value& b) {
  std::vector<int64_t> ids = a.unknown().expr_ids;
  for (int64_t id : b.unknown().expr_ids) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) {
      ids.push_back(id);
    }
  }
  return Value::Unknown(std::move(ids));
}

Value SelectField(const Value& operand, const std::string& field) {
  switch (operand.kind()) {
    case Kind::kMap: {
      const Value* v = operand.map_value().FindString(field);
      if (v == nullptr) {
        return Value::Error(StatusCode::kNotFound, "no such key: '" + field + "'");
      }
      return *v;
    }
    case Kind::kMessage:
      return operand.message_value().GetField(field);
    case Kind::kError:
    case Kind::kUnknown:
      return operand;
    default:
      return Value::Error("type '" + operand.TypeName() + "' does not support field selection");
  }
}

namespace {

// After looking up `*found` inside a container that EvalRef returned with scratch `tmp`: a
// reference that stays valid once `tmp` goes away. `tmp` is moved to `out` even when the container
// is not `tmp` itself, because it may lie inside `tmp` (`{'a': {'b': x}}.a.b`: the
// inner map is owned by the literal the first select kept in its scratch).
const Value& KeepInside(Value& tmp, const Value* found, Value& out) {
  out = std::move(tmp);
  return *found;
}

class ConstNode final : public Node {
 public:
  explicit ConstNode(Value v) : v_(std::move(v)) {}
  Value Eval(Frame&) const override { return v_; }
  const Value& EvalRef(Frame&, Value&) const override { return v_; }
  const Value* constant() const override { return &v_; }

 private:
  Value v_;
};

class SlotNode final : public Node {
 public:
  explicit SlotNode(int slot) : slot_(slot) {}
  Value Eval(Frame& f) const override { return f.slots[slot_]; }
  const Value& EvalRef(Frame& f, Value&) const override { return f.slots[slot_]; }

 private:
  int slot_;
};

class IterVarNode final : public Node {
 public:
  explicit IterVarNode(int slot) : slot_(slot) {}
  Value Eval(Frame& f) const override { return *f.iter_vars[slot_]; }
  const Value& EvalRef(Frame& f, Value&) const override { return *f.iter_vars[slot_]; }

 private:
  int slot_;
};

class NameNode final : public Node {
 public:
  NameNode(std::vector<NameCandidate> c, std::optional<Value> fallback, std::string error)
      : candidates_(std::move(c)), fallback_(std::move(fallback)), error_(std::move(error)) {
    for (NameCandidate& candidate : candidates_) {
      candidate.var_hash = MapRep::HashText(candidate.var_name);
      candidate.field_hashes.clear();
      for (const std::string& field : candidate.fields) {
        candidate.field_hashes.push_back(MapRep::HashText(field));
      }
    }
  }
  Value Eval(Frame& f) const override {
    Value scratch;
    return Own(EvalRef(f, scratch), scratch);
  }
  const Value& EvalRef(Frame& f, Value& scratch) const override {
    for (const NameCandidate& c : candidates_) {
      const Value* v = f.Var(c.var_index, c.var_name, c.var_hash);
      if (v == nullptr) {
        continue;
      }
      for (size_t i = 0; i < c.fields.size(); ++i) {
        // Map entries of a bound variable live as long as the activation: point at them.
        if (v->kind() == Kind::kMap) {
          if (const Value* next = v->map_value().FindString(c.fields[i], c.field_hashes[i])) {
            v = next;
            continue;
          }
        }
        scratch = SelectField(*v, c.fields[i]);
        for (++i; i < c.fields.size(); ++i) {
          scratch = SelectField(scratch, c.fields[i]);
        }
        return scratch;
      }
      return *v;
    }
    if (fallback_) {
      return *fallback_;
    }
    scratch = Value::Error(StatusCode::kNotFound, error_);
    return scratch;
  }

 private:
  std::vector<NameCandidate> candidates_;
  std::optional<Value> fallback_;
  std::string error_;
};

class SelectNode final : public Node {
 public:
  SelectNode(NodePtr operand, std::string field, bool test_only)
      : operand_(std::move(operand)),
        field_(std::move(field)),
        hash_(MapRep::HashText(field_)),
        test_only_(test_only) {}
  Value Eval(Frame& f) const override {
    Value tmp;
    return Finish(operand_->EvalRef(f, tmp));
  }
  int EvalBool(Frame& f, Value& other) const override {
    if (test_only_) {
      Value tmp;
      const Value& v = operand_->EvalRef(f, tmp);
      if (v.kind() == Kind::kMap) {
        return v.map_value().FindString(field_, hash_) != nullptr ? 1 : 0;
      }
      other = Finish(v);
    } else {
      other = Eval(f);
    }
    if (other.kind() == Kind::kBool) {
      return other.bool_value() ? 1 : 0;
    }
    return -1;
  }
  const Value& EvalRef(Frame& f, Value& scratch) const override {
    Value tmp;
    const Value& v = operand_->EvalRef(f, tmp);
    if (!test_only_ && v.kind() == Kind::kMap) {
      if (const Value* found = v.map_value().FindString(field_, hash_)) {
        return KeepInside(tmp, found, scratch);
      }
    }
    scratch = Finish(v);
    return scratch;
  }

 private:
  Value Finish(const Value& v) const {
    if (!test_only_) {
      if (v.kind() == Kind::kOptional) {
        // Selection on an optional propagates: opt.field is optional too.
        if (!v.optional_has_value()) {
          return v;
        }
        return OptionalSelect(v.optional_value());
      }
      return SelectField(v, field_);
    }
    switch (v.kind()) {
      case Kind::kMap:
        return Value::Bool(v.map_value().FindString(field_, hash_) != nullptr);
      case Kind::kMessage:
        return v.message_value().HasField(field_);
      case Kind::kOptional:
        if (!v.optional_has_value()) {
          return Value::Bool(false);
        }
        if (v.optional_value().kind() == Kind::kMap) {
          return Value::Bool(v.optional_value().map_value().FindString(field_) != nullptr);
        }
        if (v.optional_value().kind() == Kind::kMessage) {
          return v.optional_value().message_value().HasField(field_);
        }
        return NoMatchingOverload("has");
      case Kind::kError:
      case Kind::kUnknown:
        return v;
      default:
        return Value::Error("invalid type for field selection: " + v.TypeName());
    }
  }

  Value OptionalSelect(const Value& inner) const {
    if (inner.kind() == Kind::kMap) {
      const Value* found = inner.map_value().FindString(field_);
      return found != nullptr ? Value::Optional(*found) : Value::OptionalNone();
    }
    if (inner.kind() == Kind::kMessage) {
      Value has = inner.message_value().HasField(field_);
      if (has.kind() == Kind::kBool && !has.bool_value()) {
        return Value::OptionalNone();
      }
      return Value::Optional(inner.message_value().GetField(field_));
    }
    return SelectField(inner, field_);
  }

  NodePtr operand_;
  std::string field_;
  uint64_t hash_;
  bool test_only_;
};

// a.?b: optional.of(a.b) when present, optional.none() otherwise.
class OptSelectNode final : public Node {
 public:
  OptSelectNode(NodePtr operand, std::string field)
      : operand_(std::move(operand)), field_(std::move(field)) {}
  Value Eval(Frame& f) const override {
    Value v = operand_->Eval(f);
    if (v.kind() == Kind::kOptional) {
      if (!v.optional_has_value()) {
        return v;
      }
      v = v.optional_value();
    }
    switch (v.kind()) {
      case Kind::kMap: {
        const Value* found = v.map_value().FindString(field_);
        return found != nullptr ? Value::Optional(*found) : Value::OptionalNone();
      }
      case Kind::kMessage: {
        Value has = v.message_value().HasField(field_);
        if (has.is_error()) {
          return has;
        }
        if (!has.bool_value()) {
          return Value::OptionalNone();
        }
        return Value::Optional(v.message_value().GetField(field_));
      }
      case Kind::kError:
      case Kind::kUnknown:
        return v;
      default:
        return NoMatchingOverload("_?._");
    }
  }

 private:
  NodePtr operand_;
  std::string field_;
};

// Converts an index value to a list position; false when it is not an integral number.
bool ListIndex(const Value& index, int64_t* out) {
  switch (index.kind()) {
    case Kind::kInt:
      *out = index.int_value();
      return true;
    case Kind::kUint:
      if (index.uint_value() > static_cast<uint64_t>(INT64_MAX)) {
        *out = INT64_MAX;
      } else {
        *out = static_cast<int64_t>(index.uint_value());
      }
      return true;
    case Kind::kDouble: {
      double d = index.double_value();
      if (d != std::trunc(d) || std::fabs(d) > 9.0e18) {
        return false;
      }
      *out = static_cast<int64_t>(d);
      return true;
    }
    default:
      return false;
  }
}

Value IndexValue(const Value& c, const Value& index, bool optional) {
  if (c.kind() == Kind::kList) {
    int64_t i = 0;
    if (!ListIndex(index, &i)) {
      return NoMatchingOverload("_[_]");
    }
    const auto& elems = c.list_elems();
    if (i < 0 || i >= static_cast<int64_t>(elems.size())) {
      if (optional) {
        return Value::OptionalNone();
      }
      return Value::Error(StatusCode::kNotFound, "index out of bounds: " + std::to_string(i));
    }
    return optional ? Value::Optional(elems[i]) : elems[i];
  }
  if (c.kind() == Kind::kMap) {
    if (!IsValidMapKey(index) && index.kind() != Kind::kDouble) {
      return Value::Error("unsupported key type: " + index.TypeName());
    }
    const Value* v = c.map_value().Find(index);
    if (v == nullptr) {
      if (optional) {
        return Value::OptionalNone();
      }
      return Value::Error(StatusCode::kNotFound, "no such key: " + index.DebugString());
    }
    return optional ? Value::Optional(*v) : *v;
  }
  if (c.kind() == Kind::kMessage && index.kind() == Kind::kString) {
    Value has = c.message_value().HasField(index.string_value());
    if (optional) {
      if (has.kind() == Kind::kBool && !has.bool_value()) {
        return Value::OptionalNone();
      }
      return Value::Optional(c.message_value().GetField(index.string_value()));
    }
    return c.message_value().GetField(index.string_value());
  }
  return NoMatchingOverload(optional ? "_[?_]" : "_[_]");
}

class IndexNode final : public Node {
 public:
  IndexNode(NodePtr operand, NodePtr index, bool optional)
      : operand_(std::move(operand)), index_(std::move(index)), optional_(optional) {
    const Value* key = index_->constant();
    if (key != nullptr && key->kind() == Kind::kString) {
      const_key_hash_ = MapRep::HashText(key->string_value());
    }
  }
  Value Eval(Frame& f) const override {
    Value tc;
    Value ti;
    const Value& c = operand_->EvalRef(f, tc);
    return Finish(c, index_->EvalRef(f, ti));
  }
  const Value& EvalRef(Frame& f, Value& scratch) const override {
    Value tc;
    Value ti;
    const Value& c = operand_->EvalRef(f, tc);
    const Value& i = index_->EvalRef(f, ti);
    if (!optional_) {
      const Value* found = nullptr;
      if (c.kind() == Kind::kList && i.kind() == Kind::kInt) {
        const auto& elems = c.list_elems();
        if (i.int_value() >= 0 && i.int_value() < static_cast<int64_t>(elems.size())) {
          found = &elems[i.int_value()];
        }
      } else if (c.kind() == Kind::kMap && const_key_hash_ != 0) {
        found = c.map_value().FindString(i.string_value(), const_key_hash_);
      } else if (c.kind() == Kind::kMap && IsValidMapKey(i)) {
        found = c.map_value().Find(i);
      }
      if (found != nullptr) {
        return KeepInside(tc, found, scratch);
      }
    }
    scratch = Finish(c, i);
    return scratch;
  }

 private:
  Value Finish(const Value& c, const Value& i) const {
    if (c.is_unknown() && i.is_unknown()) {
      return MergeUnknowns(c, i);
    }
    if (c.is_error_or_unknown()) {
      return c;
    }
    if (i.is_error_or_unknown()) {
      return i;
    }
    if (c.kind() == Kind::kOptional) {
      if (!c.optional_has_value()) {
        return c;
      }
      return IndexValue(c.optional_value(), i, true);
    }
    return IndexValue(c, i, optional_);
  }

  NodePtr operand_;
  NodePtr index_;
  bool optional_;
  uint64_t const_key_hash_ = 0;  // for a constant string key (string hashes are odd)
};

}  // namespace

// Logical operators are commutative over errors and unknowns: false && error is false in
// either order; unknown wins over error.
Value CombineLogical(const Value& a, const Value& b, const char* fn) {
  if (a.is_unknown() && b.is_unknown()) {
    return MergeUnknowns(a, b);
  }
  if (a.is_unknown()) {
    return a;
  }
  if (b.is_unknown()) {
    return b;
  }
  if (a.is_error()) {
    return a;
  }
  if (b.is_error()) {
    return b;
  }
  return NoMatchingOverload(fn);
}

const Value* EvalRange(const Node& range_node, Frame& f, Value& tmp, Value* error) {
  const Value& range = range_node.EvalRef(f, tmp);
  if (range.is_error_or_unknown()) {
    *error = range;
    return nullptr;
  }
  if (range.kind() != Kind::kList && range.kind() != Kind::kMap) {
    *error = Value::Error("expression of type '" + range.TypeName() +
                          "' cannot be the range of a comprehension (must be list, map, or "
                          "dynamic)");
    return nullptr;
  }
  return &range;
}

namespace {

// `a && b` and `a || b` (`absorbing` false for &&, true for ||): the absorbing value on either
// side decides; otherwise errors and unknowns combine commutatively.
class LogicalNode final : public Node {
 public:
  LogicalNode(NodePtr a, NodePtr b, bool absorbing)
      : a_(std::move(a)), b_(std::move(b)), absorbing_(absorbing ? 1 : 0) {}
  Value Eval(Frame& f) const override {
    Value other;
    int r = EvalBool(f, other);
    return BoolValue(r, other);
  }
  int EvalBool(Frame& f, Value& other) const override {
    const char* fn = absorbing_ != 0 ? "_||_" : "_&&_";
    int a = a_->EvalBool(f, other);
    if (a == absorbing_) {
      return a;
    }
    if (a >= 0) {
      int b = b_->EvalBool(f, other);
      if (b < 0 && !other.is_error_or_unknown()) {
        other = NoMatchingOverload(fn);
      }
      return b;
    }
    Value b_other;
    int b = b_->EvalBool(f, b_other);
    if (b == absorbing_) {
      return b;
    }
    other = CombineLogical(other, b >= 0 ? Value::Bool(b != 0) : b_other, fn);
    return -1;
  }

 private:
  NodePtr a_;
  NodePtr b_;
  int absorbing_;
};

class NotNode final : public Node {
 public:
  explicit NotNode(NodePtr a) : a_(std::move(a)) {}
  Value Eval(Frame& f) const override {
    Value other;
    int r = EvalBool(f, other);
    return BoolValue(r, other);
  }
  int EvalBool(Frame& f, Value& other) const override {
    int a = a_->EvalBool(f, other);
    if (a >= 0) {
      return 1 - a;
    }
    if (!other.is_error_or_unknown()) {
      other = NoMatchingOverload("!_");
    }
    return -1;
  }

 private:
  NodePtr a_;
};

class TernaryNode final : public Node {
 public:
  TernaryNode(NodePtr c, NodePtr a, NodePtr b)
      : c_(std::move(c)), a_(std::move(a)), b_(std::move(b)) {}
  Value Eval(Frame& f) const override {
    Value scratch;
    return Own(EvalRef(f, scratch), scratch);
  }
  const Value& EvalRef(Frame& f, Value& scratch) const override {
    int c = c_->EvalBool(f, scratch);
    if (c >= 0) {
      return c != 0 ? a_->EvalRef(f, scratch) : b_->EvalRef(f, scratch);
    }
    if (!scratch.is_error_or_unknown()) {
      scratch = NoMatchingOverload("_?_:_");
    }
    return scratch;
  }
  int EvalBool(Frame& f, Value& other) const override {
    int c = c_->EvalBool(f, other);
    if (c >= 0) {
      return c != 0 ? a_->EvalBool(f, other) : b_->EvalBool(f, other);
    }
    if (!other.is_error_or_unknown()) {
      other = NoMatchingOverload("_?_:_");
    }
    return -1;
  }

 private:
  NodePtr c_;
  NodePtr a_;
  NodePtr b_;
};

class NotStrictlyFalseNode final : public Node {
 public:
  explicit NotStrictlyFalseNode(NodePtr a) : a_(std::move(a)) {}
  Value Eval(Frame& f) const override {
    Value other;
    return Value::Bool(EvalBool(f, other) != 0);
  }
  int EvalBool(Frame& f, Value& other) const override {
    return a_->EvalBool(f, other) != 0 ? 1 : 0;
  }

 private:
  NodePtr a_;
};

bool KindsMatch(const Overload& o, const Value* args, size_t n) {
  if (o.variadic) {
    return true;
  }
  for (size_t i = 0; i < n; ++i) {
    Kind want = o.arg_kinds[i];
    if (want != kAnyKind && want != args[i].kind()) {
      return false;
    }
  }
  return true;
}

// The first argument that makes a strict call fail: the first error or unknown, with later
// unknowns taking precedence over errors and several unknowns merged.
Value StrictFailure(const Value* const* args, size_t n) {
  const Value* bad = nullptr;
  for (size_t i = 0; i < n; ++i) {
    if (!args[i]->is_error_or_unknown()) {
      continue;
    }
    if (bad == nullptr) {
      bad = args[i];
    } else if (args[i]->is_unknown()) {
      if (bad->is_unknown()) {
        Value out;
        bool have = false;
        for (size_t j = 0; j < n; ++j) {
          if (args[j]->is_unknown()) {
            out = have ? MergeUnknowns(out, *args[j]) : *args[j];
            have = true;
          }
        }
        return out;
      }
      bad = args[i];
    }
  }
  return *bad;
}

class CallNode final : public Node {
 public:
  CallNode(std::string name, std::vector<const Overload*> overloads, std::vector<NodePtr> args)
      : name_(std::move(name)), overloads_(std::move(overloads)), args_(std::move(args)) {
    bool variadic = false;
    for (const Overload* o : overloads_) {
      non_strict_ = non_strict_ || o->non_strict;
      variadic = variadic || o->variadic;
    }
    // One- and two-argument calls pick their overload from a table indexed by argument
    // kinds, filled with the first matching overload (the order a linear search would find).
    // Each overload paints the cells it matches, last overload first, so a cell ends with
    // its first match; that costs a cell per overload taking fixed kinds instead of a search
    // per cell (a 32,768-node expression of calls used to spend most of its compile here).
    tabled_ = !variadic && (args_.size() == 1 || args_.size() == 2) && overloads_.size() < kNone;
    if (tabled_) {
      bool binary = args_.size() == 2;
      table_.assign(binary ? kKinds * kKinds : kKinds, kNone);
      for (size_t o = overloads_.size(); o-- > 0;) {
        const std::vector<Kind>& want = overloads_[o]->arg_kinds;
        auto range = [](Kind k) {
          return k == kAnyKind ? std::pair<size_t, size_t>{0, kKinds}
                               : std::pair<size_t, size_t>{static_cast<size_t>(k),
                                                           static_cast<size_t>(k) + 1};
        };
        auto [first0, last0] = range(want[0]);
        auto [first1, last1] = binary ? range(want[1]) : std::pair<size_t, size_t>{0, 1};
        for (size_t k1 = first1; k1 < last1; ++k1) {
          for (size_t k0 = first0; k0 < last0; ++k0) {
            table_[k0 + kKinds * k1] = static_cast<uint8_t>(o);
          }
        }
      }
    }
  }

  Value Eval(Frame& f) const override {
    if (tabled_) {
      return args_.size() == 1 ? EvalUnary(f) : EvalBinary(f);
    }
    switch (args_.size()) {
      case 3:
        return EvalFixed<3>(f);
      case 4:
        return EvalFixed<4>(f);
      default:
        break;
    }
    std::vector<Value> args(args_.size());
    for (size_t i = 0; i < args.size(); ++i) {
      args[i] = args_[i]->Eval(f);
    }
    return Finish(args.data(), args.size(), f);
  }

 private:
  static constexpr size_t kKinds = 16;
  static constexpr uint8_t kNone = 255;

  Value EvalUnary(Frame& f) const {
    Value s;
    const Value& a = args_[0]->EvalRef(f, s);
    if (!non_strict_ && a.is_error_or_unknown()) {
      return Own(a, s);
    }
    uint8_t o = table_[static_cast<size_t>(a.kind()) & (kKinds - 1)];
    if (o == kNone) {
      return NoOverload();
    }
    const Overload& ov = *overloads_[o];
    if (ov.unary != nullptr) {
      return ov.unary(a, f);
    }
    Value args[1] = {Own(a, s)};
    return ov.impl(std::span<const Value>(args, 1), f);
  }

  Value EvalBinary(Frame& f) const {
    Value s0;
    Value s1;
    const Value& a = args_[0]->EvalRef(f, s0);
    const Value& b = args_[1]->EvalRef(f, s1);
    if (!non_strict_ && (a.is_error_or_unknown() || b.is_error_or_unknown())) {
      const Value* both[2] = {&a, &b};
      return StrictFailure(both, 2);
    }
    uint8_t o = table_[(static_cast<size_t>(a.kind()) & (kKinds - 1)) +
                       kKinds * (static_cast<size_t>(b.kind()) & (kKinds - 1))];
    if (o == kNone) {
      return NoOverload();
    }
    const Overload& ov = *overloads_[o];
    if (ov.binary != nullptr) {
      return ov.binary(a, b, f);
    }
    Value args[2] = {Own(a, s0), Own(b, s1)};
    return ov.impl(std::span<const Value>(args, 2), f);
  }

  template <size_t N>
  Value EvalFixed(Frame& f) const {
    Value args[N];
    for (size_t i = 0; i < N; ++i) {
      args[i] = args_[i]->Eval(f);
    }
    return Finish(args, N, f);
  }

  Value Finish(Value* args, size_t n, Frame& f) const {
    if (!non_strict_) {
      const Value* ptrs[8];
      std::vector<const Value*> many;
      const Value** p = ptrs;
      if (n > 8) {
        many.resize(n);
        p = many.data();
      }
      bool failed = false;
      for (size_t i = 0; i < n; ++i) {
        p[i] = &args[i];
        failed = failed || args[i].is_error_or_unknown();
      }
      if (failed) {
        return StrictFailure(p, n);
      }
    }
    for (const Overload* o : overloads_) {
      if (KindsMatch(*o, args, n)) {
        return o->impl(std::span<const Value>(args, n), f);
      }
    }
    return NoOverload();
  }

  Value NoOverload() const {
    if (overloads_.empty()) {
      return Value::Error(StatusCode::kNotFound, "unbound function: " + name_);
    }
    return NoMatchingOverload(name_);
  }

  std::string name_;
  std::vector<const Overload*> overloads_;
  std::vector<NodePtr> args_;
  bool non_strict_ = false;
  bool tabled_ = false;
  std::vector<uint8_t> table_;
};

class ListNode final : public Node {
 public:
  ListNode(std::vector<NodePtr> elems, std::vector<bool> optional)
      : elems_(std::move(elems)), optional_(std::move(optional)) {}
  Value Eval(Frame& f) const override {
    std::vector<Value> out;
    out.reserve(elems_.size());
    for (size_t i = 0; i < elems_.size(); ++i) {
      Value v = elems_[i]->Eval(f);
      if (v.is_error_or_unknown()) {
        return v;
      }
      if (optional_[i]) {
        if (v.kind() != Kind::kOptional) {
          return NoMatchingOverload("optional list element");
        }
        if (v.optional_has_value()) {
          out.push_back(v.optional_value());
        }
        continue;
      }
      out.push_back(std::move(v));
    }
    if (!f.Charge(static_cast<int64_t>(out.size() / 8))) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
    return Value::List(std::move(out));
  }

 private:
  std::vector<NodePtr> elems_;
  std::vector<bool> optional_;
};

class MapNode final : public Node {
 public:
  MapNode(std::vector<NodePtr> keys, std::vector<NodePtr> values, std::vector<bool> optional)
      : keys_(std::move(keys)), values_(std::move(values)), optional_(std::move(optional)) {}
  Value Eval(Frame& f) const override {
    auto map = std::make_shared<MapRep>();
    for (size_t i = 0; i < keys_.size(); ++i) {
      Value k = keys_[i]->Eval(f);
      if (k.is_error_or_unknown()) {
        return k;
      }
      Value v = values_[i]->Eval(f);
      if (v.is_error_or_unknown()) {
        return v;
      }
      if (!IsValidMapKey(k)) {
        return Value::Error("unsupported key type: " + k.TypeName());
      }
      if (optional_[i]) {
        if (v.kind() != Kind::kOptional) {
          return NoMatchingOverload("optional map entry");
        }
        if (!v.optional_has_value()) {
          continue;
        }
        v = v.optional_value();
      }
      std::string key_text = k.DebugString();
      if (!map->Insert(std::move(k), std::move(v))) {
        return Value::Error("Failed with repeated key: " + key_text);
      }
    }
    if (!f.Charge(static_cast<int64_t>(map->size() / 8))) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
    return Value::Map(std::move(map));
  }

 private:
  std::vector<NodePtr> keys_;
  std::vector<NodePtr> values_;
  std::vector<bool> optional_;
};

class StructNode final : public Node {
 public:
  StructNode(std::string type_name, const TypeProvider* provider, std::vector<std::string> fields,
             std::vector<NodePtr> values, std::vector<bool> optional)
      : type_name_(std::move(type_name)),
        provider_(provider),
        fields_(std::move(fields)),
        values_(std::move(values)),
        optional_(std::move(optional)) {}
  Value Eval(Frame& f) const override {
    std::vector<std::pair<std::string, Value>> inits;
    inits.reserve(fields_.size());
    for (size_t i = 0; i < fields_.size(); ++i) {
      Value v = values_[i]->Eval(f);
      if (v.is_error_or_unknown()) {
        return v;
      }
      if (optional_[i]) {
        if (v.kind() != Kind::kOptional) {
          return NoMatchingOverload("optional field");
        }
        if (!v.optional_has_value()) {
          continue;
        }
        v = v.optional_value();
      }
      inits.emplace_back(fields_[i], std::move(v));
    }
    if (provider_ == nullptr) {
      return Value::Error(StatusCode::kNotFound, "unknown type: " + type_name_);
    }
    return provider_->NewMessage(type_name_, inits);
  }

 private:
  std::string type_name_;
  const TypeProvider* provider_;
  std::vector<std::string> fields_;
  std::vector<NodePtr> values_;
  std::vector<bool> optional_;
};

class ComprehensionNode final : public Node {
 public:
  ComprehensionNode(int iter_slot, int iter2_slot, int accu_slot, NodePtr range, NodePtr init,
                    NodePtr cond, NodePtr step, NodePtr result, bool presize)
      : presize_(presize),
        iter_slot_(iter_slot),
        iter2_slot_(iter2_slot),
        accu_slot_(accu_slot),
        range_(std::move(range)),
        init_(std::move(init)),
        cond_(std::move(cond)),
        step_(std::move(step)),
        result_(std::move(result)) {}

  Value Eval(Frame& f) const override {
    Value range_tmp;
    Value error;
    const Value* range_ptr = EvalRange(*range_, f, range_tmp, &error);
    if (range_ptr == nullptr) {
      return error;
    }
    const Value& range = *range_ptr;
    if (presize_) {
      std::vector<Value> elems;
      elems.reserve(range.kind() == Kind::kList ? range.list_elems().size()
                                                : range.map_value().size());
      f.slots[accu_slot_] = Value::List(std::move(elems));
    } else {
      f.slots[accu_slot_] = init_->Eval(f);
    }
    ForEachInRange(f, range, iter_slot_, iter2_slot_, [&] { return Iterate(f); });
    if (f.aborted()) {
      return f.AbortedValue();
    }
    Value out = result_->Eval(f);
    // Drop references so in-place appends elsewhere see unshared values.
    f.slots[accu_slot_] = Value();
    return out;
  }

 private:
  bool Iterate(Frame& f) const {
    if (!f.Charge(1)) {
      return false;
    }
    Value c = cond_->Eval(f);
    if (c.kind() == Kind::kBool && !c.bool_value()) {
      return false;
    }
    f.slots[accu_slot_] = step_->Eval(f);
    return true;
  }

  bool presize_;
  int iter_slot_;
  int iter2_slot_;
  int accu_slot_;
  NodePtr range_;
  NodePtr init_;
  NodePtr cond_;
  NodePtr step_;
  NodePtr result_;
};

class AppendNode final : public Node {
 public:
  AppendNode(int accu_slot, NodePtr elem) : accu_slot_(accu_slot), elem_(std::move(elem)) {}
  Value Eval(Frame& f) const override {
    Value elem = elem_->Eval(f);
    if (elem.is_error_or_unknown()) {
      return elem;
    }
    Value acc = std::move(f.slots[accu_slot_]);
    if (acc.kind() != Kind::kList) {
      return acc.is_error_or_unknown() ? acc : NoMatchingOverload("_+_");
    }
    if (acc.rep().use_count() == 1) {
      // Nobody else can observe this list, so growing it in place keeps map/filter linear.
      const_cast<ListRep&>(static_cast<const ListRep&>(*acc.rep()))
          .elems.push_back(std::move(elem));
      return acc;
    }
    std::vector<Value> copy = acc.list_elems();
    copy.push_back(std::move(elem));
    return Value::List(std::move(copy));
  }

 private:
  int accu_slot_;
  NodePtr elem_;
};

class MapInsertNode final : public Node {
 public:
  MapInsertNode(int accu_slot, NodePtr key, NodePtr value)
      : accu_slot_(accu_slot), key_(std::move(key)), value_(std::move(value)) {}
  Value Eval(Frame& f) const override {
    Value k = key_->Eval(f);
    if (k.is_error_or_unknown()) {
      return k;
    }
    Value v;
    if (value_ != nullptr) {
      v = value_->Eval(f);
      if (v.is_error_or_unknown()) {
        return v;
      }
    }
    Value acc = std::move(f.slots[accu_slot_]);
    if (acc.kind() != Kind::kMap) {
      return acc.is_error_or_unknown() ? acc : NoMatchingOverload("cel.@mapInsert");
    }
    std::shared_ptr<MapRep> target;
    if (acc.rep().use_count() == 1) {
      target = std::const_pointer_cast<MapRep>(std::static_pointer_cast<const MapRep>(acc.rep()));
    } else {
      target = std::make_shared<MapRep>(acc.map_value());
    }
    auto insert = [&](const Value& key, const Value& val) {
      if (!IsValidMapKey(key)) {
        return Value::Error("unsupported key type: " + key.TypeName());
      }
      if (!target->Insert(key, val)) {
        return Value::Error("insert failed: key " + key.DebugString() + " already exists");
      }
      return Value();
    };
    if (value_ == nullptr) {
      if (k.kind() != Kind::kMap) {
        return NoMatchingOverload("cel.@mapInsert");
      }
      for (const auto& [ek, ev] : k.map_value().entries()) {
        Value r = insert(ek, ev);
        if (r.is_error()) {
          return r;
        }
      }
    } else {
      Value r = insert(k, v);
      if (r.is_error()) {
        return r;
      }
    }
    return Value::Map(std::move(target));
  }

 private:
  int accu_slot_;
  NodePtr key_;
  NodePtr value_;
};

class BlockNode final : public Node {
 public:
  BlockNode(int first_slot, std::vector<NodePtr> bindings, NodePtr result)
      : first_slot_(first_slot), bindings_(std::move(bindings)), result_(std::move(result)) {}
  Value Eval(Frame& f) const override {
    for (size_t i = 0; i < bindings_.size(); ++i) {
      f.slots[first_slot_ + i] = bindings_[i]->Eval(f);
    }
    return result_->Eval(f);
  }

 private:
  int first_slot_;
  std::vector<NodePtr> bindings_;
  NodePtr result_;
};

}  // namespace

NodePtr MakeConst(Value v) { return std::make_unique<ConstNode>(std::move(v)); }
NodePtr MakeSlot(int slot) { return std::make_unique<SlotNode>(slot); }
NodePtr MakeIterVar(int slot) { return std::make_unique<IterVarNode>(slot); }
NodePtr MakeName(std::vector<NameCandidate> candidates, std::optional<Value> fallback,
                 std::string error_message) {
  return std::make_unique<NameNode>(std::move(candidates), std::move(fallback),
                                    std::move(error_message));
}
NodePtr MakeSelect(NodePtr operand, std::string field, bool test_only) {
  return std::make_unique<SelectNode>(std::move(operand), std::move(field), test_only);
}
NodePtr MakeOptSelect(NodePtr operand, std::string field) {
  return std::make_unique<OptSelectNode>(std::move(operand), std::move(field));
}
NodePtr MakeIndex(NodePtr operand, NodePtr index, bool optional) {
  return std::make_unique<IndexNode>(std::move(operand), std::move(index), optional);
}
NodePtr MakeAnd(NodePtr a, NodePtr b) {
  return std::make_unique<LogicalNode>(std::move(a), std::move(b), false);
}
NodePtr MakeOr(NodePtr a, NodePtr b) {
  return std::make_unique<LogicalNode>(std::move(a), std::move(b), true);
}
NodePtr MakeNot(NodePtr a) { return std::make_unique<NotNode>(std::move(a)); }
NodePtr MakeTernary(NodePtr c, NodePtr a, NodePtr b) {
  return std::make_unique<TernaryNode>(std::move(c), std::move(a), std::move(b));
}
NodePtr MakeNotStrictlyFalse(NodePtr a) {
  return std::make_unique<NotStrictlyFalseNode>(std::move(a));
}
NodePtr MakeCall(std::string name, std::vector<const Overload*> overloads,
                 std::vector<NodePtr> args) {
  return std::make_unique<CallNode>(std::move(name), std::move(overloads), std::move(args));
}
NodePtr MakeList(std::vector<NodePtr> elems, std::vector<bool> optional) {
  return std::make_unique<ListNode>(std::move(elems), std::move(optional));
}
NodePtr MakeMap(std::vector<NodePtr> keys, std::vector<NodePtr> values,
                std::vector<bool> optional) {
  return std::make_unique<MapNode>(std::move(keys), std::move(values), std::move(optional));
}
NodePtr MakeStruct(std::string type_name, const TypeProvider* provider,
                   std::vector<std::string> fields, std::vector<NodePtr> values,
                   std::vector<bool> optional) {
  return std::make_unique<StructNode>(std::move(type_name), provider, std::move(fields),
                                      std::move(values), std::move(optional));
}
NodePtr MakeComprehension(int iter_slot, int iter2_slot, int accu_slot, NodePtr range, NodePtr init,
                          NodePtr cond, NodePtr step, NodePtr result, bool presize) {
  return std::make_unique<ComprehensionNode>(iter_slot, iter2_slot, accu_slot, std::move(range),
                                             std::move(init), std::move(cond), std::move(step),
                                             std::move(result), presize);
}
NodePtr MakeAppend(int accu_slot, NodePtr elem) {
  return std::make_unique<AppendNode>(accu_slot, std::move(elem));
}
NodePtr MakeMapInsert(int accu_slot, NodePtr key, NodePtr value) {
  return std::make_unique<MapInsertNode>(accu_slot, std::move(key), std::move(value));
}
NodePtr MakeBlock(int first_slot, std::vector<NodePtr> bindings, NodePtr result) {
  return std::make_unique<BlockNode>(first_slot, std::move(bindings), std::move(result));
}

}  // namespace cellar::cel
