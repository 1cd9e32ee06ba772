// src/cel/ext_strings.cc: the strings extension (cel-go ext/strings.go): code-point indexing
// functions, ASCII casing, replace/split/join/trim, strings.quote and format().
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cel/library.h"
#include "cel/time_util.h"
#include "cel/utf8.h"

namespace cellar::cel {
namespace {

using Args = std::span<const Value>;
constexpr Kind S = Kind::kString;
constexpr Kind I = Kind::kInt;
constexpr Kind L = Kind::kList;

Value IndexError(int64_t i) { return Value::Error("index out of range: " + std::to_string(i)); }

bool IsUnicodeSpace(uint32_t c) {
  switch (c) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}

// Code point index of `sub` in `cps` at or after `from`, or -1.
int64_t FindCodePoints(const std::vector<uint32_t>& cps, const std::vector<uint32_t>& sub,
                       int64_t from) {
  if (sub.empty()) {
    return from;
  }
  auto it = std::search(cps.begin() + from, cps.end(), sub.begin(), sub.end());
  return it == cps.end() ? -1 : static_cast<int64_t>(it - cps.begin());
}

Value IndexOf(const std::string& s, const std::string& sub, int64_t offset, bool has_offset) {
  std::vector<uint32_t> cps = DecodeUtf8(s);
  std::vector<uint32_t> needle = DecodeUtf8(sub);
  int64_t n = static_cast<int64_t>(cps.size());
  if (needle.empty()) {
    return Value::Int(offset);
  }
  if (!has_offset && n == 0) {
    return Value::Int(-1);
  }
  if (offset < 0 || offset >= n) {
    return IndexError(offset);
  }
  return Value::Int(FindCodePoints(cps, needle, offset));
}

Value LastIndexOf(const std::string& s, const std::string& sub, int64_t offset, bool has_offset) {
  std::vector<uint32_t> cps = DecodeUtf8(s);
  std::vector<uint32_t> needle = DecodeUtf8(sub);
  int64_t n = static_cast<int64_t>(cps.size());
  int64_t m = static_cast<int64_t>(needle.size());
  if (!has_offset) {
    if (m == 0) {
      return Value::Int(n);
    }
    offset = n - 1;
  } else {
    if (m == 0) {
      return Value::Int(offset);
    }
    if (offset < 0 || offset >= n) {
      return IndexError(offset);
    }
  }
  for (int64_t i = std::min(offset, n - m); i >= 0; --i) {
    if (std::equal(needle.begin(), needle.end(), cps.begin() + i)) {
      return Value::Int(i);
    }
  }
  return Value::Int(-1);
}

std::string Replace(const std::string& s, const std::string& from, const std::string& to,
                    int64_t limit) {
  if (limit == 0) {
    return s;
  }
  std::string out;
  size_t pos = 0;
  int64_t count = 0;
  if (from.empty()) {
    // Go inserts `to` before every code point and at the end.
    std::vector<uint32_t> cps = DecodeUtf8(s);
    for (size_t i = 0; i <= cps.size(); ++i) {
      if (limit < 0 || count < limit) {
        out += to;
        ++count;
      }
      if (i < cps.size()) {
        AppendUtf8(out, cps[i]);
      }
    }
    return out;
  }
  while (limit < 0 || count < limit) {
    size_t found = s.find(from, pos);
    if (found == std::string::npos) {
      break;
    }
    out.append(s, pos, found - pos);
    out += to;
    pos = found + from.size();
    ++count;
  }
  out.append(s, pos, std::string::npos);
  return out;
}

Value Split(const std::string& s, const std::string& sep, int64_t limit) {
  std::vector<Value> parts;
  if (limit == 0) {
    return Value::List({});
  }
  if (sep.empty()) {
    std::vector<uint32_t> cps = DecodeUtf8(s);
    for (size_t i = 0; i < cps.size(); ++i) {
      if (limit > 0 && static_cast<int64_t>(parts.size()) == limit - 1) {
        parts.push_back(Value::String(EncodeUtf8(cps, i, cps.size())));
        break;
      }
      parts.push_back(Value::String(EncodeUtf8(cps, i, i + 1)));
    }
    return Value::List(std::move(parts));
  }
  size_t pos = 0;
  while (true) {
    if (limit > 0 && static_cast<int64_t>(parts.size()) == limit - 1) {
      parts.push_back(Value::String(s.substr(pos)));
      break;
    }
    size_t found = s.find(sep, pos);
    if (found == std::string::npos) {
      parts.push_back(Value::String(s.substr(pos)));
      break;
    }
    parts.push_back(Value::String(s.substr(pos, found - pos)));
    pos = found + sep.size();
  }
  return Value::List(std::move(parts));
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

// ---- format() ----

std::string FormatDoubleForString(double d) {
  if (std::isnan(d)) {
    return "NaN";
  }
  if (std::isinf(d)) {
    return d > 0 ? "Infinity" : "-Infinity";
  }
  return FormatDouble(d);
}

bool FormatAsString(const Value& v, std::string* out, std::string* error) {
  switch (v.kind()) {
    case Kind::kString:
    case Kind::kBytes:
      *out += v.string_value();
      return true;
    case Kind::kBool:
      *out += v.bool_value() ? "true" : "false";
      return true;
    case Kind::kInt:
      *out += std::to_string(v.int_value());
      return true;
    case Kind::kUint:
      *out += std::to_string(v.uint_value());
      return true;
    case Kind::kDouble:
      *out += FormatDoubleForString(v.double_value());
      return true;
    case Kind::kNull:
      *out += "null";
      return true;
    case Kind::kType:
      *out += v.string_value();
      return true;
    case Kind::kTimestamp:
      *out += FormatTimestamp(v);
      return true;
    case Kind::kDuration:
      *out += FormatDuration(v);
      return true;
    case Kind::kList: {
      *out += "[";
      bool first = true;
      for (const Value& e : v.list_elems()) {
        if (!first) {
          *out += ", ";
        }
        first = false;
        if (!FormatAsString(e, out, error)) {
          return false;
        }
      }
      *out += "]";
      return true;
    }
    case Kind::kMap: {
      std::vector<std::pair<std::string, std::string>> entries;
      for (const auto& [k, val] : v.map_value().entries()) {
        std::string ks;
        std::string vs;
        if (!FormatAsString(k, &ks, error) || !FormatAsString(val, &vs, error)) {
          return false;
        }
        entries.emplace_back(std::move(ks), std::move(vs));
      }
      std::sort(entries.begin(), entries.end());
      *out += "{";
      for (size_t i = 0; i < entries.size(); ++i) {
        *out += (i ? ", " : "") + entries[i].first + ": " + entries[i].second;
      }
      *out += "}";
      return true;
    }
    default:
      *error =
          "error during formatting: string clause can only be used on strings, bools, "
          "bytes, ints, doubles, maps, lists, types, durations, and timestamps, was given " +
          v.TypeName();
      return false;
  }
}

std::string ToBase(uint64_t v, int base, bool upper) {
  if (v == 0) {
    return "0";
  }
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  while (v > 0) {
    out += digits[v % base];
    v /= base;
  }
  std::reverse(out.begin(), out.end());
  return out;
}

std::string SignedBase(const Value& v, int base, bool upper) {
  if (v.kind() == Kind::kUint) {
    return ToBase(v.uint_value(), base, upper);
  }
  int64_t i = v.int_value();
  if (i < 0) {
    return "-" + ToBase(0 - static_cast<uint64_t>(i), base, upper);
  }
  return ToBase(static_cast<uint64_t>(i), base, upper);
}

Value Format(const std::string& fmt, const std::vector<Value>& args) {
  std::string out;
  size_t next_arg = 0;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c != '%') {
      out += c;
      continue;
    }
    ++i;
    if (i >= fmt.size()) {
      return Value::Error("could not parse formatting clause: unexpected end of string");
    }
    if (fmt[i] == '%') {
      out += '%';
      continue;
    }
    int precision = -1;
    if (fmt[i] == '.') {
      ++i;
      precision = 0;
      while (i < fmt.size() && fmt[i] >= '0' && fmt[i] <= '9') {
        precision = precision * 10 + (fmt[i] - '0');
        ++i;
      }
      if (i >= fmt.size()) {
        return Value::Error("could not parse formatting clause: unexpected end of string");
      }
    }
    char verb = fmt[i];
    if (std::string_view("sdfexXob").find(verb) == std::string_view::npos) {
      return Value::Error(std::string("could not parse formatting clause: unrecognized "
                                      "formatting clause \"") +
                          verb + "\"");
    }
    if (next_arg >= args.size()) {
      return Value::Error("index " + std::to_string(next_arg) + " out of range");
    }
    const Value& v = args[next_arg++];
    std::string error;
    bool is_double = v.kind() == Kind::kDouble;
    bool non_finite = is_double && !std::isfinite(v.double_value());
    switch (verb) {
      case 's':
        if (!FormatAsString(v, &out, &error)) {
          return Value::Error(error);
        }
        break;
      case 'd':
        if (v.kind() == Kind::kInt) {
          out += std::to_string(v.int_value());
        } else if (v.kind() == Kind::kUint) {
          out += std::to_string(v.uint_value());
        } else if (non_finite) {
          out += FormatDoubleForString(v.double_value());
        } else {
          return Value::Error(
              "error during formatting: decimal clause can only be used on "
              "integers, was given " +
              v.TypeName());
        }
        break;
      case 'f':
      case 'e': {
        if (!is_double) {
          return Value::Error(std::string("error during formatting: ") +
                              (verb == 'f' ? "fixed-point" : "scientific") +
                              " clause can only be used on doubles, was given " + v.TypeName());
        }
        if (non_finite) {
          out += FormatDoubleForString(v.double_value());
          break;
        }
        char buf[512];
        std::snprintf(buf, sizeof(buf), verb == 'f' ? "%.*f" : "%.*e",
                      precision < 0 ? 6 : std::min(precision, 100), v.double_value());
        out += buf;
        break;
      }
      case 'x':
      case 'X': {
        bool upper = verb == 'X';
        if (v.kind() == Kind::kInt || v.kind() == Kind::kUint) {
          out += SignedBase(v, 16, upper);
        } else if (v.kind() == Kind::kString || v.kind() == Kind::kBytes) {
          for (unsigned char ch : v.string_value()) {
            out += ToBase(ch >> 4, 16, upper);
            out += ToBase(ch & 0xF, 16, upper);
          }
        } else {
          return Value::Error(
              "error during formatting: only integers, byte buffers, and "
              "strings can be formatted as hex, was given " +
              v.TypeName());
        }
        break;
      }
      case 'o':
        if (v.kind() != Kind::kInt && v.kind() != Kind::kUint) {
          return Value::Error(
              "error during formatting: octal clause can only be used on "
              "integers, was given " +
              v.TypeName());
        }
        out += SignedBase(v, 8, false);
        break;
      case 'b':
        if (v.kind() == Kind::kBool) {
          out += v.bool_value() ? "1" : "0";
        } else if (v.kind() == Kind::kInt || v.kind() == Kind::kUint) {
          out += SignedBase(v, 2, false);
        } else {
          return Value::Error(
              "error during formatting: only integers and bools can be "
              "formatted as binary, was given " +
              v.TypeName());
        }
        break;
    }
  }
  return Value::String(std::move(out));
}

}  // namespace

Value StdSplit(const Value& text, const Value& sep, EvalContext&) {
  return Split(text.string_value(), sep.string_value(), -1);
}

void RegisterStringsExtension(FunctionRegistry& r) {
  r.Add("charAt", true, {S, I}, [](Args a, EvalContext&) {
    std::vector<uint32_t> cps = DecodeUtf8(a[0].string_value());
    int64_t i = a[1].int_value();
    if (i < 0 || i > static_cast<int64_t>(cps.size())) {
      return IndexError(i);
    }
    return Value::String(EncodeUtf8(cps, i, i + 1));
  });
  r.Add("indexOf", true, {S, S}, [](Args a, EvalContext&) {
    return IndexOf(a[0].string_value(), a[1].string_value(), 0, false);
  });
  r.Add("indexOf", true, {S, S, I}, [](Args a, EvalContext&) {
    return IndexOf(a[0].string_value(), a[1].string_value(), a[2].int_value(), true);
  });
  r.Add("lastIndexOf", true, {S, S}, [](Args a, EvalContext&) {
    return LastIndexOf(a[0].string_value(), a[1].string_value(), 0, false);
  });
  r.Add("lastIndexOf", true, {S, S, I}, [](Args a, EvalContext&) {
    return LastIndexOf(a[0].string_value(), a[1].string_value(), a[2].int_value(), true);
  });
  r.Add("lowerAscii", true, {S}, [](Args a, EvalContext&) {
    std::string s = a[0].string_value();
    for (char& c : s) {
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
    }
    return Value::String(std::move(s));
  });
  r.Add("upperAscii", true, {S}, [](Args a, EvalContext&) {
    std::string s = a[0].string_value();
    for (char& c : s) {
      if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
      }
    }
    return Value::String(std::move(s));
  });
  r.Add("replace", true, {S, S, S}, [](Args a, EvalContext& ctx) {
    std::string out = Replace(a[0].string_value(), a[1].string_value(), a[2].string_value(), -1);
    if (!ctx.Charge(static_cast<int64_t>(out.size() / 64))) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
    return Value::String(std::move(out));
  });
  r.Add("replace", true, {S, S, S, I}, [](Args a, EvalContext& ctx) {
    std::string out =
        Replace(a[0].string_value(), a[1].string_value(), a[2].string_value(), a[3].int_value());
    if (!ctx.Charge(static_cast<int64_t>(out.size() / 64))) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
    return Value::String(std::move(out));
  });
  r.Add("split", true, S, S, StdSplit);
  r.Add("split", true, {S, S, I}, [](Args a, EvalContext&) {
    return Split(a[0].string_value(), a[1].string_value(), a[2].int_value());
  });
  r.Add("substring", true, {S, I}, [](Args a, EvalContext&) {
    std::vector<uint32_t> cps = DecodeUtf8(a[0].string_value());
    int64_t start = a[1].int_value();
    if (start < 0 || start > static_cast<int64_t>(cps.size())) {
      return IndexError(start);
    }
    return Value::String(EncodeUtf8(cps, start, cps.size()));
  });
  r.Add("substring", true, {S, I, I}, [](Args a, EvalContext&) {
    std::vector<uint32_t> cps = DecodeUtf8(a[0].string_value());
    int64_t start = a[1].int_value();
    int64_t end = a[2].int_value();
    int64_t n = static_cast<int64_t>(cps.size());
    if (start < 0 || start > n) {
      return IndexError(start);
    }
    if (end < 0 || end > n) {
      return IndexError(end);
    }
    if (start > end) {
      return Value::Error("invalid substring range. start: " + std::to_string(start) +
                          ", end: " + std::to_string(end));
    }
    return Value::String(EncodeUtf8(cps, start, end));
  });
  r.Add("trim", true, {S}, [](Args a, EvalContext&) {
    std::vector<uint32_t> cps = DecodeUtf8(a[0].string_value());
    size_t b = 0;
    size_t e = cps.size();
    while (b < e && IsUnicodeSpace(cps[b])) {
      ++b;
    }
    while (e > b && IsUnicodeSpace(cps[e - 1])) {
      --e;
    }
    return Value::String(EncodeUtf8(cps, b, e));
  });
  auto join = [](const Value& list, const std::string& sep) {
    std::string out;
    bool first = true;
    for (const Value& e : list.list_elems()) {
      if (e.kind() != Kind::kString) {
        return NoMatchingOverload("join");
      }
      if (!first) {
        out += sep;
      }
      first = false;
      out += e.string_value();
    }
    return Value::String(std::move(out));
  };
  r.Add("join", true, {L}, [join](Args a, EvalContext&) { return join(a[0], ""); });
  r.Add("join", true, {L, S},
        [join](Args a, EvalContext&) { return join(a[0], a[1].string_value()); });
  r.Add("strings.quote", false, {S},
        [](Args a, EvalContext&) { return Value::String(Quote(a[0].string_value())); });
  r.Add("reverse", true, {S}, [](Args a, EvalContext&) {
    std::vector<uint32_t> cps = DecodeUtf8(a[0].string_value());
    std::reverse(cps.begin(), cps.end());
    return Value::String(EncodeUtf8(cps, 0, cps.size()));
  });
  r.Add("format", true, {S, L}, [](Args a, EvalContext& ctx) {
    Value out = Format(a[0].string_value(), a[1].list_elems());
    if (out.kind() == Kind::kString &&
        !ctx.Charge(static_cast<int64_t>(out.string_value().size() / 64))) {
      return Value::Error(StatusCode::kResourceExhausted, "cost budget exceeded");
    }
    return out;
  });
}

}  // namespace cellar::cel
