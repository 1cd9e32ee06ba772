// src/cel/enum_conversion.h: an enum type's name called as a function converts to the enum
// (GlobalEnum(2), TestAllTypes.NestedEnum('BAR')). The result is TypeProvider::EnumValue (an int
// unless the provider has strong enums); the conversion checks the int32 range or looks the
// value name up.
#pragma once

#include <string>

#include "cel/cel.h"

namespace cellar::cel {

// Registers `call_name(int)` and `call_name(string)` in `env` for the enum `enum_type`, found
// through env's type provider.
void AddEnumConversion(Env& env, const std::string& call_name, const std::string& enum_type);

}  // namespace cellar::cel
