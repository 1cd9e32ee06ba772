// src/profiles/shape.h: output expressions that only arrange literals and references, built
// straight from the sub-requests' JSON instead of through CEL.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "framework/logical.h"
#include "hcl/ast.h"

namespace cellar::profiles {

// An object, list or template of literals and of references request.<name>.f.g... and
// input.data.f... (attributes only). Most outputs are just that: a shape of the secrets read.
// Evaluating it through CEL converts every result to CEL and the answer back to JSON; a Shape
// copies the JSON, and whenever it meets anything but the plain case (a missing field, a
// non-string in a template, a for_each or ignored request) it declines so that CEL evaluates the
// expression and gives its own answer or error. Immutable once built.
struct Shape {
  enum class Kind {
    kValue,    // a literal: `value`, as CEL would give it back
    kObject,   // `items`, keyed by their `key`, in source order
    kList,     // `items`
    kConcat,   // a template: `items` joined; each must be a string
    kRequest,  // request.<name> then `fields` (fields[0] is the envelope's: data, lease_id...)
    kInput,    // input.data then `fields`
  };
  Kind kind = Kind::kValue;
  boost::json::value value;
  std::string key;  // an item's key within a kObject
  std::vector<Shape> items;
  std::string request;
  std::vector<std::string> fields;
};

// The Shape of an output expression, or nullopt when it uses anything else (operators, calls,
// conditionals, for, splats, indexes, computed keys, duplicate keys).
std::optional<Shape> ShapeOf(const hcl::Expr& expr);

// What a Shape's references read.
class ShapeSource {
 public:
  virtual ~ShapeSource() = default;
  // request.<name>'s response when it succeeded and is one request (not for_each); else null.
  virtual const framework::Response* Response(std::string_view request) const = 0;
  // input.data as checked (absent optional fields null).
  virtual const boost::json::object& InputData() const = 0;
};

// The value CEL would give `shape` (converted to JSON), or nullopt when CEL has to decide.
std::optional<boost::json::value> BuildShape(const Shape& shape, const ShapeSource& source);

}  // namespace cellar::profiles
