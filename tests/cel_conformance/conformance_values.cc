// tests/cel_conformance/conformance_values.cc: decoding of the suite's expected values.
#include "conformance_values.h"

#include <cmath>
#include <cstdlib>
#include <optional>

#include <boost/json.hpp>

#include "base/status_macros.h"
#include "cel/proto_provider.h"

namespace cellar::cel::conformance {
namespace {

namespace json = boost::json;

std::string Base64Decode(std::string_view in) {
  static const std::string kChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0;
  int bits = -8;
  for (char c : in) {
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    }
    size_t pos = kChars.find(c);
    if (pos == std::string::npos) {
      continue;
    }
    val = (val << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out += static_cast<char>((val >> bits) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

std::string AsString(const json::value& v) {
  if (v.is_string()) {
    return std::string(v.as_string());
  }
  return json::serialize(v);
}

}  // namespace

StatusOr<Value> ValueFromProtoJson(const json::value& jv, const TypeProvider* provider) {
  if (!jv.is_object()) {
    return InvalidArgumentError("value is not an object");
  }
  const json::object& o = jv.as_object();
  if (o.contains("nullValue")) {
    return Value::Null();
  }
  if (auto* v = o.if_contains("boolValue")) {
    return Value::Bool(v->as_bool());
  }
  if (auto* v = o.if_contains("int64Value")) {
    return Value::Int(std::strtoll(AsString(*v).c_str(), nullptr, 10));
  }
  if (auto* v = o.if_contains("uint64Value")) {
    return Value::Uint(std::strtoull(AsString(*v).c_str(), nullptr, 10));
  }
  if (auto* v = o.if_contains("doubleValue")) {
    if (v->is_string()) {
      std::string s(v->as_string());
      if (s == "NaN") {
        return Value::Double(std::nan(""));
      }
      if (s == "Infinity") {
        return Value::Double(INFINITY);
      }
      if (s == "-Infinity") {
        return Value::Double(-INFINITY);
      }
      return Value::Double(std::strtod(s.c_str(), nullptr));
    }
    return Value::Double(v->to_number<double>());
  }
  if (auto* v = o.if_contains("stringValue")) {
    return Value::String(std::string(v->as_string()));
  }
  if (auto* v = o.if_contains("bytesValue")) {
    return Value::Bytes(Base64Decode(v->as_string()));
  }
  if (auto* v = o.if_contains("typeValue")) {
    return Value::Type(std::string(v->as_string()));
  }
  if (auto* v = o.if_contains("enumValue")) {
    const json::object& e = v->as_object();
    int64_t number = e.contains("value") ? e.at("value").to_number<int64_t>() : 0;
    // The provider decides: a plain int for legacy enums, Value::Enum for strong ones.
    return provider == nullptr ? Value::Int(number)
                               : provider->EnumValue(std::string(e.at("type").as_string()), number);
  }
  if (auto* v = o.if_contains("listValue")) {
    std::vector<Value> elems;
    if (v->is_object() && v->as_object().contains("values")) {
      for (const auto& e : v->as_object().at("values").as_array()) {
        CELLAR_ASSIGN_OR_RETURN(Value ev, ValueFromProtoJson(e, provider));
        elems.push_back(std::move(ev));
      }
    }
    return Value::List(std::move(elems));
  }
  if (auto* v = o.if_contains("mapValue")) {
    auto map = std::make_shared<MapRep>();
    if (v->is_object() && v->as_object().contains("entries")) {
      for (const auto& e : v->as_object().at("entries").as_array()) {
        CELLAR_ASSIGN_OR_RETURN(Value key, ValueFromProtoJson(e.as_object().at("key"), provider));
        CELLAR_ASSIGN_OR_RETURN(Value val, ValueFromProtoJson(e.as_object().at("value"), provider));
        map->Insert(std::move(key), std::move(val));
      }
    }
    return Value::Map(std::move(map));
  }
  if (auto* v = o.if_contains("objectValue")) {
    if (provider == nullptr) {
      return UnsupportedOperationError("objectValue without a type provider");
    }
    if (const auto* bin = v->as_object().if_contains("@binary")) {
      // Binary form (written by convert.mjs): keeps proto2 extensions that JSON drops.
      std::string url(bin->as_object().at("typeUrl").as_string());
      std::string bytes = Base64Decode(bin->as_object().at("value").as_string());
      return ProtoBinaryToValue(url.substr(url.rfind('/') + 1), bytes, *provider);
    }
    return ProtoJsonToValue("google.protobuf.Any", json::serialize(*v), *provider);
  }
  return UnsupportedOperationError("value form " + json::serialize(jv));
}

namespace {

std::optional<TypeKind> PrimitiveKind(std::string_view p) {
  static const std::pair<std::string_view, TypeKind> kKinds[] = {
      {"BOOL", TypeKind::kBool},     {"INT64", TypeKind::kInt},   {"UINT64", TypeKind::kUint},
      {"DOUBLE", TypeKind::kDouble}, {"STRING", TypeKind::kString}, {"BYTES", TypeKind::kBytes},
  };
  for (const auto& [name, kind] : kKinds) {
    if (p == name) {
      return kind;
    }
  }
  return std::nullopt;
}

}  // namespace

StatusOr<Type> TypeFromProtoJson(const json::value& jv) {
  const json::object& o = jv.as_object();
  if (auto* v = o.if_contains("primitive")) {
    if (auto kind = PrimitiveKind(v->as_string())) {
      return Type::Of(*kind);
    }
    return InvalidArgumentError("primitive type " + json::serialize(*v));
  }
  if (auto* v = o.if_contains("wrapper")) {
    if (auto kind = PrimitiveKind(v->as_string())) {
      return Type::Wrapper(*kind);
    }
    return InvalidArgumentError("wrapper type " + json::serialize(*v));
  }
  if (auto* v = o.if_contains("wellKnown")) {
    std::string w(v->as_string());
    if (w == "TIMESTAMP") {
      return Type::Of(TypeKind::kTimestamp);
    }
    if (w == "DURATION") {
      return Type::Of(TypeKind::kDuration);
    }
    return Type::Of(TypeKind::kAny);
  }
  if (auto* v = o.if_contains("listType")) {
    const json::object& l = v->as_object();
    Type elem = Type::Dyn();
    if (l.contains("elemType")) {
      CELLAR_ASSIGN_OR_RETURN(elem, TypeFromProtoJson(l.at("elemType")));
    }
    return Type::List(std::move(elem));
  }
  if (auto* v = o.if_contains("mapType")) {
    const json::object& m = v->as_object();
    Type key = Type::Dyn();
    Type value = Type::Dyn();
    if (m.contains("keyType")) {
      CELLAR_ASSIGN_OR_RETURN(key, TypeFromProtoJson(m.at("keyType")));
    }
    if (m.contains("valueType")) {
      CELLAR_ASSIGN_OR_RETURN(value, TypeFromProtoJson(m.at("valueType")));
    }
    return Type::Map(std::move(key), std::move(value));
  }
  if (auto* v = o.if_contains("messageType")) {
    return Type::Message(std::string(v->as_string()));
  }
  if (o.contains("null")) {
    return Type::Of(TypeKind::kNull);
  }
  if (auto* v = o.if_contains("typeParam")) {
    return Type::Param(std::string(v->as_string()));
  }
  if (auto* v = o.if_contains("abstractType")) {
    const json::object& a = v->as_object();
    std::string name(a.at("name").as_string());
    Type t = Type::Of(name == "optional_type" ? TypeKind::kOptional : TypeKind::kOpaque);
    if (t.kind == TypeKind::kOpaque) {
      t.name = name;
    }
    if (a.contains("parameterTypes")) {
      for (const auto& p : a.at("parameterTypes").as_array()) {
        CELLAR_ASSIGN_OR_RETURN(Type pt, TypeFromProtoJson(p));
        t.params.push_back(std::move(pt));
      }
    }
    return t;
  }
  if (auto* v = o.if_contains("type")) {
    if (v->is_object() && !v->as_object().empty()) {
      CELLAR_ASSIGN_OR_RETURN(Type of, TypeFromProtoJson(*v));
      return Type::TypeOf(std::move(of));
    }
    return Type::Of(TypeKind::kType);
  }
  if (o.contains("error")) {
    return Type::Of(TypeKind::kError);
  }
  return Type::Dyn();
}

StatusOr<FunctionDecl> FunctionDeclFromProtoJson(std::string name, const json::value& jv) {
  FunctionDecl decl;
  decl.name = std::move(name);
  const json::object& f = jv.as_object();
  if (!f.contains("overloads")) {
    return decl;
  }
  for (const auto& ov : f.at("overloads").as_array()) {
    const json::object& o = ov.as_object();
    OverloadDecl d;
    d.id = std::string(o.at("overloadId").as_string());
    if (auto* m = o.if_contains("isInstanceFunction")) {
      d.member = m->as_bool();
    }
    if (auto* params = o.if_contains("params")) {
      for (const auto& p : params->as_array()) {
        CELLAR_ASSIGN_OR_RETURN(Type t, TypeFromProtoJson(p));
        d.params.push_back(std::move(t));
      }
    }
    if (auto* r = o.if_contains("resultType")) {
      CELLAR_ASSIGN_OR_RETURN(d.result, TypeFromProtoJson(*r));
    }
    decl.overloads.push_back(std::move(d));
  }
  return decl;
}

bool StrictlyEqual(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) {
    return false;
  }
  switch (a.kind()) {
    case Kind::kInt:  // an enum (strong enums) only equals the same enum's value
      return a.int_value() == b.int_value() && a.TypeName() == b.TypeName();
    case Kind::kDouble:
      if (std::isnan(a.double_value()) && std::isnan(b.double_value())) {
        return true;
      }
      return a.double_value() == b.double_value();
    case Kind::kList: {
      const auto& x = a.list_elems();
      const auto& y = b.list_elems();
      if (x.size() != y.size()) {
        return false;
      }
      for (size_t i = 0; i < x.size(); ++i) {
        if (!StrictlyEqual(x[i], y[i])) {
          return false;
        }
      }
      return true;
    }
    case Kind::kMap: {
      if (a.map_value().size() != b.map_value().size()) {
        return false;
      }
      for (const auto& [k, v] : a.map_value().entries()) {
        const Value* other = b.map_value().Find(k);
        if (other == nullptr || !StrictlyEqual(v, *other)) {
          return false;
        }
      }
      return true;
    }
    default:
      return ValuesEqual(a, b);
  }
}

}  // namespace cellar::cel::conformance
