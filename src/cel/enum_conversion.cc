// src/cel/enum_conversion.cc: the int and string conversions of an enum type.
#include "cel/enum_conversion.h"

#include <cstdint>
#include <limits>
#include <memory>

namespace cellar::cel {

void AddEnumConversion(Env& env, const std::string& call_name, const std::string& enum_type) {
  // The provider outlives the program: Program keeps the Env's provider alive.
  std::shared_ptr<const TypeProvider> provider = env.shared_type_provider();
  Overload from_int;
  from_int.name = call_name;
  from_int.arg_kinds = {Kind::kInt};
  from_int.impl = [enum_type, provider](std::span<const Value> args, EvalContext&) {
    int64_t v = args[0].int_value();
    if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
      return Value::Error("enum value out of range for " + enum_type + ": " +
                          std::to_string(v));
    }
    return provider == nullptr ? args[0] : provider->EnumValue(enum_type, v);
  };
  env.AddFunction(std::move(from_int));

  Overload from_name;
  from_name.name = call_name;
  from_name.arg_kinds = {Kind::kString};
  from_name.impl = [enum_type, provider](std::span<const Value> args, EvalContext&) {
    const std::string& name = args[0].string_value();
    std::optional<int64_t> v =
        provider == nullptr ? std::nullopt : provider->FindEnumConstant(enum_type + "." + name);
    if (!v) {
      return Value::Error("invalid enum value name '" + name + "' for " + enum_type);
    }
    return provider->EnumValue(enum_type, *v);
  };
  env.AddFunction(std::move(from_name));
}

}  // namespace cellar::cel
