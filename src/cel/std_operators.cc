// src/cel/std_operators.cc: arithmetic with overflow errors, ordering, equality, `in`, size.
#include <cmath>
#include <limits>

#include "cel/library.h"

namespace cellar::cel {
namespace {

using Args = std::span<const Value>;
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

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80;
  }
  return n;
}

// Registers one ordering operator over every ordered kind (mixed numbers included).
void AddOrdering(FunctionRegistry& r, const char* name, bool (*accept)(int)) {
  r.Add(name, false, {A, A}, [name, accept](Args a, EvalContext&) {
    int c = CompareValues(a[0], a[1]);
    if (c == 2) {
      if (IsNumber(a[0].kind()) && IsNumber(a[1].kind())) {
        return Value::Bool(false);  // NaN is unordered
      }
      return NoMatchingOverload(name);
    }
    return Value::Bool(accept(c));
  });
}

}  // namespace

void RegisterOperators(FunctionRegistry& r) {
  r.Add("_+_", false, {I, I}, [](Args a, EvalContext&) {
    int64_t out;
    return __builtin_add_overflow(a[0].int_value(), a[1].int_value(), &out) ? Overflow()
                                                                           : Value::Int(out);
  });
  r.Add("_-_", false, {I, I}, [](Args a, EvalContext&) {
    int64_t out;
    return __builtin_sub_overflow(a[0].int_value(), a[1].int_value(), &out) ? Overflow()
                                                                           : Value::Int(out);
  });
  r.Add("_*_", false, {I, I}, [](Args a, EvalContext&) {
    int64_t out;
    return __builtin_mul_overflow(a[0].int_value(), a[1].int_value(), &out) ? Overflow()
                                                                           : Value::Int(out);
  });
  r.Add("_/_", false, {I, I}, [](Args a, EvalContext&) {
    int64_t x = a[0].int_value();
    int64_t y = a[1].int_value();
    if (y == 0) {
      return Value::Error("divide by zero");
    }
    if (x == std::numeric_limits<int64_t>::min() && y == -1) {
      return Overflow();
    }
    return Value::Int(x / y);
  });
  r.Add("_%_", false, {I, I}, [](Args a, EvalContext&) {
    int64_t x = a[0].int_value();
    int64_t y = a[1].int_value();
    if (y == 0) {
      return Value::Error("modulus by zero");
    }
    if (x == std::numeric_limits<int64_t>::min() && y == -1) {
      return Overflow();
    }
    return Value::Int(x % y);
  });
  r.Add("-_", false, {I}, [](Args a, EvalContext&) {
    if (a[0].int_value() == std::numeric_limits<int64_t>::min()) {
      return Overflow();
    }
    return Value::Int(-a[0].int_value());
  });
  r.Add("_+_", false, {U, U}, [](Args a, EvalContext&) {
    uint64_t out;
    return __builtin_add_overflow(a[0].uint_value(), a[1].uint_value(), &out) ? Overflow("unsigned integer")
                                                                             : Value::Uint(out);
  });
  r.Add("_-_", false, {U, U}, [](Args a, EvalContext&) {
    uint64_t out;
    return __builtin_sub_overflow(a[0].uint_value(), a[1].uint_value(), &out) ? Overflow("unsigned integer")
                                                                             : Value::Uint(out);
  });
  r.Add("_*_", false, {U, U}, [](Args a, EvalContext&) {
    uint64_t out;
    return __builtin_mul_overflow(a[0].uint_value(), a[1].uint_value(), &out) ? Overflow("unsigned integer")
                                                                             : Value::Uint(out);
  });
  r.Add("_/_", false, {U, U}, [](Args a, EvalContext&) {
    if (a[1].uint_value() == 0) {
      return Value::Error("divide by zero");
    }
    return Value::Uint(a[0].uint_value() / a[1].uint_value());
  });
  r.Add("_%_", false, {U, U}, [](Args a, EvalContext&) {
    if (a[1].uint_value() == 0) {
      return Value::Error("modulus by zero");
    }
    return Value::Uint(a[0].uint_value() % a[1].uint_value());
  });
  r.Add("_+_", false, {D, D}, [](Args a, EvalContext&) {
    return Value::Double(a[0].double_value() + a[1].double_value());
  });
  r.Add("_-_", false, {D, D}, [](Args a, EvalContext&) {
    return Value::Double(a[0].double_value() - a[1].double_value());
  });
  r.Add("_*_", false, {D, D}, [](Args a, EvalContext&) {
    return Value::Double(a[0].double_value() * a[1].double_value());
  });
  r.Add("_/_", false, {D, D}, [](Args a, EvalContext&) {
    return Value::Double(a[0].double_value() / a[1].double_value());
  });
  r.Add("-_", false, {D}, [](Args a, EvalContext&) { return Value::Double(-a[0].double_value()); });
  r.Add("_+_", false, {S, S}, [](Args a, EvalContext& ctx) {
    const std::string& x = a[0].string_value();
    const std::string& y = a[1].string_value();
    if (!ctx.Charge(static_cast<int64_t>((x.size() + y.size()) / 64))) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
    std::string out;
    out.reserve(x.size() + y.size());
    out += x;
    out += y;
    return Value::String(std::move(out));
  });
  r.Add("_+_", false, {B, B}, [](Args a, EvalContext& ctx) {
    const std::string& x = a[0].string_value();
    const std::string& y = a[1].string_value();
    if (!ctx.Charge(static_cast<int64_t>((x.size() + y.size()) / 64))) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
    return Value::Bytes(x + y);
  });
  r.Add("_+_", false, {L, L}, [](Args a, EvalContext& ctx) {
    const auto& x = a[0].list_elems();
    const auto& y = a[1].list_elems();
    if (y.empty()) {
      return a[0];
    }
    if (x.empty()) {
      return a[1];
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

  AddOrdering(r, "_<_", [](int c) { return c < 0; });
  AddOrdering(r, "_<=_", [](int c) { return c <= 0; });
  AddOrdering(r, "_>_", [](int c) { return c > 0; });
  AddOrdering(r, "_>=_", [](int c) { return c >= 0; });
  r.Add("_==_", false, {A, A},
        [](Args a, EvalContext&) { return Value::Bool(ValuesEqual(a[0], a[1])); });
  r.Add("_!=_", false, {A, A},
        [](Args a, EvalContext&) { return Value::Bool(!ValuesEqual(a[0], a[1])); });

  r.Add("@in", false, {A, L}, [](Args a, EvalContext&) {
    for (const Value& e : a[1].list_elems()) {
      if (ValuesEqual(a[0], e)) {
        return Value::Bool(true);
      }
    }
    return Value::Bool(false);
  });
  r.Add("@in", false, {A, M}, [](Args a, EvalContext&) {
    return Value::Bool(a[1].map_value().Find(a[0]) != nullptr);
  });

  for (bool receiver : {false, true}) {
    r.Add("size", receiver, {S}, [](Args a, EvalContext&) {
      return Value::Int(static_cast<int64_t>(Utf8Length(a[0].string_value())));
    });
    r.Add("size", receiver, {B}, [](Args a, EvalContext&) {
      return Value::Int(static_cast<int64_t>(a[0].string_value().size()));
    });
    r.Add("size", receiver, {L}, [](Args a, EvalContext&) {
      return Value::Int(static_cast<int64_t>(a[0].list_elems().size()));
    });
    r.Add("size", receiver, {M}, [](Args a, EvalContext&) {
      return Value::Int(static_cast<int64_t>(a[0].map_value().size()));
    });
  }
}

}  // namespace cellar::cel
