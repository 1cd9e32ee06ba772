// src/hcl/value.cc: construction, lookup, printing and equality of constant values.
#include "hcl/value.h"

#include <cmath>
#include <cstdio>

namespace cellar::hcl {

Value Value::Null(Range r) {
  Value v;
  v.range_ = r;
  return v;
}

Value Value::Bool(bool b, Range r) {
  Value v;
  v.kind_ = Kind::kBool;
  v.bool_ = b;
  v.range_ = r;
  return v;
}

Value Value::Number(double n, Range r) {
  Value v;
  v.kind_ = Kind::kNumber;
  v.number_ = n;
  v.range_ = r;
  return v;
}

Value Value::String(std::string s, Range r) {
  Value v;
  v.kind_ = Kind::kString;
  v.string_ = std::move(s);
  v.range_ = r;
  return v;
}

Value Value::MakeList(List items, Range r) {
  Value v;
  v.kind_ = Kind::kList;
  v.list_ = std::move(items);
  v.range_ = r;
  return v;
}

Value Value::MakeMap(Map entries, Range r) {
  Value v;
  v.kind_ = Kind::kMap;
  v.map_ = std::move(entries);
  v.range_ = r;
  return v;
}

const Value* Value::Find(std::string_view key) const {
  if (kind_ != Kind::kMap) {
    return nullptr;
  }
  for (const auto& [k, v] : map_) {
    if (k == key) {
      return &v;
    }
  }
  return nullptr;
}

std::string FormatNumber(double n) {
  if (std::isnan(n)) {
    return "NaN";
  }
  if (std::isinf(n)) {
    return n > 0 ? "Infinity" : "-Infinity";
  }
  if (n == std::floor(n) && std::fabs(n) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.0f", n);
    return buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", n);
  // Prefer the shortest form that round-trips.
  for (int prec = 1; prec <= 17; ++prec) {
    char shorter[32];
    std::snprintf(shorter, sizeof(shorter), "%.*g", prec, n);
    if (std::strtod(shorter, nullptr) == n) {
      return shorter;
    }
  }
  return buf;
}

std::string_view KindName(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kNull:
      return "null";
    case Value::Kind::kBool:
      return "bool";
    case Value::Kind::kNumber:
      return "number";
    case Value::Kind::kString:
      return "string";
    case Value::Kind::kList:
      return "list";
    case Value::Kind::kMap:
      return "map";
  }
  return "?";
}

namespace {

void QuoteTo(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  out += '"';
}

void DebugTo(std::string& out, const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      out += "null";
      break;
    case Value::Kind::kBool:
      out += v.as_bool() ? "true" : "false";
      break;
    case Value::Kind::kNumber:
      out += FormatNumber(v.as_number());
      break;
    case Value::Kind::kString:
      QuoteTo(out, v.as_string());
      break;
    case Value::Kind::kList: {
      out += '[';
      bool first = true;
      for (const Value& item : v.as_list()) {
        if (!first) {
          out += ", ";
        }
        first = false;
        DebugTo(out, item);
      }
      out += ']';
      break;
    }
    case Value::Kind::kMap: {
      out += '{';
      bool first = true;
      for (const auto& [k, item] : v.as_map()) {
        if (!first) {
          out += ", ";
        }
        first = false;
        QuoteTo(out, k);
        out += " = ";
        DebugTo(out, item);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string Value::DebugString() const {
  std::string out;
  DebugTo(out, *this);
  return out;
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind_ != b.kind_) {
    return false;
  }
  switch (a.kind_) {
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kBool:
      return a.bool_ == b.bool_;
    case Value::Kind::kNumber:
      return a.number_ == b.number_;
    case Value::Kind::kString:
      return a.string_ == b.string_;
    case Value::Kind::kList:
      return a.list_ == b.list_;
    case Value::Kind::kMap:
      if (a.map_.size() != b.map_.size()) {
        return false;
      }
      for (const auto& [k, v] : a.map_) {
        const Value* other = b.Find(k);
        if (other == nullptr || !(*other == v)) {
          return false;
        }
      }
      return true;
  }
  return false;
}

}  // namespace cellar::hcl
