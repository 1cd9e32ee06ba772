// src/cel/value.cc: value construction, CEL equality and ordering, map lookup, debug rendering.
#include "cel/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <functional>

namespace cellar::cel {

std::string_view KindTypeName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null_type";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kUint:
      return "uint";
    case Kind::kDouble:
      return "double";
    case Kind::kString:
      return "string";
    case Kind::kBytes:
      return "bytes";
    case Kind::kList:
      return "list";
    case Kind::kMap:
      return "map";
    case Kind::kType:
      return "type";
    case Kind::kTimestamp:
      return "google.protobuf.Timestamp";
    case Kind::kDuration:
      return "google.protobuf.Duration";
    case Kind::kOptional:
      return "optional_type";
    case Kind::kMessage:
      return "message";
    case Kind::kError:
      return "error";
    case Kind::kUnknown:
      return "unknown";
  }
  return "unknown";
}

Value Value::String(std::string s) {
  Value v(Kind::kString);
  v.rep_ = std::make_shared<StringRep>(std::move(s));
  return v;
}
Value Value::Bytes(std::string s) {
  Value v(Kind::kBytes);
  v.rep_ = std::make_shared<StringRep>(std::move(s));
  return v;
}
Value Value::Type(std::string name) {
  Value v(Kind::kType);
  v.rep_ = std::make_shared<StringRep>(std::move(name));
  return v;
}
Value Value::Enum(std::string type_name, int64_t number) {
  Value v = Int(number);
  v.rep_ = std::make_shared<StringRep>(std::move(type_name));
  return v;
}
Value Value::List(std::vector<Value> elems) {
  Value v(Kind::kList);
  auto rep = std::make_shared<ListRep>();
  rep->elems = std::move(elems);
  v.rep_ = std::move(rep);
  return v;
}
Value Value::Map(std::shared_ptr<const MapRep> map) {
  Value v(Kind::kMap);
  v.rep_ = std::move(map);
  return v;
}
Value Value::Timestamp(int64_t seconds, int32_t nanos) {
  Value v(Kind::kTimestamp);
  v.i_ = seconds;
  v.nanos_ = nanos;
  return v;
}
Value Value::Duration(int64_t seconds, int32_t nanos) {
  Value v(Kind::kDuration);
  v.i_ = seconds;
  v.nanos_ = nanos;
  return v;
}
Value Value::Optional(Value inner) {
  Value v(Kind::kOptional);
  auto rep = std::make_shared<OptionalRep>();
  rep->has_value = true;
  rep->value = std::move(inner);
  v.rep_ = std::move(rep);
  return v;
}
Value Value::OptionalNone() {
  static const std::shared_ptr<const OptionalRep> kNone = std::make_shared<OptionalRep>();
  Value v(Kind::kOptional);
  v.rep_ = kNone;
  return v;
}
Value Value::Message(std::shared_ptr<const MessageRep> message) {
  Value v(Kind::kMessage);
  v.rep_ = std::move(message);
  return v;
}
Value Value::Error(StatusCode code, std::string message) {
  Value v(Kind::kError);
  v.rep_ = std::make_shared<ErrorRep>(code, std::move(message));
  return v;
}
Value Value::Unknown(std::vector<int64_t> expr_ids) {
  Value v(Kind::kUnknown);
  auto rep = std::make_shared<UnknownRep>();
  rep->expr_ids = std::move(expr_ids);
  v.rep_ = std::move(rep);
  return v;
}

std::string Value::TypeName() const {
  if (kind_ == Kind::kMessage) {
    return std::string(message_value().type_name());
  }
  if (is_enum()) {
    return string_value();
  }
  return std::string(KindTypeName(kind_));
}

bool IsValidMapKey(const Value& key) {
  switch (key.kind()) {
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kUint:
    case Kind::kString:
      return true;
    default:
      return false;
  }
}

uint64_t MapRep::HashText(std::string_view text) {
  return std::hash<std::string_view>()(text) | 1;  // never equal to a number key's hash
}

bool MapRep::MakeKey(const Value& key, Key* out) {
  out->negative = false;
  out->number = 0;
  out->text = {};
  switch (key.kind()) {
    case Kind::kBool:
      out->cls = 0;
      out->number = key.bool_value() ? 1 : 0;
      break;
    case Kind::kInt:
      out->cls = 1;
      out->negative = key.int_value() < 0;
      out->number = out->negative ? 0 - static_cast<uint64_t>(key.int_value())
                                  : static_cast<uint64_t>(key.int_value());
      break;
    case Kind::kUint:
      out->cls = 1;
      out->number = key.uint_value();
      break;
    case Kind::kDouble: {
      double d = key.double_value();
      if (!(d == std::trunc(d)) || std::fabs(d) >= 18446744073709551616.0) {
        return false;
      }
      out->cls = 1;
      out->negative = d < 0;
      out->number = static_cast<uint64_t>(std::fabs(d));
      break;
    }
    case Kind::kString:
      out->cls = 2;
      out->text = key.string_value();
      out->hash = HashText(out->text);
      return true;
    default:
      return false;
  }
  out->hash = ((out->number * 0x9E3779B97F4A7C15ULL) ^ (out->cls * 2 + out->negative)) & ~1ULL;
  return true;
}

bool MapRep::Insert(Value key, Value value) {
  Key k;
  if (!MakeKey(key, &k) || key.kind() == Kind::kDouble) {
    return false;
  }
  if (FindKey(k) != nullptr) {
    return false;
  }
  entries_.emplace_back(std::move(key), std::move(value));
  // Re-derive the key from the stored copy so its text view stays valid.
  MakeKey(entries_.back().first, &k);
  keys_.push_back(k);
  if (keys_.size() > kIndexThreshold) {
    if (keys_.size() * 2 > table_.size()) {
      Reindex();
    } else {
      size_t mask = table_.size() - 1;
      size_t i = k.hash & mask;
      while (table_[i] != 0) {
        i = (i + 1) & mask;
      }
      table_[i] = static_cast<uint32_t>(keys_.size());
    }
  }
  return true;
}

void MapRep::Reindex() {
  size_t size = 16;
  while (size < keys_.size() * 4) {
    size *= 2;
  }
  table_.assign(size, 0);
  size_t mask = size - 1;
  for (size_t n = 0; n < keys_.size(); ++n) {
    size_t i = keys_[n].hash & mask;
    while (table_[i] != 0) {
      i = (i + 1) & mask;
    }
    table_[i] = static_cast<uint32_t>(n + 1);
  }
}

const Value* MapRep::FindKey(const Key& k) const {
  if (table_.empty()) {
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == k) {
        return &entries_[i].second;
      }
    }
    return nullptr;
  }
  size_t mask = table_.size() - 1;
  for (size_t i = k.hash & mask; table_[i] != 0; i = (i + 1) & mask) {
    if (keys_[table_[i] - 1] == k) {
      return &entries_[table_[i] - 1].second;
    }
  }
  return nullptr;
}

const Value* MapRep::Find(const Value& key) const {
  Key k;
  if (!MakeKey(key, &k)) {
    return nullptr;
  }
  return FindKey(k);
}

const Value* MapRep::FindString(std::string_view key, uint64_t hash) const {
  // Only string keys have odd hashes, so equal hashes and text identify the entry.
  auto same = [&](const Key& k) { return k.hash == hash && SameText(k.text, key); };
  if (table_.empty()) {
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (same(keys_[i])) {
        return &entries_[i].second;
      }
    }
    return nullptr;
  }
  size_t mask = table_.size() - 1;
  for (size_t i = hash & mask; table_[i] != 0; i = (i + 1) & mask) {
    if (same(keys_[table_[i] - 1])) {
      return &entries_[table_[i] - 1].second;
    }
  }
  return nullptr;
}

namespace {

bool IsNumber(Kind k) { return k == Kind::kInt || k == Kind::kUint || k == Kind::kDouble; }

// Compares numbers of any kinds exactly (no rounding of int64 through double).
int CompareNumbers(const Value& a, const Value& b) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  Kind ka = a.kind();
  Kind kb = b.kind();
  if (ka == Kind::kInt && kb == Kind::kInt) {
    return cmp(a.int_value(), b.int_value());
  }
  if (ka == Kind::kUint && kb == Kind::kUint) {
    return cmp(a.uint_value(), b.uint_value());
  }
  if (ka == Kind::kInt && kb == Kind::kUint) {
    if (a.int_value() < 0) {
      return -1;
    }
    return cmp(static_cast<uint64_t>(a.int_value()), b.uint_value());
  }
  if (ka == Kind::kUint && kb == Kind::kInt) {
    return -CompareNumbers(b, a);
  }
  if (ka == Kind::kDouble && kb == Kind::kDouble) {
    double x = a.double_value();
    double y = b.double_value();
    if (std::isnan(x) || std::isnan(y)) {
      return 2;
    }
    return cmp(x, y);
  }
  if (ka == Kind::kDouble) {
    int r = CompareNumbers(b, a);
    return r == 2 ? 2 : -r;
  }
  // a is int or uint, b is double: as cel-go, out-of-range doubles order outside the integer
  // range, otherwise the integer is compared as a double.
  double y = b.double_value();
  if (std::isnan(y)) {
    return 2;
  }
  if (ka == Kind::kInt) {
    if (y < -9223372036854775808.0) {
      return 1;
    }
    if (y > 9223372036854775808.0) {
      return -1;
    }
    return cmp(static_cast<double>(a.int_value()), y);
  }
  if (y < 0) {
    return 1;
  }
  if (y > 18446744073709551616.0) {
    return -1;
  }
  return cmp(static_cast<double>(a.uint_value()), y);
}

}  // namespace

int CompareValues(const Value& a, const Value& b) {
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  if (IsNumber(a.kind()) && IsNumber(b.kind())) {
    return CompareNumbers(a, b);
  }
  if (a.kind() != b.kind()) {
    return 2;
  }
  switch (a.kind()) {
    case Kind::kBool:
      return cmp(a.bool_value(), b.bool_value());
    case Kind::kString:
    case Kind::kBytes: {
      int r = a.string_value().compare(b.string_value());
      return r < 0 ? -1 : (r > 0 ? 1 : 0);
    }
    case Kind::kTimestamp:
    case Kind::kDuration:
      if (a.seconds() != b.seconds()) {
        return cmp(a.seconds(), b.seconds());
      }
      return cmp(a.nanos(), b.nanos());
    default:
      return 2;
  }
}

bool ValuesEqual(const Value& a, const Value& b) {
  if (IsNumber(a.kind()) && IsNumber(b.kind())) {
    return CompareNumbers(a, b) == 0;
  }
  if (a.kind() != b.kind()) {
    return false;
  }
  switch (a.kind()) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return a.bool_value() == b.bool_value();
    case Kind::kString:
    case Kind::kBytes:
    case Kind::kType:
      return SameText(a.string_value(), b.string_value());
    case Kind::kTimestamp:
    case Kind::kDuration:
      return a.seconds() == b.seconds() && a.nanos() == b.nanos();
    case Kind::kList: {
      const auto& x = a.list_elems();
      const auto& y = b.list_elems();
      if (x.size() != y.size()) {
        return false;
      }
      for (size_t i = 0; i < x.size(); ++i) {
        if (!ValuesEqual(x[i], y[i])) {
          return false;
        }
      }
      return true;
    }
    case Kind::kMap: {
      const MapRep& x = a.map_value();
      const MapRep& y = b.map_value();
      if (x.size() != y.size()) {
        return false;
      }
      for (const auto& [k, v] : x.entries()) {
        const Value* other = y.Find(k);
        if (other == nullptr || !ValuesEqual(v, *other)) {
          return false;
        }
      }
      return true;
    }
    case Kind::kOptional:
      if (a.optional_has_value() != b.optional_has_value()) {
        return false;
      }
      return !a.optional_has_value() || ValuesEqual(a.optional_value(), b.optional_value());
    case Kind::kMessage:
      return a.message_value().Equals(b.message_value());
    default:
      return false;
  }
}

Value NoMatchingOverload(std::string_view function) {
  return Value::Error(StatusCode::kInvalidArgument,
                      "no matching overload for '" + std::string(function) + "'");
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) {
    return "NaN";
  }
  if (std::isinf(d)) {
    return d > 0 ? "+Inf" : "-Inf";
  }
  if (d == 0) {
    return std::signbit(d) ? "-0" : "0";
  }
  // Shortest round-trip digits in scientific form, then Go's 'g' layout choice.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool neg = sci[0] == '-';
  if (neg) {
    sci.erase(0, 1);
  }
  size_t epos = sci.find('e');
  std::string mant = sci.substr(0, epos);
  int exp = std::stoi(sci.substr(epos + 1));
  std::string digits;
  for (char c : mant) {
    if (c != '.') {
      digits += c;
    }
  }
  std::string out = neg ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out += digits.substr(0, 1);
    if (digits.size() > 1) {
      out += "." + digits.substr(1);
    }
    char e[16];
    std::snprintf(e, sizeof(e), "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    return out + e;
  }
  if (exp < 0) {
    return out + "0." + std::string(-exp - 1, '0') + digits;
  }
  if (static_cast<size_t>(exp) + 1 >= digits.size()) {
    return out + digits + std::string(exp + 1 - digits.size(), '0');
  }
  return out + digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
}

std::string Value::DebugString() const {
  switch (kind_) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return b_ ? "true" : "false";
    case Kind::kInt:
      return std::to_string(i_);
    case Kind::kUint:
      return std::to_string(u_) + "u";
    case Kind::kDouble:
      return FormatDouble(d_);
    case Kind::kString:
      return "\"" + string_value() + "\"";
    case Kind::kBytes:
      return "b\"" + string_value() + "\"";
    case Kind::kType:
      return string_value();
    case Kind::kTimestamp:
      return "timestamp(" + std::to_string(i_) + "s+" + std::to_string(nanos_) + "ns)";
    case Kind::kDuration:
      return "duration(" + std::to_string(i_) + "s+" + std::to_string(nanos_) + "ns)";
    case Kind::kList: {
      std::string out = "[";
      for (size_t i = 0; i < list_elems().size(); ++i) {
        out += (i ? ", " : "") + list_elems()[i].DebugString();
      }
      return out + "]";
    }
    case Kind::kMap: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : map_value().entries()) {
        out += (first ? "" : ", ") + k.DebugString() + ": " + v.DebugString();
        first = false;
      }
      return out + "}";
    }
    case Kind::kOptional:
      return optional_has_value() ? "optional(" + optional_value().DebugString() + ")"
                                  : "optional.none()";
    case Kind::kMessage:
      return message_value().DebugString();
    case Kind::kError:
      return "error(" + error().message + ")";
    case Kind::kUnknown:
      return "unknown";
  }
  return "?";
}

}  // namespace cellar::cel
