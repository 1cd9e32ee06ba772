// src/cel/types.h: CEL type descriptions for declarations (and the checker): int, list(string),
// map(string, dyn), google.protobuf.Timestamp, message names, type parameters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status_or.h"

namespace cellar::cel {

enum class TypeKind : uint8_t {
  kDyn,
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kList,
  kMap,
  kType,
  kTimestamp,
  kDuration,
  kOptional,
  kMessage,    // name holds the full message name
  kTypeParam,  // name holds the parameter ("A")
  kAny,        // google.protobuf.Any
  kError,
  kWrapper,  // google.protobuf.Int64Value etc.: params[0] is the primitive; also admits null
  kOpaque,   // abstract types by name ("tuple", ...) with optional parameters
};

struct Type {
  TypeKind kind = TypeKind::kDyn;
  std::string name;
  std::vector<Type> params;  // list: 1, map: 2, optional: 1, type: 0 or 1

  static Type Dyn() { return Type{}; }
  static Type Of(TypeKind k) { return Type{k, {}, {}}; }
  static Type List(Type elem);
  static Type Map(Type key, Type value);
  static Type Message(std::string full_name);
  static Type Param(std::string name);
  static Type Wrapper(TypeKind primitive);
  static Type Optional(Type elem);
  static Type TypeOf(Type t);  // type(t)

  // "int", "list(string)", "map(string, dyn)", "google.protobuf.Timestamp", ...
  std::string ToString() const;
  bool operator==(const Type& o) const {
    return kind == o.kind && name == o.name && params == o.params;
  }
};

// Parses the text form ToString produces; single capital letters are type parameters.
// Well-known wrapper names (google.protobuf.Int64Value, ...) stay messages (the checker maps
// them to wrappers); "wrapper(int)" is a wrapper.
StatusOr<Type> ParseType(std::string_view text);

}  // namespace cellar::cel
