// src/cel/ext_math.cc: the math extension (cel-go ext/math.go): greatest/least over mixed
// numbers, rounding, abs/sign, NaN/Inf tests, bitwise operations and sqrt.
#include <cmath>
#include <limits>

#include "cel/library.h"

namespace cellar::cel {
namespace {

using Args = std::span<const Value>;
constexpr Kind I = Kind::kInt;
constexpr Kind U = Kind::kUint;
constexpr Kind D = Kind::kDouble;
constexpr Kind L = Kind::kList;

bool IsNumber(const Value& v) {
  return v.kind() == I || v.kind() == U || v.kind() == D;
}

// Picks the greatest (sign 1) or least (sign -1) numeric value, keeping its kind.
Value Extreme(std::span<const Value> values, int sign, const char* fn) {
  if (values.empty()) {
    return Value::Error(std::string(fn) + "(): requires at least one argument");
  }
  const Value* best = nullptr;
  for (const Value& v : values) {
    if (v.is_error_or_unknown()) {
      return v;
    }
    if (!IsNumber(v)) {
      return NoMatchingOverload(fn);
    }
    if (best == nullptr) {
      best = &v;
      continue;
    }
    int c = CompareValues(v, *best);
    if (c == 2) {
      // NaN wins so it is not silently dropped.
      if (v.kind() == D && std::isnan(v.double_value())) {
        best = &v;
      }
      continue;
    }
    if (c * sign > 0) {
      best = &v;
    }
  }
  return *best;
}

Value Greatest(Args a, EvalContext&) {
  if (a.size() == 1 && a[0].kind() == L) {
    return Extreme(a[0].list_elems(), 1, "math.greatest");
  }
  return Extreme(a, 1, "math.greatest");
}
Value Least(Args a, EvalContext&) {
  if (a.size() == 1 && a[0].kind() == L) {
    return Extreme(a[0].list_elems(), -1, "math.least");
  }
  return Extreme(a, -1, "math.least");
}

void AddDouble(FunctionRegistry& r, const char* name, double (*f)(double)) {
  r.Add(name, false, {D},
        [f](Args a, EvalContext&) { return Value::Double(f(a[0].double_value())); });
}

Value ShiftCount(const Value& v, int64_t* out) {
  if (v.int_value() < 0) {
    return Value::Error("math.bitShift() negative offset: " + std::to_string(v.int_value()));
  }
  *out = v.int_value();
  return Value();
}

}  // namespace

void RegisterMathExtension(FunctionRegistry& r) {
  for (const char* name : {"math.greatest", "math.least"}) {
    Overload o;
    o.name = name;
    o.variadic = true;
    o.impl = std::string(name) == "math.greatest" ? Greatest : Least;
    r.Add(std::move(o));
  }
  AddDouble(r, "math.ceil", [](double d) { return std::ceil(d); });
  AddDouble(r, "math.floor", [](double d) { return std::floor(d); });
  AddDouble(r, "math.round", [](double d) { return std::round(d); });
  AddDouble(r, "math.trunc", [](double d) { return std::trunc(d); });
  AddDouble(r, "math.sqrt", [](double d) { return std::sqrt(d); });
  r.Add("math.sqrt", false, {I}, [](Args a, EvalContext&) {
    return Value::Double(std::sqrt(static_cast<double>(a[0].int_value())));
  });
  r.Add("math.sqrt", false, {U}, [](Args a, EvalContext&) {
    return Value::Double(std::sqrt(static_cast<double>(a[0].uint_value())));
  });
  r.Add("math.abs", false, {I}, [](Args a, EvalContext&) {
    if (a[0].int_value() == std::numeric_limits<int64_t>::min()) {
      return Value::Error("integer overflow");
    }
    return Value::Int(std::abs(a[0].int_value()));
  });
  r.Add("math.abs", false, {U}, [](Args a, EvalContext&) { return a[0]; });
  r.Add("math.abs", false, {D},
        [](Args a, EvalContext&) { return Value::Double(std::fabs(a[0].double_value())); });
  r.Add("math.sign", false, {I}, [](Args a, EvalContext&) {
    int64_t v = a[0].int_value();
    return Value::Int(v > 0 ? 1 : (v < 0 ? -1 : 0));
  });
  r.Add("math.sign", false, {U},
        [](Args a, EvalContext&) { return Value::Uint(a[0].uint_value() > 0 ? 1 : 0); });
  r.Add("math.sign", false, {D}, [](Args a, EvalContext&) {
    double v = a[0].double_value();
    if (std::isnan(v)) {
      return a[0];
    }
    return Value::Double(v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0));
  });
  r.Add("math.isNaN", false, {D},
        [](Args a, EvalContext&) { return Value::Bool(std::isnan(a[0].double_value())); });
  r.Add("math.isInf", false, {D},
        [](Args a, EvalContext&) { return Value::Bool(std::isinf(a[0].double_value())); });
  r.Add("math.isFinite", false, {D},
        [](Args a, EvalContext&) { return Value::Bool(std::isfinite(a[0].double_value())); });

  r.Add("math.bitAnd", false, {I, I},
        [](Args a, EvalContext&) { return Value::Int(a[0].int_value() & a[1].int_value()); });
  r.Add("math.bitAnd", false, {U, U},
        [](Args a, EvalContext&) { return Value::Uint(a[0].uint_value() & a[1].uint_value()); });
  r.Add("math.bitOr", false, {I, I},
        [](Args a, EvalContext&) { return Value::Int(a[0].int_value() | a[1].int_value()); });
  r.Add("math.bitOr", false, {U, U},
        [](Args a, EvalContext&) { return Value::Uint(a[0].uint_value() | a[1].uint_value()); });
  r.Add("math.bitXor", false, {I, I},
        [](Args a, EvalContext&) { return Value::Int(a[0].int_value() ^ a[1].int_value()); });
  r.Add("math.bitXor", false, {U, U},
        [](Args a, EvalContext&) { return Value::Uint(a[0].uint_value() ^ a[1].uint_value()); });
  r.Add("math.bitNot", false, {I},
        [](Args a, EvalContext&) { return Value::Int(~a[0].int_value()); });
  r.Add("math.bitNot", false, {U},
        [](Args a, EvalContext&) { return Value::Uint(~a[0].uint_value()); });
  r.Add("math.bitShiftLeft", false, {I, I}, [](Args a, EvalContext&) {
    int64_t n = 0;
    Value err = ShiftCount(a[1], &n);
    if (err.is_error()) {
      return err;
    }
    return Value::Int(n >= 64 ? 0
                              : static_cast<int64_t>(static_cast<uint64_t>(a[0].int_value())
                                                     << n));
  });
  r.Add("math.bitShiftLeft", false, {U, I}, [](Args a, EvalContext&) {
    int64_t n = 0;
    Value err = ShiftCount(a[1], &n);
    if (err.is_error()) {
      return err;
    }
    return Value::Uint(n >= 64 ? 0 : a[0].uint_value() << n);
  });
  r.Add("math.bitShiftRight", false, {I, I}, [](Args a, EvalContext&) {
    int64_t n = 0;
    Value err = ShiftCount(a[1], &n);
    if (err.is_error()) {
      return err;
    }
    // Logical shift, as cel-go: the sign bit is not extended.
    return Value::Int(n >= 64 ? 0
                              : static_cast<int64_t>(static_cast<uint64_t>(a[0].int_value()) >>
                                                     n));
  });
  r.Add("math.bitShiftRight", false, {U, I}, [](Args a, EvalContext&) {
    int64_t n = 0;
    Value err = ShiftCount(a[1], &n);
    if (err.is_error()) {
      return err;
    }
    return Value::Uint(n >= 64 ? 0 : a[0].uint_value() >> n);
  });
}

}  // namespace cellar::cel
