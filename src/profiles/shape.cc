// src/profiles/shape.cc: recognising plain output shapes and building them from JSON.
#include "profiles/shape.h"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>
#include <cmath>
#include <cstdint>
#include <set>
#include <span>

namespace cellar::profiles {
namespace {

namespace json = boost::json;
using hcl::Expr;
using hcl::ExprKind;

// Deeper values are left to CEL (its own bound, 100 levels, errors there).
constexpr int kMaxDepth = 64;

bool IsRootVariable(const Expr& e, std::string_view name) {
  return e.kind == ExprKind::kVariable && e.text == name;
}

// request.<name>.f... or input.data.f...: the attribute chain, innermost first.
std::optional<Shape> ReferenceOf(const Expr& e) {
  std::vector<std::string> fields;
  const Expr* at = &e;
  while (at->kind == ExprKind::kGetAttr) {
    const Expr& obj = *at->children[0];
    if (IsRootVariable(obj, "request")) {
      Shape s{.kind = Shape::Kind::kRequest, .request = std::string(at->text)};
      s.fields.assign(fields.rbegin(), fields.rend());
      return s;
    }
    if (IsRootVariable(obj, "input")) {
      if (at->text != "data") {
        return std::nullopt;
      }
      Shape s{.kind = Shape::Kind::kInput};
      s.fields.assign(fields.rbegin(), fields.rend());
      return s;
    }
    fields.emplace_back(at->text);
    at = &obj;
  }
  return std::nullopt;
}

// A number literal as lower.cc writes it for CEL: whole numbers below 2^53 are ints.
json::value NumberValue(double n) {
  if (std::isfinite(n) && std::floor(n) == n && std::fabs(n) < 9.007199254740992e15) {
    return json::value(static_cast<int64_t>(n));
  }
  return json::value(n);
}

// The text of a template or string made of literal text only (object keys).
std::optional<std::string> LiteralText(const Expr& e) {
  if (e.kind == ExprKind::kString) {
    return std::string(e.text);
  }
  if (e.kind != ExprKind::kTemplate) {
    return std::nullopt;
  }
  std::string out;
  for (const Expr* part : e.children) {
    if (part->kind != ExprKind::kString) {
      return std::nullopt;
    }
    out += part->text;
  }
  return out;
}

std::optional<json::value> NormalizedObject(const json::object& o, int depth);

// `v` as it comes back from CEL: ValueFromJson makes whole doubles and small uints ints.
std::optional<json::value> Normalized(const json::value& v, int depth) {
  if (depth > kMaxDepth) {
    return std::nullopt;
  }
  switch (v.kind()) {
    case json::kind::uint64:
      if (v.get_uint64() <= static_cast<uint64_t>(INT64_MAX)) {
        return json::value(static_cast<int64_t>(v.get_uint64()));
      }
      return v;
    case json::kind::double_: {
      double d = v.get_double();
      if (!std::isfinite(d)) {
        return std::nullopt;  // CEL writes these as strings
      }
      if (std::trunc(d) == d && std::fabs(d) < 9.2e18) {
        return json::value(static_cast<int64_t>(d));
      }
      return v;
    }
    case json::kind::array: {
      json::array out;
      out.reserve(v.get_array().size());
      for (const json::value& item : v.get_array()) {
        std::optional<json::value> n = Normalized(item, depth + 1);
        if (!n) {
          return std::nullopt;
        }
        out.push_back(*std::move(n));
      }
      return out;
    }
    case json::kind::object:
      return NormalizedObject(v.get_object(), depth);
    default:
      return v;
  }
}

std::optional<json::value> NormalizedObject(const json::object& o, int depth) {
  json::object out;
  out.reserve(o.size());
  for (const auto& [k, item] : o) {
    std::optional<json::value> n = Normalized(item, depth + 1);
    if (!n) {
      return std::nullopt;
    }
    out.emplace(k, *std::move(n));
  }
  return out;
}

// Selects `fields` (from `from` on) into `v`: every step an object that has the field.
std::optional<json::value> Select(const json::value& v, const std::vector<std::string>& fields,
                                  size_t from) {
  const json::value* at = &v;
  for (size_t i = from; i < fields.size(); ++i) {
    const json::object* o = at->if_object();
    at = o == nullptr ? nullptr : o->if_contains(fields[i]);
    if (at == nullptr) {
      return std::nullopt;
    }
  }
  return Normalized(*at, static_cast<int>(fields.size() - from));
}

// The same from an object (a response's data, the input) without copying it into a value.
std::optional<json::value> SelectIn(const json::object& o, const std::vector<std::string>& fields,
                                    size_t from) {
  if (from == fields.size()) {
    return NormalizedObject(o, 0);
  }
  const json::value* item = o.if_contains(fields[from]);
  if (item == nullptr) {
    return std::nullopt;
  }
  return Select(*item, fields, from + 1);
}

// request.<name>.<field>...: the envelope field first (as executor.cc's CelEnvelope builds it).
std::optional<json::value> SelectRequest(const framework::Response& r,
                                         const std::vector<std::string>& fields) {
  if (fields.empty()) {
    return std::nullopt;  // the whole envelope: rare, CEL builds it
  }
  const std::string& field = fields[0];
  json::value v;
  if (field == "data") {
    if (!r.data) {
      return fields.size() == 1 ? std::optional(json::value(nullptr)) : std::nullopt;
    }
    return SelectIn(*r.data, fields, 1);
  }
  if (field == "lease_id") {
    v = json::value(r.lease_id);
  } else if (field == "lease_duration") {
    v = json::value(static_cast<int64_t>(r.lease_duration.count()));
  } else if (field == "renewable") {
    v = json::value(r.renewable);
  } else if (field == "warnings" && r.warnings.empty()) {
    v = json::value(nullptr);
  } else {
    return std::nullopt;  // warnings, auth, or a field the envelope lacks
  }
  return Select(v, fields, 1);
}

// A list or template of the shapes `of` gives for `exprs`, or nullopt when one has none.
template <typename Of>
std::optional<Shape> ItemsOf(Shape::Kind kind, std::span<Expr*> exprs, Of of) {
  Shape out{.kind = kind};
  for (const Expr* e : exprs) {
    std::optional<Shape> item = of(*e);
    if (!item) {
      return std::nullopt;
    }
    out.items.push_back(*std::move(item));
  }
  return out;
}

}  // namespace

std::optional<Shape> ShapeOf(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kNull:
      return Shape{.value = json::value(nullptr)};
    case ExprKind::kBool:
      return Shape{.value = json::value(e.boolean)};
    case ExprKind::kNumber:
      return Shape{.value = NumberValue(e.number)};
    case ExprKind::kString:
      return Shape{.value = json::value(e.text)};
    case ExprKind::kGetAttr:
      return ReferenceOf(e);
    case ExprKind::kTemplate: {
      if (std::optional<std::string> text = LiteralText(e)) {
        return Shape{.value = json::value(*text)};
      }
      // "${x}" alone is x itself, not its string (lower.cc's LowerTemplate).
      if (e.children.size() == 1) {
        return ShapeOf(*e.children[0]);
      }
      return ItemsOf(Shape::Kind::kConcat, e.children, [](const Expr& part) {
        return part.kind == ExprKind::kString ? Shape{.value = json::value(part.text)}
                                              : ReferenceOf(part);
      });
    }
    case ExprKind::kTuple:
      return ItemsOf(Shape::Kind::kList, e.children, ShapeOf);
    case ExprKind::kObject: {
      Shape object{.kind = Shape::Kind::kObject};
      std::set<std::string> keys;
      for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
        const Expr& key = *e.children[i];
        std::optional<std::string> k =
            key.has(hcl::kFlagBareKey) ? std::optional(std::string(key.text)) : LiteralText(key);
        std::optional<Shape> value = ShapeOf(*e.children[i + 1]);
        if (!k || !value || !keys.insert(*k).second) {
          return std::nullopt;
        }
        value->key = *std::move(k);
        object.items.push_back(*std::move(value));
      }
      return object;
    }
    default:
      return std::nullopt;
  }
}

std::optional<json::value> BuildShape(const Shape& shape, const ShapeSource& source) {
  switch (shape.kind) {
    case Shape::Kind::kValue:
      return shape.value;
    case Shape::Kind::kRequest: {
      const framework::Response* r = source.Response(shape.request);
      if (r == nullptr) {
        return std::nullopt;
      }
      return SelectRequest(*r, shape.fields);
    }
    case Shape::Kind::kInput:
      return SelectIn(source.InputData(), shape.fields, 0);
    case Shape::Kind::kConcat: {
      std::string out;
      for (const Shape& part : shape.items) {
        std::optional<json::value> v = BuildShape(part, source);
        if (!v || !v->is_string()) {
          return std::nullopt;
        }
        out += v->get_string();
      }
      return json::value(out);
    }
    case Shape::Kind::kList:
    case Shape::Kind::kObject: {
      bool is_object = shape.kind == Shape::Kind::kObject;
      json::array list;
      json::object object;
      is_object ? object.reserve(shape.items.size()) : list.reserve(shape.items.size());
      for (const Shape& item : shape.items) {
        std::optional<json::value> v = BuildShape(item, source);
        if (!v) {
          return std::nullopt;
        }
        if (is_object) {
          object.emplace(item.key, *std::move(v));
        } else {
          list.push_back(*std::move(v));
        }
      }
      return is_object ? json::value(std::move(object)) : json::value(std::move(list));
    }
  }
  return std::nullopt;
}

}  // namespace cellar::profiles
