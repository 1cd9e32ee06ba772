// src/cel/std_conversions.cc: int(), uint(), double(), string(), bytes(), bool(), type(), dyn().
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "cel/library.h"
#include "cel/time_util.h"
#include "cel/utf8.h"

namespace cellar::cel {
namespace {

using Args = std::span<const Value>;
constexpr Kind I = Kind::kInt;
constexpr Kind U = Kind::kUint;
constexpr Kind D = Kind::kDouble;
constexpr Kind S = Kind::kString;
constexpr Kind B = Kind::kBytes;
constexpr Kind BO = Kind::kBool;
constexpr Kind TS = Kind::kTimestamp;
constexpr Kind DU = Kind::kDuration;
constexpr Kind A = kAnyKind;

Value RangeError() { return Value::Error("range error"); }

}  // namespace

void RegisterConversions(FunctionRegistry& r) {
  // An enum value (Value::Enum) becomes a plain int.
  r.Add("int", false, I, [](const Value& a0, EvalContext&) -> Value {
    return a0.is_enum() ? Value::Int(a0.int_value()) : a0;
  });
  r.Add("int", false, U, [](const Value& a0, EvalContext&) -> Value {
    if (a0.uint_value() > static_cast<uint64_t>(INT64_MAX)) {
      return RangeError();
    }
    return Value::Int(static_cast<int64_t>(a0.uint_value()));
  });
  r.Add("int", false, D, [](const Value& a0, EvalContext&) -> Value {
    double d = a0.double_value();
    // Both bounds exclusive: 2^63 itself does not fit and -2^63 is rejected as cel-go does.
    if (!(d > -9223372036854775808.0 && d < 9223372036854775808.0)) {
      return RangeError();
    }
    return Value::Int(static_cast<int64_t>(d));
  });
  r.Add("int", false, S, [](const Value& a0, EvalContext&) -> Value {
    const std::string& s = a0.string_value();
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || std::isspace(s[0])) {
      return Value::Error("cannot convert string '" + s + "' to int");
    }
    return Value::Int(v);
  });
  r.Add("int", false, TS,
        [](const Value& a0, EvalContext&) -> Value { return Value::Int(a0.seconds()); });
  r.Add("int", false, DU, [](const Value& a0, EvalContext&) -> Value {
    return Value::Int(a0.seconds() * 1000000000 + a0.nanos());
  });

  r.Add("uint", false, U, [](const Value& a0, EvalContext&) -> Value { return a0; });
  r.Add("uint", false, I, [](const Value& a0, EvalContext&) -> Value {
    if (a0.int_value() < 0) {
      return RangeError();
    }
    return Value::Uint(static_cast<uint64_t>(a0.int_value()));
  });
  r.Add("uint", false, D, [](const Value& a0, EvalContext&) -> Value {
    double d = a0.double_value();
    if (!(d > -1.0 && d < 18446744073709551616.0)) {
      return RangeError();
    }
    return Value::Uint(static_cast<uint64_t>(d));
  });
  r.Add("uint", false, S, [](const Value& a0, EvalContext&) -> Value {
    const std::string& s = a0.string_value();
    errno = 0;
    char* end = nullptr;
    unsigned long long v = std::strtoull(s.c_str(), &end, 10);
    if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE || s[0] == '-' || s[0] == '+' ||
        std::isspace(s[0])) {
      return Value::Error("cannot convert string '" + s + "' to uint");
    }
    return Value::Uint(v);
  });

  r.Add("double", false, D, [](const Value& a0, EvalContext&) -> Value { return a0; });
  r.Add("double", false, I, [](const Value& a0, EvalContext&) -> Value {
    return Value::Double(static_cast<double>(a0.int_value()));
  });
  r.Add("double", false, U, [](const Value& a0, EvalContext&) -> Value {
    return Value::Double(static_cast<double>(a0.uint_value()));
  });
  r.Add("double", false, S, [](const Value& a0, EvalContext&) -> Value {
    const std::string& s = a0.string_value();
    char* end = nullptr;
    double v = std::strtod(s.c_str(), &end);
    if (s.empty() || end != s.c_str() + s.size() || std::isspace(s[0]) ||
        (s.size() > 1 && (s[0] == '0' || s[1] == '0') &&
         (s.find('x') != std::string::npos || s.find('X') != std::string::npos))) {
      return Value::Error("cannot convert string '" + s + "' to double");
    }
    return Value::Double(v);
  });

  r.Add("string", false, S, [](const Value& a0, EvalContext&) -> Value { return a0; });
  r.Add("string", false, I, [](const Value& a0, EvalContext&) -> Value {
    return Value::String(std::to_string(a0.int_value()));
  });
  r.Add("string", false, U, [](const Value& a0, EvalContext&) -> Value {
    return Value::String(std::to_string(a0.uint_value()));
  });
  r.Add("string", false, D, [](const Value& a0, EvalContext&) -> Value {
    return Value::String(FormatDouble(a0.double_value()));
  });
  r.Add("string", false, BO, [](const Value& a0, EvalContext&) -> Value {
    return Value::String(a0.bool_value() ? "true" : "false");
  });
  r.Add("string", false, B, [](const Value& a0, EvalContext&) -> Value {
    if (!IsValidUtf8(a0.string_value())) {
      return Value::Error("invalid UTF-8 in bytes, cannot convert to string");
    }
    return Value::String(a0.string_value());
  });
  r.Add("string", false, TS,
        [](const Value& a0, EvalContext&) -> Value { return Value::String(FormatTimestamp(a0)); });
  r.Add("string", false, DU,
        [](const Value& a0, EvalContext&) -> Value { return Value::String(FormatDuration(a0)); });

  r.Add("bytes", false, B, [](const Value& a0, EvalContext&) -> Value { return a0; });
  r.Add("bytes", false, S,
        [](const Value& a0, EvalContext&) -> Value { return Value::Bytes(a0.string_value()); });

  r.Add("bool", false, BO, [](const Value& a0, EvalContext&) -> Value { return a0; });
  r.Add("bool", false, S, [](const Value& a0, EvalContext&) -> Value {
    // Go's strconv.ParseBool spellings.
    static constexpr std::string_view kTrue[] = {"1", "t", "T", "TRUE", "true", "True"};
    static constexpr std::string_view kFalse[] = {"0", "f", "F", "FALSE", "false", "False"};
    const std::string& s = a0.string_value();
    for (std::string_view t : kTrue) {
      if (s == t) {
        return Value::Bool(true);
      }
    }
    for (std::string_view f : kFalse) {
      if (s == f) {
        return Value::Bool(false);
      }
    }
    return Value::Error("cannot convert string '" + s + "' to bool");
  });

  r.Add("dyn", false, A, [](const Value& a0, EvalContext&) -> Value { return a0; });
  r.Add("type", false, A,
        [](const Value& a0, EvalContext&) -> Value { return Value::Type(a0.TypeName()); });
}

}  // namespace cellar::cel
