// src/cel/eval_fused.cc: specialised nodes for quantifier loops, string concatenation chains,
// startsWith of a concatenation and regular expressions with a constant pattern.
#include "cel/eval_fused.h"

#include <re2/re2.h>

#include <memory>

namespace cellar::cel {
namespace {

class QuantifierNode final : public Node {
 public:
  QuantifierNode(bool exists, int iter_slot, int iter2_slot, int accu_slot, NodePtr range,
                 NodePtr pred)
      : exists_(exists),
        iter_slot_(iter_slot),
        iter2_slot_(iter2_slot),
        accu_slot_(accu_slot),
        range_(std::move(range)),
        pred_(std::move(pred)) {}

  Value Eval(Frame& f) const override {
    Value range_tmp;
    Value error;
    const Value* range = EvalRange(*range_, f, range_tmp, &error);
    if (range == nullptr) {
      return error;
    }
    // exists: accu = accu || pred, stopping once true; all: accu && pred, stopping once false.
    // The accumulator stays in its slot, where the generic loop keeps it.
    Value& accu = f.slots[accu_slot_];
    accu = Value::Bool(!exists_);
    ForEachInRange(f, *range, iter_slot_, iter2_slot_, [&] {
      if (!f.Charge(1)) {
        return false;
      }
      if (accu.kind() == Kind::kBool && accu.bool_value() == exists_) {
        return false;
      }
      Value tmp;
      const Value& p = pred_->EvalRef(f, tmp);
      if (p.kind() == Kind::kBool && (p.bool_value() == exists_ || accu.kind() == Kind::kBool)) {
        accu = p;
      } else {
        accu = CombineLogical(accu, p, exists_ ? "_||_" : "_&&_");
      }
      return true;
    });
    Value out = std::move(accu);
    accu = Value();
    if (f.aborted()) {
      return Value::Error(StatusCode::kResourceExhausted, f.abort_status().message());
    }
    return out;
  }

 private:
  bool exists_;
  int iter_slot_;
  int iter2_slot_;
  int accu_slot_;
  NodePtr range_;
  NodePtr pred_;
};

class EqualsConstNode final : public Node {
 public:
  EqualsConstNode(NodePtr operand, Value constant, bool negate)
      : operand_(std::move(operand)), constant_(std::move(constant)), negate_(negate) {}

  Value Eval(Frame& f) const override {
    Value tmp;
    const Value& v = operand_->EvalRef(f, tmp);
    if (v.is_error_or_unknown()) {
      return Own(v, tmp);
    }
    bool equal = v.kind() == Kind::kString && constant_.kind() == Kind::kString
                     ? v.string_value() == constant_.string_value()
                     : ValuesEqual(v, constant_);
    return Value::Bool(equal != negate_);
  }

 private:
  NodePtr operand_;
  Value constant_;
  bool negate_;
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
      if (!rest.starts_with(*parts[i])) {
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

NodePtr MakeSplitIndex(NodePtr text, std::string separator, int64_t index, NodePtr generic) {
  return std::make_unique<SplitIndexNode>(std::move(text), std::move(separator), index,
                                          std::move(generic));
}

NodePtr MakeQuantifier(bool exists, int iter_slot, int iter2_slot, int accu_slot, NodePtr range,
                       NodePtr pred) {
  return std::make_unique<QuantifierNode>(exists, iter_slot, iter2_slot, accu_slot,
                                          std::move(range), std::move(pred));
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
