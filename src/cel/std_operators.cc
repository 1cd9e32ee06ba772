// src/cel/std_operators.cc: arithmetic with overflow errors, ordering, equality, `in`, size.
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "cel/library.h"

namespace cellar::cel {
namespace {

constexpr Kind I = Kind::kInt;
constexpr Kind U = Kind::kUint;
constexpr Kind D = Kind::kDouble;
constexpr Kind S = Kind::kString;
constexpr Kind B = Kind::kBytes;
constexpr Kind L = Kind::kList;
constexpr Kind M = Kind::kMap;
constexpr Kind A = kAnyKind;

Value Overflow() { return Value::Error("integer overflow"); }
Value Overflow(const char* what) { return Value::Error(std::string(what) + " overflow"); }

bool IsNumber(Kind k) { return k == I || k == U || k == D; }

// Code points = bytes that are not continuation bytes (10xxxxxx), counted 8 bytes at a time:
// size() of names and keys runs in policies on every request.
size_t Utf8Length(const std::string& s) {
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  const char* p = s.data();
  size_t n = s.size();
  size_t continuation = 0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    // Bit 7 of each byte: set for 10xxxxxx (bit 7 set, bit 6 clear).
    continuation += static_cast<size_t>(std::popcount(w & ~(w << 1) & kHighBits));
  }
  for (; i < n; ++i) {
    continuation += (static_cast<unsigned char>(p[i]) & 0xC0) == 0x80;
  }
  return n - continuation;
}

// One ordering operator over every ordered kind (mixed numbers included); a template so each
// operator has a plain function pointer for the evaluator's direct call.
template <int kOp>
Value Ordering(const Value& a0, const Value& a1, EvalContext&) {
  static constexpr const char* kNames[] = {"_<_", "_<=_", "_>_", "_>=_"};
  // Two ints (sizes, counts, claims) are the common case: compared without CompareValues.
  int c = a0.kind() == Kind::kInt && a1.kind() == Kind::kInt
              ? (a0.int_value() > a1.int_value()) - (a0.int_value() < a1.int_value())
              : CompareValues(a0, a1);
  if (c == 2) {
    if (IsNumber(a0.kind()) && IsNumber(a1.kind())) {
      return Value::Bool(false);  // NaN is unordered
    }
    return NoMatchingOverload(kNames[kOp]);
  }
  switch (kOp) {
    case 0:
      return Value::Bool(c < 0);
    case 1:
      return Value::Bool(c <= 0);
    case 2:
      return Value::Bool(c > 0);
    default:
      return Value::Bool(c >= 0);
  }
}

}  // namespace

BinaryFn StdOrdering(int op) {
  static constexpr BinaryFn kFns[] = {Ordering<0>, Ordering<1>, Ordering<2>, Ordering<3>};
  return kFns[op];
}

Value StdStringConcat(const Value& a0, const Value& a1, EvalContext& ctx) {
  const std::string& x = a0.string_value();
  const std::string& y = a1.string_value();
  if (!ctx.Charge(static_cast<int64_t>((x.size() + y.size()) / 64))) {
    return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
  }
  std::string out;
  out.reserve(x.size() + y.size());
  out += x;
  out += y;
  return Value::String(std::move(out));
}

Value StdInList(const Value& element, const Value& list, EvalContext&) {
  for (const Value& e : list.list_elems()) {
    if (ValuesEqual(element, e)) {
      return Value::Bool(true);
    }
  }
  return Value::Bool(false);
}

Value StdInMap(const Value& key, const Value& map, EvalContext&) {
  return Value::Bool(map.map_value().Find(key) != nullptr);
}

Value StdEquals(const Value& a, const Value& b, EvalContext&) {
  return Value::Bool(ValuesEqual(a, b));
}

Value StdNotEquals(const Value& a, const Value& b, EvalContext&) {
  return Value::Bool(!ValuesEqual(a, b));
}

void RegisterOperators(FunctionRegistry& r) {
  r.Add("_+_", false, I, I, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    int64_t out;
    return __builtin_add_overflow(a0.int_value(), a1.int_value(), &out) ? Overflow()
                                                                        : Value::Int(out);
  });
  r.Add("_-_", false, I, I, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    int64_t out;
    return __builtin_sub_overflow(a0.int_value(), a1.int_value(), &out) ? Overflow()
                                                                        : Value::Int(out);
  });
  r.Add("_*_", false, I, I, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    int64_t out;
    return __builtin_mul_overflow(a0.int_value(), a1.int_value(), &out) ? Overflow()
                                                                        : Value::Int(out);
  });
  r.Add("_/_", false, I, I, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    int64_t x = a0.int_value();
    int64_t y = a1.int_value();
    if (y == 0) {
      return Value::Error("divide by zero");
    }
    if (x == std::numeric_limits<int64_t>::min() && y == -1) {
      return Overflow();
    }
    return Value::Int(x / y);
  });
  r.Add("_%_", false, I, I, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    int64_t x = a0.int_value();
    int64_t y = a1.int_value();
    if (y == 0) {
      return Value::Error("modulus by zero");
    }
    if (x == std::numeric_limits<int64_t>::min() && y == -1) {
      return Overflow();
    }
    return Value::Int(x % y);
  });
  r.Add("-_", false, I, [](const Value& a0, EvalContext&) -> Value {
    if (a0.int_value() == std::numeric_limits<int64_t>::min()) {
      return Overflow();
    }
    return Value::Int(-a0.int_value());
  });
  r.Add("_+_", false, U, U, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    uint64_t out;
    return __builtin_add_overflow(a0.uint_value(), a1.uint_value(), &out)
               ? Overflow("unsigned integer")
               : Value::Uint(out);
  });
  r.Add("_-_", false, U, U, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    uint64_t out;
    return __builtin_sub_overflow(a0.uint_value(), a1.uint_value(), &out)
               ? Overflow("unsigned integer")
               : Value::Uint(out);
  });
  r.Add("_*_", false, U, U, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    uint64_t out;
    return __builtin_mul_overflow(a0.uint_value(), a1.uint_value(), &out)
               ? Overflow("unsigned integer")
               : Value::Uint(out);
  });
  r.Add("_/_", false, U, U, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    if (a1.uint_value() == 0) {
      return Value::Error("divide by zero");
    }
    return Value::Uint(a0.uint_value() / a1.uint_value());
  });
  r.Add("_%_", false, U, U, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    if (a1.uint_value() == 0) {
      return Value::Error("modulus by zero");
    }
    return Value::Uint(a0.uint_value() % a1.uint_value());
  });
  r.Add("_+_", false, D, D, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    return Value::Double(a0.double_value() + a1.double_value());
  });
  r.Add("_-_", false, D, D, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    return Value::Double(a0.double_value() - a1.double_value());
  });
  r.Add("_*_", false, D, D, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    return Value::Double(a0.double_value() * a1.double_value());
  });
  r.Add("_/_", false, D, D, [](const Value& a0, const Value& a1, EvalContext&) -> Value {
    return Value::Double(a0.double_value() / a1.double_value());
  });
  r.Add("-_", false, D,
        [](const Value& a0, EvalContext&) -> Value { return Value::Double(-a0.double_value()); });
  r.Add("_+_", false, S, S, StdStringConcat);
  r.Add("_+_", false, B, B, [](const Value& a0, const Value& a1, EvalContext& ctx) -> Value {
    const std::string& x = a0.string_value();
    const std::string& y = a1.string_value();
    if (!ctx.Charge(static_cast<int64_t>((x.size() + y.size()) / 64))) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
    return Value::Bytes(x + y);
  });
  r.Add("_+_", false, L, L, [](const Value& a0, const Value& a1, EvalContext& ctx) -> Value {
    const auto& x = a0.list_elems();
    const auto& y = a1.list_elems();
    if (y.empty()) {
      return a0;
    }
    if (x.empty()) {
      return a1;
    }
    if (!ctx.Charge(static_cast<int64_t>((x.size() + y.size()) / 2))) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
    std::vector<Value> out;
    out.reserve(x.size() + y.size());
    out.insert(out.end(), x.begin(), x.end());
    out.insert(out.end(), y.begin(), y.end());
    return Value::List(std::move(out));
  });

  r.Add("_<_", false, A, A, Ordering<0>);
  r.Add("_<=_", false, A, A, Ordering<1>);
  r.Add("_>_", false, A, A, Ordering<2>);
  r.Add("_>=_", false, A, A, Ordering<3>);
  r.Add("_==_", false, A, A, StdEquals);
  r.Add("_!=_", false, A, A, StdNotEquals);

  r.Add("@in", false, A, L, StdInList);
  r.Add("@in", false, A, M, StdInMap);

  for (bool receiver : {false, true}) {
    r.Add("size", receiver, S, [](const Value& a0, EvalContext&) -> Value {
      return Value::Int(static_cast<int64_t>(Utf8Length(a0.string_value())));
    });
    r.Add("size", receiver, B, [](const Value& a0, EvalContext&) -> Value {
      return Value::Int(static_cast<int64_t>(a0.string_value().size()));
    });
    r.Add("size", receiver, L, [](const Value& a0, EvalContext&) -> Value {
      return Value::Int(static_cast<int64_t>(a0.list_elems().size()));
    });
    r.Add("size", receiver, M, [](const Value& a0, EvalContext&) -> Value {
      return Value::Int(static_cast<int64_t>(a0.map_value().size()));
    });
  }
}

}  // namespace cellar::cel
