// src/cel/json.cc: JSON <-> value conversion.
#include "cel/json.h"

#include <cmath>

#include <boost/json.hpp>

#include "base/status_macros.h"
#include "cel/library.h"
#include "cel/time_util.h"

namespace cellar::cel {
namespace {

namespace json = boost::json;

StatusOr<Value> Tagged(const json::object& o, bool* matched) {
  *matched = false;
  if (o.size() != 1) {
    return Value();
  }
  // Not a structured binding: lambdas below capture `v` (clang rejects capturing bindings).
  std::string_view key = o.begin()->key();
  const json::value& v = o.begin()->value();
  if (key.empty() || key[0] != '$') {
    return Value();
  }
  *matched = true;
  auto text = [&]() -> std::string {
    return v.is_string() ? std::string(v.as_string()) : json::serialize(v);
  };
  if (key == "$uint") {
    std::string s = text();
    char* end = nullptr;
    errno = 0;
    unsigned long long u = std::strtoull(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || errno == ERANGE || s[0] == '-') {
      return InvalidArgumentError("invalid $uint: " + s);
    }
    return Value::Uint(u);
  }
  if (key == "$double") {
    if (v.is_number()) {
      return Value::Double(v.to_number<double>());
    }
    std::string s = text();
    if (s == "NaN") {
      return Value::Double(std::nan(""));
    }
    if (s == "Infinity") {
      return Value::Double(INFINITY);
    }
    if (s == "-Infinity") {
      return Value::Double(-INFINITY);
    }
    return InvalidArgumentError("invalid $double: " + s);
  }
  if (key == "$bytes") {
    std::string out;
    if (!v.is_string() || !Base64Decode(std::string(v.as_string()), &out)) {
      return InvalidArgumentError("invalid $bytes: expected base64");
    }
    return Value::Bytes(std::move(out));
  }
  if (key == "$timestamp" || key == "$duration") {
    Value out = key == "$timestamp" ? ParseTimestamp(text()) : ParseDuration(text());
    if (out.is_error()) {
      return InvalidArgumentError(out.error().message);
    }
    return out;
  }
  *matched = false;
  return Value();
}

StatusOr<Value> FromJson(const json::value& jv, const JsonToValueOptions& options, int depth) {
  if (depth > options.max_depth) {
    return InvalidArgumentError("JSON nested too deeply");
  }
  switch (jv.kind()) {
    case json::kind::null:
      return Value::Null();
    case json::kind::bool_:
      return Value::Bool(jv.get_bool());
    case json::kind::int64:
      return Value::Int(jv.get_int64());
    case json::kind::uint64:
      if (jv.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
        return Value::Int(static_cast<int64_t>(jv.get_uint64()));
      }
      return Value::Uint(jv.get_uint64());
    case json::kind::double_: {
      double d = jv.get_double();
      // 2.0 written in JSON is an integral number and becomes int, as the bench format says.
      if (std::trunc(d) == d && std::fabs(d) < 9.2e18) {
        return Value::Int(static_cast<int64_t>(d));
      }
      return Value::Double(d);
    }
    case json::kind::string:
      return Value::String(std::string(jv.get_string()));
    case json::kind::array: {
      std::vector<Value> elems;
      elems.reserve(jv.get_array().size());
      for (const auto& e : jv.get_array()) {
        CELLAR_ASSIGN_OR_RETURN(Value v, FromJson(e, options, depth + 1));
        elems.push_back(std::move(v));
      }
      return Value::List(std::move(elems));
    }
    case json::kind::object: {
      const json::object& o = jv.get_object();
      if (options.tagged) {
        bool matched = false;
        CELLAR_ASSIGN_OR_RETURN(Value tagged, Tagged(o, &matched));
        if (matched) {
          return tagged;
        }
      }
      auto map = std::make_shared<MapRep>();
      for (const auto& [k, e] : o) {
        CELLAR_ASSIGN_OR_RETURN(Value v, FromJson(e, options, depth + 1));
        map->Insert(Value::String(std::string(k)), std::move(v));
      }
      return Value::Map(std::move(map));
    }
  }
  return InvalidArgumentError("unsupported JSON value");
}

StatusOr<json::value> ToJson(const Value& v, int depth) {
  if (depth > 1000) {
    return InvalidArgumentError("value nested too deeply for JSON");
  }
  switch (v.kind()) {
    case Kind::kNull:
      return json::value(nullptr);
    case Kind::kBool:
      return json::value(v.bool_value());
    case Kind::kInt:
      return json::value(v.int_value());
    case Kind::kUint:
      return json::value(v.uint_value());
    case Kind::kDouble: {
      double d = v.double_value();
      if (std::isnan(d)) {
        return json::value("NaN");
      }
      if (std::isinf(d)) {
        return json::value(d > 0 ? "Infinity" : "-Infinity");
      }
      return json::value(d);
    }
    case Kind::kString:
      return json::value(v.string_value());
    case Kind::kBytes:
      return json::value(Base64Encode(v.string_value()));
    case Kind::kType:
      return json::value(v.string_value());
    case Kind::kTimestamp:
      return json::value(FormatTimestamp(v));
    case Kind::kDuration:
      return json::value(FormatDuration(v));
    case Kind::kOptional:
      if (!v.optional_has_value()) {
        return json::value(nullptr);
      }
      return ToJson(v.optional_value(), depth + 1);
    case Kind::kList: {
      json::array out;
      out.reserve(v.list_elems().size());
      for (const Value& e : v.list_elems()) {
        CELLAR_ASSIGN_OR_RETURN(json::value j, ToJson(e, depth + 1));
        out.push_back(std::move(j));
      }
      return json::value(std::move(out));
    }
    case Kind::kMap: {
      json::object out;
      for (const auto& [k, e] : v.map_value().entries()) {
        std::string key;
        switch (k.kind()) {
          case Kind::kString:
            key = k.string_value();
            break;
          case Kind::kInt:
            key = std::to_string(k.int_value());
            break;
          case Kind::kUint:
            key = std::to_string(k.uint_value());
            break;
          case Kind::kBool:
            key = k.bool_value() ? "true" : "false";
            break;
          default:
            return InvalidArgumentError("map key of type " + k.TypeName() + " in JSON");
        }
        CELLAR_ASSIGN_OR_RETURN(json::value j, ToJson(e, depth + 1));
        out[key] = std::move(j);
      }
      return json::value(std::move(out));
    }
    case Kind::kMessage: {
      // Messages render through their debug form until a provider supplies JSON.
      return json::value(v.message_value().DebugString());
    }
    case Kind::kError:
      return InvalidArgumentError(v.error().message);
    case Kind::kUnknown:
      return InvalidArgumentError("result is unknown");
  }
  return InvalidArgumentError("unsupported value");
}

}  // namespace

StatusOr<Value> ValueFromJson(const json::value& jv, const JsonToValueOptions& options) {
  return FromJson(jv, options, 0);
}

StatusOr<Value> ValueFromJsonText(std::string_view text, const JsonToValueOptions& options) {
  boost::system::error_code ec;
  json::value jv = json::parse(text, ec);
  if (ec) {
    return InvalidArgumentError("invalid JSON: " + ec.message());
  }
  return FromJson(jv, options, 0);
}

StatusOr<json::value> ValueToJson(const Value& value) { return ToJson(value, 0); }

namespace {

// Boost prints doubles as "2.5E0"; people read "2.5". Everything else is Boost's own output.
void Serialize(const json::value& jv, std::string& out) {
  switch (jv.kind()) {
    case json::kind::double_: {
      double d = jv.get_double();
      std::string text = FormatDouble(d);
      if (text.find_first_of(".e") == std::string::npos) {
        text += ".0";
      }
      out += text;
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : jv.get_array()) {
        if (!first) {
          out += ',';
        }
        first = false;
        Serialize(e, out);
      }
      out += ']';
      return;
    }
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, e] : jv.get_object()) {
        if (!first) {
          out += ',';
        }
        first = false;
        out += json::serialize(json::string(k));
        out += ':';
        Serialize(e, out);
      }
      out += '}';
      return;
    }
    default:
      out += json::serialize(jv);
  }
}

}  // namespace

StatusOr<std::string> ValueToJsonText(const Value& value) {
  CELLAR_ASSIGN_OR_RETURN(json::value jv, ToJson(value, 0));
  std::string out;
  Serialize(jv, out);
  return out;
}

}  // namespace cellar::cel
