// src/cel/ext_collections.cc: the lists, sets and optionals extensions (cel-go ext/lists.go,
// ext/sets.go, optional types).
#include <algorithm>
#include <numeric>

#include "cel/library.h"

namespace cellar::cel {
namespace {

using Args = std::span<const Value>;
constexpr Kind I = Kind::kInt;
constexpr Kind L = Kind::kList;
constexpr Kind O = Kind::kOptional;
constexpr Kind A = kAnyKind;

Value Flatten(const Value& list, int64_t depth, EvalContext& ctx) {
  if (depth < 0) {
    return Value::Error("level must be non-negative");
  }
  std::vector<Value> out;
  std::vector<std::pair<const Value*, int64_t>> stack;
  // Depth-first, in order: walk the input and expand nested lists up to `depth` levels.
  struct Walker {
    std::vector<Value>& out;
    EvalContext& ctx;
    void Walk(const Value& l, int64_t d) {
      for (const Value& e : l.list_elems()) {
        if (e.kind() == Kind::kList && d > 0) {
          Walk(e, d - 1);
        } else {
          out.push_back(e);
        }
      }
    }
  };
  Walker w{out, ctx};
  w.Walk(list, std::min<int64_t>(depth, 64));
  if (!ctx.Charge(static_cast<int64_t>(out.size()))) {
    return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
  }
  return Value::List(std::move(out));
}

bool Orderable(const Value& a, const Value& b) { return CompareValues(a, b) != 2; }

Value SortValues(std::vector<Value> elems, const std::vector<Value>* keys) {
  std::vector<size_t> idx(elems.size());
  std::iota(idx.begin(), idx.end(), 0);
  const std::vector<Value>& k = keys != nullptr ? *keys : elems;
  for (size_t i = 1; i < k.size(); ++i) {
    if (k[i].kind() != k[0].kind() || !Orderable(k[0], k[i])) {
      return Value::Error("list elements must have the same type and be comparable");
    }
  }
  if (!k.empty() && !Orderable(k[0], k[0])) {
    if (k[0].kind() != Kind::kDouble) {
      return Value::Error("list elements must be comparable");
    }
  }
  std::stable_sort(idx.begin(), idx.end(),
                   [&](size_t a, size_t b) { return CompareValues(k[a], k[b]) < 0; });
  std::vector<Value> out;
  out.reserve(elems.size());
  for (size_t i : idx) {
    out.push_back(elems[i]);
  }
  return Value::List(std::move(out));
}

bool Contains(const std::vector<Value>& list, const Value& v) {
  for (const Value& e : list) {
    if (ValuesEqual(e, v)) {
      return true;
    }
  }
  return false;
}

bool IsZero(const Value& v) {
  switch (v.kind()) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return !v.bool_value();
    case Kind::kInt:
      return v.int_value() == 0;
    case Kind::kUint:
      return v.uint_value() == 0;
    case Kind::kDouble:
      return v.double_value() == 0;
    case Kind::kString:
    case Kind::kBytes:
      return v.string_value().empty();
    case Kind::kList:
      return v.list_elems().empty();
    case Kind::kMap:
      return v.map_value().size() == 0;
    case Kind::kTimestamp:
    case Kind::kDuration:
      return v.seconds() == 0 && v.nanos() == 0;
    case Kind::kMessage:
      return v.message_value().IsEmpty();
    default:
      return false;
  }
}

}  // namespace

void RegisterListsExtension(FunctionRegistry& r) {
  r.Add("slice", true, {L, I, I}, [](Args a, EvalContext&) {
    const auto& e = a[0].list_elems();
    int64_t start = a[1].int_value();
    int64_t end = a[2].int_value();
    if (start < 0 || end < 0) {
      return Value::Error("cannot slice(" + std::to_string(start) + ", " + std::to_string(end) +
                          "), negative indexes not supported");
    }
    if (start > end) {
      return Value::Error("cannot slice(" + std::to_string(start) + ", " + std::to_string(end) +
                          "), start index must be less than or equal to end index");
    }
    if (end > static_cast<int64_t>(e.size())) {
      return Value::Error("cannot slice(" + std::to_string(start) + ", " + std::to_string(end) +
                          "), list is length " + std::to_string(e.size()));
    }
    return Value::List(std::vector<Value>(e.begin() + start, e.begin() + end));
  });
  r.Add("flatten", true, {L}, [](Args a, EvalContext& ctx) { return Flatten(a[0], 1, ctx); });
  r.Add("flatten", true, {L, I},
        [](Args a, EvalContext& ctx) { return Flatten(a[0], a[1].int_value(), ctx); });
  r.Add("distinct", true, {L}, [](Args a, EvalContext& ctx) {
    std::vector<Value> out;
    for (const Value& e : a[0].list_elems()) {
      if (!ctx.Charge(static_cast<int64_t>(out.size() / 8 + 1))) {
        return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
      }
      if (!Contains(out, e)) {
        out.push_back(e);
      }
    }
    return Value::List(std::move(out));
  });
  r.Add("lists.range", false, {I}, [](Args a, EvalContext& ctx) {
    int64_t n = a[0].int_value();
    if (n < 0) {
      return Value::Error("lists.range() requires a non-negative count");
    }
    // One unit per element: the budget then also caps the memory a range can take.
    if (!ctx.Charge(n)) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
    std::vector<Value> out;
    out.reserve(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      out.push_back(Value::Int(i));
    }
    return Value::List(std::move(out));
  });
  r.Add("reverse", true, {L}, [](Args a, EvalContext&) {
    std::vector<Value> out(a[0].list_elems().rbegin(), a[0].list_elems().rend());
    return Value::List(std::move(out));
  });
  r.Add("sort", true, {L}, [](Args a, EvalContext&) {
    return SortValues(a[0].list_elems(), nullptr);
  });
  r.Add("lists.@sortByAssociatedKeys", false, {L, L}, [](Args a, EvalContext&) {
    if (a[0].list_elems().size() != a[1].list_elems().size()) {
      return Value::Error("sortBy: key list length mismatch");
    }
    return SortValues(a[0].list_elems(), &a[1].list_elems());
  });
  r.Add("first", true, {L}, [](Args a, EvalContext&) {
    const auto& e = a[0].list_elems();
    return e.empty() ? Value::OptionalNone() : Value::Optional(e.front());
  });
  r.Add("last", true, {L}, [](Args a, EvalContext&) {
    const auto& e = a[0].list_elems();
    return e.empty() ? Value::OptionalNone() : Value::Optional(e.back());
  });
}

void RegisterSetsExtension(FunctionRegistry& r) {
  r.Add("sets.contains", false, {L, L}, [](Args a, EvalContext&) {
    for (const Value& e : a[1].list_elems()) {
      if (!Contains(a[0].list_elems(), e)) {
        return Value::Bool(false);
      }
    }
    return Value::Bool(true);
  });
  r.Add("sets.equivalent", false, {L, L}, [](Args a, EvalContext&) {
    for (const Value& e : a[1].list_elems()) {
      if (!Contains(a[0].list_elems(), e)) {
        return Value::Bool(false);
      }
    }
    for (const Value& e : a[0].list_elems()) {
      if (!Contains(a[1].list_elems(), e)) {
        return Value::Bool(false);
      }
    }
    return Value::Bool(true);
  });
  r.Add("sets.intersects", false, {L, L}, [](Args a, EvalContext&) {
    for (const Value& e : a[1].list_elems()) {
      if (Contains(a[0].list_elems(), e)) {
        return Value::Bool(true);
      }
    }
    return Value::Bool(false);
  });
}

void RegisterOptionalsExtension(FunctionRegistry& r) {
  r.Add("optional.of", false, {A}, [](Args a, EvalContext&) { return Value::Optional(a[0]); });
  r.Add("optional.none", false, {}, [](Args, EvalContext&) { return Value::OptionalNone(); });
  r.Add("optional.ofNonZeroValue", false, {A}, [](Args a, EvalContext&) {
    return IsZero(a[0]) ? Value::OptionalNone() : Value::Optional(a[0]);
  });
  r.Add("hasValue", true, {O},
        [](Args a, EvalContext&) { return Value::Bool(a[0].optional_has_value()); });
  r.Add("value", true, {O}, [](Args a, EvalContext&) {
    if (!a[0].optional_has_value()) {
      return Value::Error("optional.none() dereference");
    }
    return a[0].optional_value();
  });
  r.Add("or", true, {O, O}, [](Args a, EvalContext&) {
    return a[0].optional_has_value() ? a[0] : a[1];
  });
  r.Add("orValue", true, {O, A}, [](Args a, EvalContext&) {
    return a[0].optional_has_value() ? a[0].optional_value() : a[1];
  });
  auto unwrap = [](Args a, EvalContext&) {
    std::vector<Value> out;
    for (const Value& e : a[0].list_elems()) {
      if (e.kind() != Kind::kOptional) {
        return NoMatchingOverload("optional.unwrap");
      }
      if (e.optional_has_value()) {
        out.push_back(e.optional_value());
      }
    }
    return Value::List(std::move(out));
  };
  r.Add("optional.unwrap", false, {L}, unwrap);
  r.Add("unwrapOpt", true, {L}, unwrap);
}

}  // namespace cellar::cel
