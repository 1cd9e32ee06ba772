// src/cel/eval_nodes.h: the evaluation plan: an immutable tree of nodes, each evaluating one
// resolved piece of the expression against a per-call Frame. Internal to src/cel.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cel/cel.h"
#include "cel/function_registry.h"
#include "cel/value.h"

namespace cellar::cel {

// Per-evaluation state: variable cache, comprehension slots, cost and deadline.
class Frame final : public EvalContext {
 public:
  // Prepares the frame for one evaluation; inline, as every evaluation of every program runs it.
  void Reset(const Activation* activation, size_t num_vars, size_t num_slots,
             const Limits& limits) {
    activation_ = activation;
    if (vars_.size() < num_vars || slots.size() != num_slots || !abort_.ok()) [[unlikely]] {
      Reshape(num_vars, num_slots);
    }
    // Variables are numbered below num_vars, so the cache only ever grows; only the part this
    // program uses is cleared.
    for (size_t i = 0; i < num_vars; ++i) {
      vars_[i] = kNotLookedUp;
    }
    cost_ = 0;
    budget_ = limits.cost_budget;
    has_deadline_ = limits.timeout.count() > 0;
    if (has_deadline_) {
      timeout_ = limits.timeout;
      deadline_set_ = false;
      // The clock is first read after 1024 units of work: cheap programs never pay for it, and
      // a long one overshoots its deadline by at most that much work.
      next_deadline_check_ = 1024;
      fast_limit_ = std::min(budget_, next_deadline_check_ - 1);
    } else {
      fast_limit_ = budget_;
    }
  }

  bool Charge(int64_t units) override {
    cost_ += units;
    return cost_ <= fast_limit_ || ChargeSlow();
  }
  bool aborted() const { return !abort_.ok(); }
  // What a loop returns once the frame is aborted (the evaluation then fails with the status).
  Value AbortedValue() const {
    return Value::Error(StatusCode::kResourceExhausted, abort_.message());
  }
  const Status& abort_status() const { return abort_; }
  void Abort(Status s) {
    if (abort_.ok()) {
      abort_ = std::move(s);
    }
    fast_limit_ = INT64_MIN;
  }

  // The activation's value for variable `index` (looked up once per evaluation), or null.
  const Value* Var(int index, const std::string& name, uint64_t hash) {
    if (vars_[index] == kNotLookedUp) {
      vars_[index] = activation_ != nullptr ? activation_->Find(name, hash) : nullptr;
    }
    return vars_[index];
  }

  std::vector<Value> slots;
  // Comprehension variables point at the range's elements (or at `slots` for a list index),
  // so iterating copies no values.
  std::vector<const Value*> iter_vars;

 private:
  const Activation* activation_ = nullptr;
  static const Value* const kNotLookedUp;
  std::vector<const Value*> vars_;  // the activation's values, looked up once per evaluation
  int64_t cost_ = 0;
  int64_t budget_ = 0;
  // Charge succeeds without further checks while the cost stays at or below this: the budget,
  // the next clock reading, or INT64_MIN once aborted.
  int64_t fast_limit_ = 0;
  bool ChargeSlow();
  void SetFastLimit();
  // Sizes the caches for a program and clears a previous evaluation's abort.
  void Reshape(size_t num_vars, size_t num_slots);
  int64_t next_deadline_check_ = 0;
  bool has_deadline_ = false;
  bool deadline_set_ = false;
  std::chrono::nanoseconds timeout_{0};
  std::chrono::steady_clock::time_point deadline_;
  Status abort_;
};

class Node {
 public:
  virtual ~Node() = default;
  virtual Value Eval(Frame& frame) const = 0;
  // Like Eval, but may return a reference to a value that outlives the call (a constant, a
  // variable, a map entry or list element of one) instead of copying it; otherwise the result
  // is stored in `scratch` and that is returned. Consumers use it to read without refcounting.
  virtual const Value& EvalRef(Frame& frame, Value& scratch) const {
    scratch = Eval(frame);
    return scratch;
  }
  // For consumers that want a bool (&&, ||, !, ?:, quantifiers): 1 for true, 0 for false, or
  // -1 with the value (an error, an unknown or a non-bool) in `other`. Boolean nodes override
  // it so that a chain of conditions passes ints instead of building Values.
  virtual int EvalBool(Frame& frame, Value& other) const {
    const Value& v = EvalRef(frame, other);
    if (v.kind() == Kind::kBool) {
      return v.bool_value() ? 1 : 0;
    }
    if (&v != &other) {
      other = v;
    }
    return -1;
  }
  // Set for constants so the planner can fold.
  virtual const Value* constant() const { return nullptr; }
};

// The Value of an EvalBool result.
inline Value BoolValue(int result, Value& other) {
  return result >= 0 ? Value::Bool(result != 0) : std::move(other);
}
using NodePtr = std::unique_ptr<Node>;

// The value behind an EvalRef result, moved out of the scratch when it lives there.
inline Value Own(const Value& result, Value& scratch) {
  return &result == &scratch ? std::move(scratch) : result;
}

// A candidate resolution of a (possibly qualified) name: variable `var_index` followed by
// field selections.
struct NameCandidate {
  int var_index;
  std::string var_name;
  std::vector<std::string> fields;
  // MapRep::HashText of var_name and of each field, filled in by MakeName.
  uint64_t var_hash = 0;
  std::vector<uint64_t> field_hashes;
};

NodePtr MakeConst(Value v);
NodePtr MakeSlot(int slot);
// A comprehension's iteration variable (read through Frame::iter_vars).
NodePtr MakeIterVar(int slot);
// Tries candidates in order; if none is bound, `fallback` (a type or enum constant) if set,
// else an "undeclared reference" error.
NodePtr MakeName(std::vector<NameCandidate> candidates, std::optional<Value> fallback,
                 std::string error_message);
NodePtr MakeSelect(NodePtr operand, std::string field, bool test_only);
NodePtr MakeOptSelect(NodePtr operand, std::string field);
NodePtr MakeIndex(NodePtr operand, NodePtr index, bool optional);
NodePtr MakeAnd(NodePtr a, NodePtr b);
NodePtr MakeOr(NodePtr a, NodePtr b);
NodePtr MakeNot(NodePtr a);
NodePtr MakeTernary(NodePtr c, NodePtr a, NodePtr b);
NodePtr MakeNotStrictlyFalse(NodePtr a);
NodePtr MakeCall(std::string name, std::vector<const Overload*> overloads,
                 std::vector<NodePtr> args);
NodePtr MakeList(std::vector<NodePtr> elems, std::vector<bool> optional);
NodePtr MakeMap(std::vector<NodePtr> keys, std::vector<NodePtr> values, std::vector<bool> optional);
NodePtr MakeStruct(std::string type_name, const TypeProvider* provider,
                   std::vector<std::string> fields, std::vector<NodePtr> values,
                   std::vector<bool> optional);
// `presize`: init is the empty list; start from one with the range's size as capacity.
NodePtr MakeComprehension(int iter_slot, int iter2_slot, int accu_slot, NodePtr range, NodePtr init,
                          NodePtr cond, NodePtr step, NodePtr result, bool presize = false);
// `@result + [elem]` inside a comprehension step: appends in place when the list is unshared.
NodePtr MakeAppend(int accu_slot, NodePtr elem);
// cel.@mapInsert(@result, k, v) / (@result, map): inserts in place when unshared.
NodePtr MakeMapInsert(int accu_slot, NodePtr key, NodePtr value);
// cel.block([e0, e1, ...], result): slot first_slot+i holds @index{i}.
NodePtr MakeBlock(int first_slot, std::vector<NodePtr> bindings, NodePtr result);

// Shared by nodes and library functions.
Value MergeUnknowns(const Value& a, const Value& b);
Value SelectField(const Value& operand, const std::string& field);
// The result of `a && b` / `a || b` (kAnd true for &&) when neither decided it alone: errors
// and unknowns combine commutatively, unknown winning over error.
Value CombineLogical(const Value& a, const Value& b, const char* fn);

// Evaluates a comprehension's range, borrowed (nothing a loop evaluates can reassign what it
// refers to). Null, with the comprehension's result in `*error`, when the range is an error,
// an unknown, or neither a list nor a map.
const Value* EvalRange(const Node& range, Frame& f, Value& tmp, Value* error);

// Runs `body()` once per list element or map entry of `range` (a list or a map) with the
// iteration variables pointing at it; stops early when body returns false.
template <typename Body>
void ForEachInRange(Frame& f, const Value& range, int iter_slot, int iter2_slot, Body body) {
  if (range.kind() == Kind::kList) {
    const auto& elems = range.list_elems();
    for (size_t i = 0; i < elems.size(); ++i) {
      if (iter2_slot >= 0) {
        f.slots[iter_slot] = Value::Int(static_cast<int64_t>(i));
        f.iter_vars[iter_slot] = &f.slots[iter_slot];
        f.iter_vars[iter2_slot] = &elems[i];
      } else {
        f.iter_vars[iter_slot] = &elems[i];
      }
      if (!body()) {
        return;
      }
    }
    return;
  }
  for (const auto& [k, v] : range.map_value().entries()) {
    f.iter_vars[iter_slot] = &k;
    if (iter2_slot >= 0) {
      f.iter_vars[iter2_slot] = &v;
    }
    if (!body()) {
      return;
    }
  }
}

}  // namespace cellar::cel
