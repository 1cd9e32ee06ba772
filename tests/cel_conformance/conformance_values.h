// tests/cel_conformance/conformance_values.h: cel.expr.Value / cel.expr.Type (proto JSON) to
// engine values and types, and the strict comparison the suite expects.
#pragma once

#include <string>

#include <boost/json/value.hpp>

#include "base/status_or.h"
#include "cel/cel.h"
#include "cel/types.h"
#include "cel/value.h"

namespace cellar::cel::conformance {

// A cel.expr.Value in proto JSON form; Unsupported/InvalidArgument for forms not handled yet.
// Object values (Any in proto JSON) are decoded through `provider` when given.
StatusOr<Value> ValueFromProtoJson(const boost::json::value& json,
                                   const TypeProvider* provider = nullptr);
// A cel.expr.Type in proto JSON form.
StatusOr<Type> TypeFromProtoJson(const boost::json::value& json);
// A cel.expr.Decl.FunctionDecl in proto JSON form, named `name`.
StatusOr<FunctionDecl> FunctionDeclFromProtoJson(std::string name, const boost::json::value& json);
// Same kinds all the way down and CEL-equal (NaN equals NaN here).
bool StrictlyEqual(const Value& a, const Value& b);

}  // namespace cellar::cel::conformance
