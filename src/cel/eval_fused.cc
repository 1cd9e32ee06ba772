// src/cel/eval_fused.cc: specialised nodes for quantifier and list-building loops, string
// concatenation chains,
// startsWith of a concatenation and regular expressions with a constant pattern.
#include "cel/eval_fused.h"

#include <re2/re2.h>

#include <memory>

namespace cellar::cel {
namespace {

// A node whose EvalBool does the work; Eval gives its Value.
class BoolResultNode : public Node {
 public:
  Value Eval(Frame& f) const final {
    Value other;
    int r = EvalBool(f, other);
    return BoolValue(r, other);
  }
};

class QuantifierNode final : public Node {
 public:
  QuantifierNode(bool exists, int iter_slot, int iter2_slot, NodePtr range, NodePtr pred)
      : exists_(exists),
        iter_slot_(iter_slot),
        iter2_slot_(iter2_slot),
        range_(std::move(range)),
        pred_(std::move(pred)) {}

  Value Eval(Frame& f) const override {
    Value range_tmp;
    Value error;
    const Value* range = EvalRange(*range_, f, range_tmp, &error);
    if (range == nullptr) {
      return error;
    }
    // exists: accu || pred, stopping once true; all: accu && pred, stopping once false. The
    // accumulator never leaves this loop, so it is kept as "decided" plus the errors and
    // unknowns met so far, combined as && and || combine them.
    const char* fn = exists_ ? "_||_" : "_&&_";
    const int decisive = exists_ ? 1 : 0;
    bool decided = false;
    bool have_pending = false;
    Value pending;
    ForEachInRange(f, *range, iter_slot_, iter2_slot_, [&] {
      if (!f.Charge(1)) {
        return false;
      }
      Value other;
      int p = pred_->EvalBool(f, other);
      if (p == decisive) {
        decided = true;
        return false;
      }
      if (p < 0) {
        if (have_pending) {
          pending = CombineLogical(pending, other, fn);
        } else {
          pending = other.is_error_or_unknown() ? std::move(other) : NoMatchingOverload(fn);
        }
        have_pending = true;
      }
      return true;
    });
    if (f.aborted()) {
      return f.AbortedValue();
    }
    if (decided) {
      return Value::Bool(exists_);
    }
    return have_pending ? std::move(pending) : Value::Bool(!exists_);
  }

 private:
  bool exists_;
  int iter_slot_;
  int iter2_slot_;
  NodePtr range_;
  NodePtr pred_;
};

// CEL equality with a constant, comparing two strings directly.
bool EqualsConstant(const Value& v, const Value& constant) {
  return v.kind() == Kind::kString && constant.kind() == Kind::kString
             ? SameText(v.string_value(), constant.string_value())
             : ValuesEqual(v, constant);
}

class ExistsEqualNode final : public BoolResultNode {
 public:
  ExistsEqualNode(NodePtr range, Value constant)
      : range_(std::move(range)), constant_(std::move(constant)) {}

  int EvalBool(Frame& f, Value& other) const override {
    Value range_tmp;
    const Value* range = EvalRange(*range_, f, range_tmp, &other);
    if (range == nullptr) {
      return -1;
    }
    bool found = false;
    auto visit = [&](const Value& v) {
      if (!f.Charge(1)) {
        return false;
      }
      found = EqualsConstant(v, constant_);
      return !found;
    };
    if (range->kind() == Kind::kList) {
      for (const Value& v : range->list_elems()) {
        if (!visit(v)) {
          break;
        }
      }
    } else {
      for (const auto& entry : range->map_value().entries()) {
        if (!visit(entry.first)) {
          break;
        }
      }
    }
    if (f.aborted()) {
      other = f.AbortedValue();
      return -1;
    }
    return found ? 1 : 0;
  }

 private:
  NodePtr range_;
  Value constant_;
};

// What a filter that did not answer a bool leaves as the accumulator: its error or unknown,
// or the conditional's no-overload error for any other value.
Value FilterFailure(Value other) {
  return other.is_error_or_unknown() ? other : NoMatchingOverload("_?_:_");
}

// One element of a list-building loop: the generic step `filter ? @result + [transform] :
// @result` applied to `elems`. Once the accumulator is an error or unknown (`*failed`, the
// value in `error`), the generic step keeps it, except that a later failing filter or
// transform replaces it.
void CollectStep(Frame& f, const Node* filter, const Node& transform, std::vector<Value>& elems,
                 bool* failed, Value& error) {
  if (filter != nullptr) {
    Value other;
    int keep = filter->EvalBool(f, other);
    if (keep == 0) {
      return;
    }
    if (keep < 0) {
      error = FilterFailure(std::move(other));
      *failed = true;
      return;
    }
  }
  Value v = transform.Eval(f);
  if (v.is_error_or_unknown()) {
    error = std::move(v);
    *failed = true;
  } else if (!*failed) {
    elems.push_back(std::move(v));
  }
}

size_t RangeSize(const Value& range) {
  return range.kind() == Kind::kList ? range.list_elems().size() : range.map_value().size();
}

class InNode final : public BoolResultNode {
 public:
  InNode(NodePtr element, NodePtr range, NodePtr generic)
      : element_(std::move(element)), range_(std::move(range)), generic_(std::move(generic)) {}

  int EvalBool(Frame& f, Value& other) const override {
    Value element_tmp;
    Value range_tmp;
    const Value& element = element_->EvalRef(f, element_tmp);
    const Value& range = range_->EvalRef(f, range_tmp);
    if (!element.is_error_or_unknown()) {
      if (range.kind() == Kind::kList) {
        for (const Value& v : range.list_elems()) {
          if (EqualsConstant(v, element)) {
            return 1;
          }
        }
        return 0;
      }
      if (range.kind() == Kind::kMap) {
        return range.map_value().Find(element) != nullptr ? 1 : 0;
      }
    }
    return generic_->EvalBool(f, other);
  }

 private:
  NodePtr element_;
  NodePtr range_;
  NodePtr generic_;
};

class CollectListNode final : public Node {
 public:
  CollectListNode(int iter_slot, int iter2_slot, NodePtr range, NodePtr filter, NodePtr transform)
      : iter_slot_(iter_slot),
        iter2_slot_(iter2_slot),
        range_(std::move(range)),
        filter_(std::move(filter)),
        transform_(std::move(transform)) {}

  Value Eval(Frame& f) const override {
    Value range_tmp;
    Value error;
    const Value* range = EvalRange(*range_, f, range_tmp, &error);
    if (range == nullptr) {
      return error;
    }
    std::vector<Value> elems;
    elems.reserve(RangeSize(*range));
    bool failed = false;
    ForEachInRange(f, *range, iter_slot_, iter2_slot_, [&] {
      if (!f.Charge(1)) {
        return false;
      }
      CollectStep(f, filter_.get(), *transform_, elems, &failed, error);
      return true;
    });
    if (f.aborted()) {
      return f.AbortedValue();
    }
    return failed ? error : Value::List(std::move(elems));
  }

 private:
  friend NodePtr cel::MakeFilterThenMap(NodePtr filtered, int iter_slot, NodePtr transform);
  int iter_slot_;
  int iter2_slot_;
  NodePtr range_;
  NodePtr filter_;  // null for map and transformList without a filter
  NodePtr transform_;
};

// range.filter(x, p).map(y, t): the elements p keeps are remembered, not collected into a
// list, and t runs over them. The filter still runs over the whole range first, as it would
// for the list, so an error it ends with is the result, and the cost is the same.
class FilterThenMapNode final : public Node {
 public:
  FilterThenMapNode(NodePtr range, int filter_slot, NodePtr filter, int map_slot, NodePtr transform)
      : range_(std::move(range)),
        filter_slot_(filter_slot),
        filter_(std::move(filter)),
        map_slot_(map_slot),
        transform_(std::move(transform)) {}

  Value Eval(Frame& f) const override {
    Value range_tmp;
    Value error;
    const Value* range = EvalRange(*range_, f, range_tmp, &error);
    if (range == nullptr) {
      return error;
    }
    // Short ranges (the usual claim lists) keep the chosen elements on the stack.
    constexpr size_t kInline = 16;
    const Value* inline_kept[kInline];
    std::vector<const Value*> heap_kept;
    const Value** kept = inline_kept;
    if (RangeSize(*range) > kInline) {
      heap_kept.resize(RangeSize(*range));
      kept = heap_kept.data();
    }
    size_t num_kept = 0;
    bool failed = false;
    ForEachInRange(f, *range, filter_slot_, -1, [&] {
      if (!f.Charge(1)) {
        return false;
      }
      Value other;
      int keep = filter_->EvalBool(f, other);
      if (keep < 0) {
        error = FilterFailure(std::move(other));
        failed = true;
      } else if (keep == 1 && !failed) {
        kept[num_kept++] = f.iter_vars[filter_slot_];
      }
      return true;
    });
    if (f.aborted()) {
      return f.AbortedValue();
    }
    if (failed) {
      return error;  // the filtered range is this error; map returns it
    }
    std::vector<Value> elems;
    elems.reserve(num_kept);
    for (size_t i = 0; i < num_kept; ++i) {
      if (!f.Charge(1)) {
        return f.AbortedValue();
      }
      f.iter_vars[map_slot_] = kept[i];
      CollectStep(f, nullptr, *transform_, elems, &failed, error);
    }
    return failed ? error : Value::List(std::move(elems));
  }

 private:
  NodePtr range_;
  int filter_slot_;
  NodePtr filter_;
  int map_slot_;
  NodePtr transform_;
};

class EqualsConstNode final : public BoolResultNode {
 public:
  EqualsConstNode(NodePtr operand, Value constant, bool negate)
      : operand_(std::move(operand)), constant_(std::move(constant)), negate_(negate) {}

  int EvalBool(Frame& f, Value& other) const override {
    Value tmp;
    const Value& v = operand_->EvalRef(f, tmp);
    if (v.is_error_or_unknown()) {
      other = Own(v, tmp);
      return -1;
    }
    return EqualsConstant(v, constant_) != negate_ ? 1 : 0;
  }

 private:
  NodePtr operand_;
  Value constant_;
  bool negate_;
};

class OrderConstNode final : public BoolResultNode {
 public:
  OrderConstNode(NodePtr operand, int64_t constant, int op, bool constant_first, BinaryFn ordering)
      : operand_(std::move(operand)),
        constant_(Value::Int(constant)),
        op_(constant_first ? kFlipped[op] : op),
        constant_first_(constant_first),
        ordering_(ordering) {}

  int EvalBool(Frame& f, Value& other) const override {
    Value tmp;
    const Value& v = operand_->EvalRef(f, tmp);
    if (v.kind() == Kind::kInt) {
      int64_t x = v.int_value();
      int64_t c = constant_.int_value();
      switch (op_) {  // x OP' c, OP' being the operator with x written first
        case 0:
          return x < c;
        case 1:
          return x <= c;
        case 2:
          return x > c;
        default:
          return x >= c;
      }
    }
    if (v.is_error_or_unknown()) {
      other = Own(v, tmp);
      return -1;
    }
    Value r = constant_first_ ? ordering_(constant_, v, f) : ordering_(v, constant_, f);
    if (r.kind() == Kind::kBool) {
      return r.bool_value() ? 1 : 0;
    }
    other = std::move(r);
    return -1;
  }

 private:
  static constexpr int kFlipped[] = {2, 3, 0, 1};  // c < x is x > c, c <= x is x >= c, ...
  NodePtr operand_;
  Value constant_;
  int op_;
  bool constant_first_;
  BinaryFn ordering_;
};

// Concatenation chains longer than this stay generic (their pieces live in fixed arrays).
constexpr size_t kMaxPieces = 8;

// Evaluates `text` (if any) and every piece; true when all are strings (pointers in `out`,
// owners in `tmp`).
bool StringPieces(Frame& f, const std::vector<NodePtr>& pieces, Value* tmp,
                  const std::string** out) {
  bool all_strings = true;
  for (size_t i = 0; i < pieces.size(); ++i) {
    const Value& v = pieces[i]->EvalRef(f, tmp[i]);
    all_strings = all_strings && v.kind() == Kind::kString;
    out[i] = all_strings ? &v.string_value() : nullptr;
  }
  return all_strings;
}

// Charges what the chain of binary `+` would: each step's combined length / 64. Returns the
// error value a step would produce when the budget runs out, else null.
Value ChargeConcat(Frame& f, const std::string* const* parts, size_t n, size_t* total) {
  *total = parts[0]->size();
  for (size_t i = 1; i < n; ++i) {
    *total += parts[i]->size();
    if (!f.Charge(static_cast<int64_t>(*total / 64))) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
  }
  return Value();
}

class ConcatNode final : public Node {
 public:
  ConcatNode(std::vector<NodePtr> pieces, NodePtr generic)
      : pieces_(std::move(pieces)), generic_(std::move(generic)) {}

  Value Eval(Frame& f) const override {
    Value tmp[kMaxPieces];
    const std::string* parts[kMaxPieces];
    if (!StringPieces(f, pieces_, tmp, parts)) {
      return generic_->Eval(f);
    }
    size_t total = 0;
    Value error = ChargeConcat(f, parts, pieces_.size(), &total);
    if (error.is_error()) {
      return error;
    }
    std::string out;
    out.reserve(total);
    for (size_t i = 0; i < pieces_.size(); ++i) {
      out += *parts[i];
    }
    return Value::String(std::move(out));
  }

 private:
  std::vector<NodePtr> pieces_;
  NodePtr generic_;
};

class StartsWithConcatNode final : public Node {
 public:
  StartsWithConcatNode(NodePtr text, std::vector<NodePtr> pieces, NodePtr generic)
      : text_(std::move(text)), pieces_(std::move(pieces)), generic_(std::move(generic)) {}

  Value Eval(Frame& f) const override {
    Value text_tmp;
    const Value& text = text_->EvalRef(f, text_tmp);
    Value tmp[kMaxPieces];
    const std::string* parts[kMaxPieces];
    if (!StringPieces(f, pieces_, tmp, parts) || text.kind() != Kind::kString) {
      return generic_->Eval(f);
    }
    size_t total = 0;
    Value error = ChargeConcat(f, parts, pieces_.size(), &total);
    if (error.is_error()) {
      return error;
    }
    std::string_view rest = text.string_value();
    for (size_t i = 0; i < pieces_.size(); ++i) {
      if (!StartsWithText(rest, *parts[i])) {
        return Value::Bool(false);
      }
      rest.remove_prefix(parts[i]->size());
    }
    return Value::Bool(true);
  }

 private:
  NodePtr text_;
  std::vector<NodePtr> pieces_;
  NodePtr generic_;
};

class ConstMatchesNode final : public Node {
 public:
  ConstMatchesNode(NodePtr text, std::unique_ptr<RE2> re, NodePtr generic)
      : text_(std::move(text)), re_(std::move(re)), generic_(std::move(generic)) {}

  Value Eval(Frame& f) const override {
    Value tmp;
    const Value& text = text_->EvalRef(f, tmp);
    if (text.kind() != Kind::kString) {
      return generic_->Eval(f);
    }
    // RE2's matching methods are const and thread-safe, so one compiled pattern serves all.
    // Match() directly: PartialMatch without capture arguments, minus its argument handling.
    const std::string& s = text.string_value();
    return Value::Bool(re_->Match(s, 0, s.size(), RE2::UNANCHORED, nullptr, 0));
  }

 private:
  NodePtr text_;
  std::unique_ptr<RE2> re_;
  NodePtr generic_;
};

class SplitIndexNode final : public Node {
 public:
  SplitIndexNode(NodePtr text, std::string separator, int64_t index, NodePtr generic)
      : text_(std::move(text)),
        separator_(std::move(separator)),
        index_(index),
        generic_(std::move(generic)) {}

  Value Eval(Frame& f) const override {
    Value tmp;
    const Value& text = text_->EvalRef(f, tmp);
    if (text.kind() != Kind::kString) {
      return generic_->Eval(f);
    }
    // The same pieces as split(): separated by each occurrence, the last running to the end.
    std::string_view s = text.string_value();
    size_t pos = 0;
    for (int64_t i = 0; i < index_; ++i) {
      size_t found = s.find(separator_, pos);
      if (found == std::string_view::npos) {
        return generic_->Eval(f);  // fewer pieces: the generic index reports it
      }
      pos = found + separator_.size();
    }
    size_t end = s.find(separator_, pos);
    return Value::String(
        std::string(s.substr(pos, end == std::string_view::npos ? end : end - pos)));
  }

 private:
  NodePtr text_;
  std::string separator_;
  int64_t index_;
  NodePtr generic_;
};

}  // namespace

NodePtr MakeEqualsConst(NodePtr operand, Value constant, bool negate) {
  return std::make_unique<EqualsConstNode>(std::move(operand), std::move(constant), negate);
}

NodePtr MakeOrderConst(NodePtr operand, int64_t constant, int op, bool constant_first,
                       BinaryFn ordering) {
  return std::make_unique<OrderConstNode>(std::move(operand), constant, op, constant_first,
                                          ordering);
}

NodePtr MakeSplitIndex(NodePtr text, std::string separator, int64_t index, NodePtr generic) {
  return std::make_unique<SplitIndexNode>(std::move(text), std::move(separator), index,
                                          std::move(generic));
}

NodePtr MakeQuantifier(bool exists, int iter_slot, int iter2_slot, NodePtr range, NodePtr pred) {
  return std::make_unique<QuantifierNode>(exists, iter_slot, iter2_slot, std::move(range),
                                          std::move(pred));
}
NodePtr MakeIn(NodePtr element, NodePtr range, NodePtr generic) {
  return std::make_unique<InNode>(std::move(element), std::move(range), std::move(generic));
}
NodePtr MakeExistsEqual(NodePtr range, Value constant) {
  return std::make_unique<ExistsEqualNode>(std::move(range), std::move(constant));
}
NodePtr MakeCollectList(int iter_slot, int iter2_slot, NodePtr range, NodePtr filter,
                        NodePtr transform) {
  return std::make_unique<CollectListNode>(iter_slot, iter2_slot, std::move(range),
                                           std::move(filter), std::move(transform));
}
NodePtr MakeFilterThenMap(NodePtr filtered, int iter_slot, NodePtr transform) {
  auto* filter = dynamic_cast<CollectListNode*>(filtered.get());
  if (filter == nullptr || filter->filter_ == nullptr || filter->iter2_slot_ >= 0) {
    return MakeCollectList(iter_slot, -1, std::move(filtered), nullptr, std::move(transform));
  }
  return std::make_unique<FilterThenMapNode>(std::move(filter->range_), filter->iter_slot_,
                                             std::move(filter->filter_), iter_slot,
                                             std::move(transform));
}

NodePtr MakeConcat(std::vector<NodePtr> pieces, NodePtr generic) {
  if (pieces.size() > kMaxPieces) {
    return generic;
  }
  return std::make_unique<ConcatNode>(std::move(pieces), std::move(generic));
}

NodePtr MakeStartsWithConcat(NodePtr text, std::vector<NodePtr> pieces, NodePtr generic) {
  if (pieces.size() > kMaxPieces) {
    return generic;
  }
  return std::make_unique<StartsWithConcatNode>(std::move(text), std::move(pieces),
                                                std::move(generic));
}

NodePtr MakeConstMatches(NodePtr text, const std::string& pattern, NodePtr generic) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) {
    return generic;
  }
  return std::make_unique<ConstMatchesNode>(std::move(text), std::move(re), std::move(generic));
}

}  // namespace cellar::cel
