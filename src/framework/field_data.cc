// src/framework/field_data.cc: weak conversion of JSON inputs to declared field types.
#include "framework/field_data.h"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

namespace cellar::framework {
namespace {

namespace json = boost::json;

Status TypeError(std::string_view want) {
  return InvalidArgumentError("expected " + std::string(want));
}

std::string Trim(std::string_view s) {
  size_t b = 0;
  size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string FormatDouble(double d) {
  if (std::trunc(d) == d && std::fabs(d) < 1e15) {
    return std::to_string(static_cast<int64_t>(d));
  }
  char buf[32];
  int n = std::snprintf(buf, sizeof(buf), "%.17g", d);
  return std::string(buf, n);
}

StatusOr<std::string> ToString(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::double_:
      return FormatDouble(v.get_double());
    case json::kind::bool_:
      return std::string(v.get_bool() ? "1" : "0");  // mapstructure's weak bool→string
    default:
      return TypeError("a string");
  }
}

StatusOr<int64_t> ToInt(const json::value& v) {
  switch (v.kind()) {
    case json::kind::int64:
      return v.get_int64();
    case json::kind::uint64:
      if (v.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return InvalidArgumentError("value out of range");
      }
      return static_cast<int64_t>(v.get_uint64());
    case json::kind::double_: {
      double d = v.get_double();
      if (std::trunc(d) != d || std::fabs(d) > 9.2e18) {
        return InvalidArgumentError("not an integer");
      }
      return static_cast<int64_t>(d);
    }
    case json::kind::bool_:
      return int64_t{v.get_bool() ? 1 : 0};
    case json::kind::string: {
      std::string_view s = v.get_string();
      if (s.empty()) {
        return int64_t{0};
      }
      std::string_view digits = s;
      if (digits.front() == '+') {
        digits.remove_prefix(1);
      }
      int64_t out = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
      if (ec != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
        return InvalidArgumentError("cannot parse \"" + std::string(s) + "\" as an integer");
      }
      return out;
    }
    default:
      return TypeError("an integer");
  }
}

StatusOr<bool> ToBool(const json::value& v) {
  switch (v.kind()) {
    case json::kind::bool_:
      return v.get_bool();
    case json::kind::int64:
      return v.get_int64() != 0;
    case json::kind::uint64:
      return v.get_uint64() != 0;
    case json::kind::double_:
      return v.get_double() != 0;
    case json::kind::string: {
      std::string_view s = v.get_string();
      // Go's strconv.ParseBool, plus "" as false (mapstructure's weak decoding).
      if (s.empty() || s == "0" || s == "f" || s == "F" || s == "false" || s == "FALSE" ||
          s == "False") {
        return false;
      }
      if (s == "1" || s == "t" || s == "T" || s == "true" || s == "TRUE" || s == "True") {
        return true;
      }
      return InvalidArgumentError("cannot parse \"" + std::string(s) + "\" as a bool");
    }
    default:
      return TypeError("a bool");
  }
}

StatusOr<int64_t> ToDurationSeconds(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string: {
      auto d = ParseDuration(v.get_string());
      if (!d.ok()) {
        return d.status();
      }
      return static_cast<int64_t>(d->count());
    }
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: {
      double d = v.kind() == json::kind::double_ ? v.get_double()
                 : v.kind() == json::kind::int64 ? static_cast<double>(v.get_int64())
                                                 : static_cast<double>(v.get_uint64());
      if (d < 0 || d > 9.2e18) {
        return InvalidArgumentError("duration out of range");
      }
      return static_cast<int64_t>(d);
    }
    default:
      return TypeError("a duration");
  }
}

StatusOr<json::array> ToStringList(const json::value& v, FieldType type) {
  json::array out;
  bool lower = type == FieldType::kNameList;
  bool split = type != FieldType::kStringList;
  auto add = [&](std::string s) {
    if (split) {
      s = Trim(s);
    }
    out.emplace_back(lower ? Lower(std::move(s)) : std::move(s));
  };
  if (v.is_array()) {
    for (const json::value& item : v.get_array()) {
      auto s = ToString(item);
      if (!s.ok()) {
        return TypeError("a list of strings");
      }
      add(std::move(s).value());
    }
    return out;
  }
  auto s = ToString(v);
  if (!s.ok()) {
    return TypeError("a list of strings");
  }
  if (s->empty()) {
    return out;
  }
  if (!split) {
    add(std::move(s).value());
    return out;
  }
  std::string_view rest = *s;
  while (true) {
    size_t comma = rest.find(',');
    add(std::string(rest.substr(0, comma)));
    if (comma == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace

StatusOr<json::value> ConvertField(FieldType type, const json::value& raw) {
  switch (type) {
    case FieldType::kString:
    case FieldType::kLowerCaseString: {
      auto s = ToString(raw);
      if (!s.ok()) {
        return s.status();
      }
      return json::value(type == FieldType::kString ? *s : Lower(*s));
    }
    case FieldType::kInt: {
      auto i = ToInt(raw);
      if (!i.ok()) {
        return i.status();
      }
      return json::value(*i);
    }
    case FieldType::kBool: {
      auto b = ToBool(raw);
      if (!b.ok()) {
        return b.status();
      }
      return json::value(*b);
    }
    case FieldType::kDuration: {
      auto d = ToDurationSeconds(raw);
      if (!d.ok()) {
        return d.status();
      }
      return json::value(*d);
    }
    case FieldType::kCommaList:
    case FieldType::kNameList:
    case FieldType::kStringList: {
      auto l = ToStringList(raw, type);
      if (!l.ok()) {
        return l.status();
      }
      return json::value(std::move(l).value());
    }
    case FieldType::kMap:
      if (!raw.is_object()) {
        return TypeError("a map");
      }
      return raw;
    case FieldType::kStringMap: {
      if (!raw.is_object()) {
        return TypeError("a map of strings");
      }
      json::object out;
      for (const auto& [k, item] : raw.get_object()) {
        if (item.is_null()) {
          continue;
        }
        auto s = ToString(item);
        if (!s.ok()) {
          return TypeError("a map of strings");
        }
        out[k] = *s;
      }
      return json::value(std::move(out));
    }
    case FieldType::kRaw:
      return raw;
  }
  return InternalError("unknown field type");
}

StatusOr<FieldData> FieldData::Parse(const std::vector<FieldSchema>& schema,
                                     const json::object& raw) {
  return Parse(schema, raw, {});
}

StatusOr<FieldData> FieldData::Parse(const std::vector<FieldSchema>& schema,
                                     const json::object& raw,
                                     std::span<const FieldCapture> captures) {
  FieldData fd;
  for (const FieldSchema& field : schema) {
    json::value captured;
    const json::value* input = nullptr;
    for (const FieldCapture& c : captures) {
      if (c.name == field.name) {
        captured = json::string(c.value);
        input = &captured;
      }
    }
    if (input == nullptr) {
      input = raw.if_contains(field.name);
    }
    if (input != nullptr && !input->is_null()) {
      auto converted = ConvertField(field.type, *input);
      if (!converted.ok()) {
        return InvalidArgumentError("error converting input " + json::serialize(*input) +
                                    " for field \"" + field.name +
                                    "\": " + converted.status().message());
      }
      fd.values_[field.name] = std::move(converted).value();
    } else if (!field.default_value.is_null()) {
      auto converted = ConvertField(field.type, field.default_value);
      if (!converted.ok()) {
        return InternalError("bad default for field \"" + field.name + "\"");
      }
      fd.defaults_[field.name] = std::move(converted).value();
    }
  }
  return fd;
}

bool FieldData::Has(std::string_view name) const { return values_.contains(name); }

const json::value* FieldData::Get(std::string_view name) const {
  if (const json::value* v = values_.if_contains(name)) {
    return v;
  }
  return defaults_.if_contains(name);
}

std::string FieldData::GetString(std::string_view name) const {
  const json::value* v = Get(name);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

int64_t FieldData::GetInt(std::string_view name) const {
  const json::value* v = Get(name);
  return v != nullptr && v->is_int64() ? v->get_int64() : 0;
}

bool FieldData::GetBool(std::string_view name) const {
  const json::value* v = Get(name);
  return v != nullptr && v->is_bool() && v->get_bool();
}

Seconds FieldData::GetDuration(std::string_view name) const { return Seconds(GetInt(name)); }

std::vector<std::string> FieldData::GetList(std::string_view name) const {
  std::vector<std::string> out;
  const json::value* v = Get(name);
  if (v != nullptr && v->is_array()) {
    for (const json::value& item : v->get_array()) {
      if (item.is_string()) {
        out.emplace_back(item.get_string());
      }
    }
  }
  return out;
}

json::object FieldData::GetMap(std::string_view name) const {
  const json::value* v = Get(name);
  return v != nullptr && v->is_object() ? v->get_object() : json::object();
}

std::map<std::string, std::string> FieldData::GetStringMap(std::string_view name) const {
  std::map<std::string, std::string> out;
  const json::value* v = Get(name);
  if (v != nullptr && v->is_object()) {
    for (const auto& [k, item] : v->get_object()) {
      if (item.is_string()) {
        out.emplace(std::string(k), std::string(item.get_string()));
      }
    }
  }
  return out;
}

}  // namespace cellar::framework
